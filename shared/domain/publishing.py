"""Data the board publishes and centres read: series, results files, A2C keys and resources.

Board staff define a series and its release times, upload each centre's results file and item
level data, publish each centre's A2C keys and the resources every centre can read. Members
read them under the account model: every decision is taken from the caller's record as read
on this request, and every read of a secret or a centre's file is written to the audit log
before the secret or the URL is handed over.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from shared.domain.accounts import Permission, Role, check_centre
from shared.domain.errors import Forbidden, InvalidInput, NotFound
from shared.domain.members import AuditEvent, Member, audit_event
from shared.domain.ports import Files, PublishingStore, Store
from shared.domain.results import Series, check_released, results_available_from
from shared.domain.services import BY_NAME, EXTERNAL, MenuEntry, external_level, menu_for

logger = logging.getLogger(__name__)

SERIES_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
# The files a centre receives for a series, by their S3 key's last part.
CENTRE_FILES = ("results", "item_level_data")


@dataclass(frozen=True)
class ResultsFile:
    """A file board staff published for one centre and series (`kind` is one of CENTRE_FILES)."""

    centre_id: str
    series_id: str
    kind: str
    published_at: datetime
    published_by: str


@dataclass(frozen=True)
class A2CKey:
    key_id: str
    key: str
    label: str


@dataclass(frozen=True)
class Resource:
    resource_id: str
    subject: str
    kind: str
    title: str
    series_id: str
    language: str
    published_at: datetime
    published_by: str


@dataclass(frozen=True)
class Download:
    url: str
    expires_in: int


@dataclass(frozen=True)
class ServiceLaunch:
    service: str
    level: str
    launch_url: str


def centre_file_key(centre_id: str, series_id: str, kind: str) -> str:
    return f"results/{centre_id}/{series_id}/{kind}"


def resource_key(resource_id: str) -> str:
    return f"resources/{resource_id}"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _board_only(caller: Member) -> None:
    if caller.account_type is not Role.BOARD_STAFF:
        raise Forbidden()


class Publishing:
    """Every method takes the caller as read from DynamoDB on this request."""

    def __init__(
        self,
        store: Store,
        published: PublishingStore,
        files: Files,
        launch_urls: dict[str, str],
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.store = store
        self.published = published
        self.files = files
        self.launch_urls = launch_urls
        self.clock = clock

    def _event(self, centre_id: str, caller: Member, action: str, **details: Any) -> AuditEvent:
        return audit_event(caller, action, self.clock(), centre_id=centre_id, **details)

    def _series(self, series_id: str) -> Series:
        series = self.published.get_series(series_id)
        if series is None:
            raise NotFound()
        return series

    def _existing_centre(self, centre_id: str) -> None:
        if self.store.get_centre(centre_id) is None:
            raise NotFound()

    # --- board staff publish ---------------------------------------------------------------

    def put_series(
        self, caller: Member, series_id: str, name: str, embargo_from: datetime, results_day: date
    ) -> Series:
        _board_only(caller)
        if not SERIES_ID.fullmatch(series_id):
            raise InvalidInput(field="series_id")
        series = Series(series_id, name, embargo_from.astimezone(UTC), results_day)
        self.published.put_series(series)
        logger.info("series published", extra={"series_id": series_id})
        return series

    def results_upload(self, caller: Member, centre_id: str, series_id: str, kind: str) -> str:
        """A short-lived URL to upload a centre's results file (or item level data)."""
        _board_only(caller)
        self._existing_centre(centre_id)
        self._series(series_id)
        marker = ResultsFile(centre_id, series_id, kind, self.clock(), caller.user_id)
        event = self._event(centre_id, caller, "publish_results", series_id=series_id, kind=kind)
        self.published.put_results_file(marker, event)
        logger.info(
            "results upload issued",
            extra={"centre_id": centre_id, "series_id": series_id, "kind": kind},
        )
        return self.files.upload_url(centre_file_key(centre_id, series_id, kind))

    def put_a2c_keys(self, caller: Member, centre_id: str, keys: list[A2CKey]) -> int:
        _board_only(caller)
        self._existing_centre(centre_id)
        event = self._event(
            centre_id, caller, "publish_a2c_keys", key_ids=[key.key_id for key in keys]
        )
        self.published.put_a2c_keys(centre_id, keys, event)
        logger.info("a2c keys published", extra={"centre_id": centre_id, "count": len(keys)})
        return len(keys)

    def add_resource(
        self,
        caller: Member,
        *,
        subject: str,
        kind: str,
        title: str,
        series_id: str,
        language: str,
    ) -> tuple[Resource, str]:
        """Record the resource and answer it with a short-lived URL to upload its file."""
        _board_only(caller)
        self._series(series_id)
        resource = Resource(
            resource_id=uuid.uuid4().hex,
            subject=subject,
            kind=kind,
            title=title,
            series_id=series_id,
            language=language,
            published_at=self.clock(),
            published_by=caller.user_id,
        )
        self.published.put_resource(resource)
        logger.info("resource published", extra={"resource_id": resource.resource_id})
        return resource, self.files.upload_url(resource_key(resource.resource_id))

    # --- members read ----------------------------------------------------------------------

    def menu(self, caller: Member) -> list[MenuEntry]:
        series = self.published.list_series() if caller.centre_id else []
        return menu_for(caller.account_type, caller.permissions, series)

    def a2c_keys(self, caller: Member, centre_id: str) -> list[A2CKey]:
        """The centre's keys, for its exams officer and admins; each read is audited first."""
        check_centre(caller.as_actor(), centre_id)
        if BY_NAME["a2c_keys"].level_for(caller.account_type, caller.permissions) is None:
            raise Forbidden()
        self.published.record(self._event(centre_id, caller, "read_a2c_keys"))
        return self.published.get_a2c_keys(centre_id)

    def _results_reader(self, caller: Member, centre_id: str) -> None:
        """Holders of entries_results in that centre, as the contract says; not board staff."""
        check_centre(caller.as_actor(), centre_id)
        if Permission.ENTRIES_RESULTS not in caller.permissions:
            raise Forbidden()

    def results(self, caller: Member, centre_id: str) -> list[tuple[Series, datetime, set[str]]]:
        """Every series with the caller's release time and the files published for the centre."""
        self._results_reader(caller, centre_id)
        published: dict[str, set[str]] = {}
        for marker in self.published.results_files(centre_id):
            published.setdefault(marker.series_id, set()).add(marker.kind)
        series = sorted(self.published.list_series(), key=lambda each: each.results_day)
        return [
            (s, results_available_from(caller.account_type, s), published.get(s.series_id, set()))
            for s in series
        ]

    def download_centre_file(
        self, caller: Member, centre_id: str, series_id: str, kind: str
    ) -> Download:
        """Results file or item level data: 403 embargoed before the caller's release time."""
        self._results_reader(caller, centre_id)
        series = self._series(series_id)
        check_released(caller.account_type, series, self.clock())
        files = {
            m.kind for m in self.published.results_files(centre_id) if m.series_id == series_id
        }
        if kind not in files:
            raise NotFound()
        self.published.record(
            self._event(centre_id, caller, f"download_{kind}", series_id=series_id)
        )
        url = self.files.download_url(
            centre_file_key(centre_id, series_id, kind), f"{centre_id}-{series_id}-{kind}"
        )
        return Download(url, self.files.expires_in)

    def grade_boundaries(self, caller: Member, series_id: str) -> list[tuple[Resource, str]]:
        """The series' grade boundaries, released to each account type as results are."""
        series = self._series(series_id)
        check_released(caller.account_type, series, self.clock())
        page = self.published.list_resources(
            100, None, kind="grade_boundaries", series_id=series_id, subject=None
        )
        return [
            (r, self.files.download_url(resource_key(r.resource_id), r.title)) for r in page.items
        ]

    def resources(
        self,
        caller: Member,
        *,
        limit: int,
        cursor: str | None,
        subject: str | None,
        kind: str | None,
        series_id: str | None,
    ) -> tuple[list[tuple[Resource, str]], str | None]:
        """Any member's listing; grade boundaries not yet released to the caller are left out."""
        page = self.published.list_resources(
            limit, cursor, subject=subject, kind=kind, series_id=series_id
        )
        released: dict[str, bool] = {}
        listed = []
        for resource in page.items:
            if resource.kind == "grade_boundaries" and not self._released(
                caller, resource.series_id, released
            ):
                continue
            url = self.files.download_url(resource_key(resource.resource_id), resource.title)
            listed.append((resource, url))
        return listed, page.next_cursor

    def _released(self, caller: Member, series_id: str, seen: dict[str, bool]) -> bool:
        if series_id not in seen:
            series = self.published.get_series(series_id)
            seen[series_id] = series is not None and self.clock() >= results_available_from(
                caller.account_type, series
            )
        return seen[series_id]

    def launch(self, caller: Member, centre_id: str, service: str) -> ServiceLaunch:
        """Who may open an external service and at what level; 403 without the permission."""
        check_centre(caller.as_actor(), centre_id)
        if service not in EXTERNAL:
            raise NotFound()
        level = external_level(caller.account_type, caller.permissions, service)
        if level is None:
            raise Forbidden()
        return ServiceLaunch(service, level, self.launch_urls[service])
