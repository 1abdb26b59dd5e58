"""AWS requests per route and warm latency per route, against moto, in this process.

Latency is reported as a ratio to one DynamoDB GetItem against the same moto in the same run,
which isolates the portal's own overhead from moto's speed.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.portal import moto_portal
from shared.domain.accounts import Role
from shared.domain.members import Member
from tests.support.aws_calls import counting_aws_calls
from tests.support.events import Reply, call
from tests.support.portal import CENTRE_ID, DOMAIN, Portal, claims

SERVICES = ("dynamodb", "cognito-idp", "s3", "ses")


@dataclass
class Route:
    name: str
    expected: int
    run: Callable[..., Reply]
    read: bool
    # Data a call consumes (a member to delete), made outside the counting and the timing.
    prepare: Callable[[], object] | None = None


def scenarios(portal: Portal) -> list[Route]:
    """One repeatable call per route; writes use fresh data each time they run."""
    board = portal.add_board_staff()
    portal.add_centre()
    officer = portal.add_member(Role.EXAMS_OFFICER)
    admin = portal.add_member(Role.ADMIN)
    user = portal.add_member(Role.USER)
    serial = itertools.count()
    eo, staff = claims(officer), claims(board)
    users = f"/centres/{CENTRE_ID}/users"

    def invite() -> Reply:
        body = {
            "email": f"bench{next(serial)}@{DOMAIN}",
            "first_name": "Bench",
            "last_name": "Mark",
            "account_type": "user",
        }
        return call("POST", users, claims=eo, body=body)

    grants = itertools.cycle([["iamis"], ["view_scripts"]])

    def permissions() -> Reply:
        body = {"permissions": next(grants)}
        return call("PUT", f"{users}/{user.user_id}/permissions", claims=eo, body=body)

    def delete(member: Member) -> Reply:
        return call("DELETE", f"{users}/{member.user_id}", claims=eo)

    def new_member() -> Member:
        return portal.add_member(Role.USER)

    return [
        Route("GET /centres/{id}/users", 200, lambda: call("GET", users, claims=eo), True),
        Route(
            "GET /centres/{id}/users/{user_id}",
            200,
            lambda: call("GET", f"{users}/{admin.user_id}", claims=eo),
            True,
        ),
        Route(
            "GET /centres/{id}/audit",
            200,
            lambda: call("GET", f"/centres/{CENTRE_ID}/audit", claims=eo),
            True,
        ),
        Route(
            "GET /centres/{id}",
            200,
            lambda: call("GET", f"/centres/{CENTRE_ID}", claims=staff),
            True,
        ),
        Route("POST /centres/{id}/users", 201, invite, False),
        Route("PUT /centres/{id}/users/{user_id}/permissions", 200, permissions, False),
        Route("DELETE /centres/{id}/users/{user_id}", 204, delete, False, new_member),
    ]


@dataclass
class Measured:
    name: str
    calls: dict[str, int]
    median_ms: float
    p95_ms: float


def _floor(portal: Portal, runs: int) -> list[float]:
    key = {"pk": {"S": f"CENTRE#{CENTRE_ID}"}, "sk": {"S": "CENTRE"}}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        portal.db.get_item(TableName="portal", Key=key)
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure(runs: int = 200) -> tuple[float, list[Measured]]:
    """Per route: AWS requests of one call, then median and p95 over `runs` calls."""
    results = []
    with moto_portal() as portal:
        routes = scenarios(portal)
        floor_times = []
        for route in routes:
            argument = route.prepare() if route.prepare else None
            with counting_aws_calls(SERVICES) as calls:
                reply = route.run(argument) if route.prepare else route.run()
            if reply.status != route.expected:
                raise RuntimeError(f"{route.name}: {reply.status} {reply.body}")
            counts = {service: calls.count(service) for service in SERVICES}
            times = []
            for _ in range(runs):
                # The floor is sampled between route calls, so both see the same machine.
                floor_times.extend(_floor(portal, 1))
                argument = route.prepare() if route.prepare else None
                started = time.perf_counter()
                route.run(argument) if route.prepare else route.run()
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            results.append(Measured(route.name, counts, statistics.median(times), p95))
        floor_ms = statistics.median(floor_times)
    return floor_ms, results
