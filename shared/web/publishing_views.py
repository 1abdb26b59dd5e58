"""Profiles, the services menu and published data as the contract shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.members import Centre, Member
from shared.domain.publishing import A2CKey, Download, Resource, ServiceLaunch
from shared.domain.results import Series
from shared.domain.services import MenuEntry
from shared.web.views import iso, member_view

# JCQ post-results guidance: a candidate's script is requested and seen with their consent.
SCRIPTS_NOTICE = {
    "en": "Scripts may be accessed only with the candidate's permission (JCQ post-results "
    "guidance).",
    "cy": "Dim ond gyda chaniatâd yr ymgeisydd y gellir cael mynediad at sgriptiau (canllawiau "
    "ôl-ganlyniadau JCQ).",
}


def me_view(member: Member, centre: Centre | None, now: datetime) -> dict[str, Any]:
    view = member_view(member, now)
    view["centre"] = {"centre_id": centre.centre_id, "name": centre.name} if centre else None
    return view


def menu_view(entries: list[MenuEntry]) -> dict[str, Any]:
    services = []
    for entry in entries:
        available = entry.available_from
        services.append(
            {
                "service": entry.service.service,
                "name": {"en": entry.service.name_en, "cy": entry.service.name_cy},
                "path": list(entry.service.path),
                "level": entry.level,
                "available_from": None
                if available is None
                else [{"series_id": sid, "available_from": iso(at)} for sid, at in available],
            }
        )
    return {"services": services}


def series_view(series: Series) -> dict[str, Any]:
    return {
        "series_id": series.series_id,
        "name": series.name,
        "embargo_from": iso(series.embargo_from),
        "results_day": series.results_day.isoformat(),
    }


def centre_series_view(series: Series, available_from: datetime, files: set[str]) -> dict[str, Any]:
    return series_view(series) | {
        "available_from": iso(available_from),
        "has_file": "results" in files,
        "has_item_level_data": "item_level_data" in files,
    }


def keys_view(keys: list[A2CKey]) -> dict[str, Any]:
    return {"keys": [{"key_id": k.key_id, "key": k.key, "label": k.label} for k in keys]}


def download_view(download: Download) -> dict[str, Any]:
    return {"download_url": download.url, "expires_in": download.expires_in}


def resource_view(resource: Resource, download_url: str | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "resource_id": resource.resource_id,
        "subject": resource.subject,
        "kind": resource.kind,
        "title": resource.title,
        "series_id": resource.series_id,
        "language": resource.language,
        "published_at": iso(resource.published_at),
    }
    if download_url is not None:
        view["download_url"] = download_url
    return view


def launch_view(launch: ServiceLaunch) -> dict[str, Any]:
    view: dict[str, Any] = {
        "service": launch.service,
        "level": launch.level,
        "launch_url": launch.launch_url,
    }
    if launch.service == "view_scripts":
        view["notice"] = SCRIPTS_NOTICE
    return view
