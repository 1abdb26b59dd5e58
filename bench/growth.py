"""Cost of a page as a centre grows: first page against a page deep in the listing.

DynamoDB's Query with a start key reads only the page it returns, so the cost is per page,
not per centre size. moto's Query, however, loads the whole partition before slicing, so its
wall time grows with the partition for every page alike; the ratio deep/first is what carries
over to DynamoDB, and the request count per page is reported beside it.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.portal import moto_portal
from shared.adapters.store import encode_cursor, event_to_item, member_to_item
from shared.domain.accounts import DEFAULT_PERMISSIONS, Role
from shared.domain.members import ACTIVE, AuditEvent, Member
from tests.support.aws_calls import counting_aws_calls
from tests.support.events import Reply, call
from tests.support.portal import CENTRE_ID, DOMAIN, Portal, claims


def _batch_write(portal: Portal, items: list[dict[str, Any]]) -> None:
    for start in range(0, len(items), 25):
        requests = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        portal.db.batch_write_item(RequestItems={"portal": requests})


@dataclass
class Growth:
    members: int
    events: int
    members_first_ms: float
    members_deep_ms: float
    audit_first_ms: float
    audit_deep_ms: float
    requests_per_page: int


def _timed(fn: Callable[[], Reply], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        reply = fn()
        times.append((time.perf_counter() - started) * 1000)
        if reply.status != 200:
            raise RuntimeError(reply.body)
    return statistics.median(times)


def measure(members: int = 10_000, events: int = 100_000, runs: int = 5) -> Growth:
    with moto_portal() as portal:
        portal.add_centre()
        officer = portal.add_member(Role.EXAMS_OFFICER)
        now = datetime.now(UTC)
        member_items = [
            member_to_item(
                Member(
                    user_id=str(uuid.uuid4()),
                    email=f"m{n:06d}@{DOMAIN}",
                    account_type=Role.USER,
                    first_name="M",
                    surname=str(n),
                    centre_id=CENTRE_ID,
                    permissions=DEFAULT_PERMISSIONS[Role.USER],
                    status=ACTIVE,
                )
            )
            for n in range(members)
        ]
        _batch_write(portal, member_items)
        event_items = [
            event_to_item(
                AuditEvent(CENTRE_ID, now - timedelta(seconds=n), "bench", "invite", None, f"{n}")
            )
            for n in range(events)
        ]
        _batch_write(portal, event_items)

        eo = claims(officer)
        deep_member = member_items[int(members * 0.99)]
        member_cursor = encode_cursor({k: deep_member[k] for k in ("pk", "sk", "gsi1pk", "gsi1sk")})
        deep_event = sorted(event_items, key=lambda i: i["sk"]["S"])[int(events * 0.01)]
        audit_cursor = encode_cursor({k: deep_event[k] for k in ("pk", "sk")})
        users, audit = f"/centres/{CENTRE_ID}/users", f"/centres/{CENTRE_ID}/audit"

        def page(path: str, cursor: str | None) -> Callable[[], Reply]:
            query = {"limit": "50"} | ({"cursor": cursor} if cursor else {})
            return lambda: call("GET", path, claims=eo, query=query)

        with counting_aws_calls() as calls:
            page(users, member_cursor)()
        requests_per_page = calls.count("dynamodb")
        return Growth(
            members=members,
            events=events,
            members_first_ms=_timed(page(users, None), runs),
            members_deep_ms=_timed(page(users, member_cursor), runs),
            audit_first_ms=_timed(page(audit, None), runs),
            audit_deep_ms=_timed(page(audit, audit_cursor), runs),
            requests_per_page=requests_per_page,
        )
