"""The authorization matrix: every route of the route table, called by every kind of caller.

`matrix.csv` is written by hand from the API contract (/work/shared/api-contract.md), not
computed by the code under test. A cell is `ok` (200, 201, 202 or 204), an exact status, or
alternatives separated by `|` where the contract allows either (a deleted member's old token:
401 or 403) or is silent (documented in the row's note). Each cell is one HTTP call against the
one local run of this session; mutating routes act on a throwaway target made for that cell.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shared.routes import ROUTES
from tests.e2e.client import Person, Reply
from tests.hardening.conftest import CENTRE_A, CENTRE_B, SERIES, World, bearer, serial

MATRIX = Path(__file__).with_name("matrix.csv")
OK = {200, 201, 202, 204}

# Cells where the portal's answer differed from the contract were kept here as strict xfails
# until fixed: sign-out on the local run (GlobalSignOut looked in moto's default region) and
# board staff reading centre results. Both are fixed; a new finding goes here with its reason.
FINDINGS: dict[tuple[str, str, str], str] = {}


def _rows() -> list[dict[str, str]]:
    with MATRIX.open(newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = _rows()
ACTORS = [name for name in ROWS[0] if name not in {"route", "params", "note"}]


def _cells() -> list[Any]:
    cells = []
    for row in ROWS:
        for actor in ACTORS:
            key = (row["route"], row["params"], actor)
            marks = []
            if key in FINDINGS:
                marks.append(pytest.mark.xfail(strict=True, reason=FINDINGS[key]))
            cells.append(
                pytest.param(
                    row["route"],
                    row["params"],
                    actor,
                    row[actor],
                    id=f"{row['route']} [{row['params']}] {actor}",
                    marks=marks,
                )
            )
    return cells


def _fresh_centre(world: World) -> str:
    """A centre of its own whose exams officer is invited: the target of a destructive call."""
    centre_id = str(72000 + serial())
    domain = f"school-{centre_id}.example"
    board = world.board.access_token
    body = {"centre_id": centre_id, "name": f"Centre {centre_id}", "email_domains": [domain]}
    world.journeys.expect(world.api.call("POST", "/centres", body, token=board), 201, "centre")
    invite = {"email": f"eo@{domain}", "first_name": "Eira", "last_name": "Evans", "language": "en"}
    reply = world.api.call("PUT", f"/centres/{centre_id}/exams-officer", invite, token=board)
    world.journeys.expect(reply, 201, "PUT exams-officer")
    return centre_id


def _path(world: World, route: str, params: str, actor: str) -> str:
    values: dict[str, str] = {}
    for pair in filter(None, params.split(";")):
        name, value = pair.split("=")
        values[name] = value
    resolved = {"A": CENTRE_A, "S": SERIES}
    for name, value in values.items():
        if value == "fresh_centre_for_board":
            values[name] = _fresh_centre(world) if actor == "board" else CENTRE_A
        elif value == "user_a":
            target = world.actors["user_a"]
            assert target is not None
            values[name] = target.user_id
        elif value == "fresh":
            values[name] = world.invite(CENTRE_A).user_id
        else:
            values[name] = resolved.get(value, value)
    path = route.split(" ", 1)[1]
    return path.format(**values)


def _valid_body(route: str) -> Any:
    """A body good enough for the caller that is allowed; minimal ({}) elsewhere."""
    n = serial()
    bodies: dict[str, Callable[[], Any]] = {
        "PATCH /me": lambda: {"job_role": "Tester"},
        "POST /centres/{centre_id}/users": lambda: {
            "email": f"cell{n}@school-{CENTRE_A}.example",
            "first_name": "Cell",
            "last_name": "Member",
            "language": "en",
            "account_type": "user",
            "permissions": ["resources"],
        },
        "PUT /centres/{centre_id}/users/{user_id}/permissions": lambda: {
            "permissions": ["resources", "iamis"]
        },
        "POST /centres": lambda: {
            "centre_id": str(73000 + n),
            "name": f"Cell centre {n}",
            "email_domains": [f"cell-{n}.example"],
        },
        "PATCH /centres/{centre_id}": lambda: {"name": f"Centre {CENTRE_A} renamed {n}"},
        "PUT /centres/{centre_id}/exams-officer": lambda: {
            "email": f"eo{n}@school-{CENTRE_A}.example",
            "first_name": "Other",
            "last_name": "Officer",
            "language": "en",
        },
        "PUT /series/{series_id}": lambda: SERIES_BODY,
        "PUT /centres/{centre_id}/a2c-keys": lambda: {
            "keys": [{"key_id": f"k{n}", "key": f"secret-{n}", "label": "Main"}]
        },
        "POST /resources": lambda: RESOURCE_BODY,
    }
    if route in bodies:
        return bodies[route]()
    method = route.split(" ", 1)[0]
    return {} if method in {"POST", "PUT", "PATCH"} else None


SERIES_BODY = {
    "name": "Summer 2026",
    "embargo_from": "2026-08-12T06:00:00Z",
    "results_day": "2026-08-13",
}
RESOURCE_BODY = {
    "subject": "Mathematics",
    "kind": "past_paper",
    "title": "Paper 1",
    "series_id": SERIES,
    "language": "en",
}


@pytest.fixture(scope="module")
def matrix_world(world: World) -> World:
    """The series is released, A has a results file and a resource exists, before any cell."""
    board = world.board.access_token
    reply = world.api.call("PUT", f"/series/{SERIES}", SERIES_BODY, token=board)
    world.journeys.expect(reply, 200, "PUT /series/{series_id}")
    for kind in ("results", "item_level_data"):
        path = f"/centres/{CENTRE_A}/results/{SERIES}?file={kind}"
        reply = world.api.call("PUT", path, token=board)
        upload_url = world.journeys.expect(reply, 200, "PUT results")["upload_url"]
        _upload(upload_url, b"candidate,grade\n0001,A\n")
    reply = world.api.call("POST", "/resources", RESOURCE_BODY, token=board)
    world.journeys.expect(reply, 201, "POST /resources")
    return world


def _upload(url: str, data: bytes) -> None:
    import urllib.request

    request = urllib.request.Request(url, data=data, method="PUT")  # noqa: S310 - local run
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local run
        assert response.status in OK


def _matches(expected: str, status: int) -> bool:
    return any(
        status in OK if option == "ok" else status == int(option) for option in expected.split("|")
    )


def test_the_matrix_covers_every_route_of_the_route_table() -> None:
    # Given the hand-written matrix and the route table
    # When their routes are compared
    # Then every route has at least one row and every row is a route
    assert {row["route"] for row in ROWS} == {route.key for route in ROUTES}
    assert ACTORS[0] == "anonymous" and len(ACTORS) == 12


@pytest.mark.parametrize(("route", "params", "actor", "expected"), _cells())
def test_cell(matrix_world: World, route: str, params: str, actor: str, expected: str) -> None:
    # Given the caller of this column and a path (a throwaway target for destructive routes)
    caller: Person | None = matrix_world.actors[actor]
    path = _path(matrix_world, route, params, actor)
    method = route.split(" ", 1)[0]
    # When the caller calls the route
    reply: Reply = matrix_world.api.call(method, path, _valid_body(route), **bearer(caller))
    if route == "POST /auth/sign-out" and caller is not None and reply.status in OK:
        # Signed out for real: sign back in, so later tests may still act as this caller.
        matrix_world.journeys.sign_in(caller)
    # Then the answer is the contract's, and never a server error
    assert reply.status < 500, f"{route} as {actor}: {reply.status} {reply.body}"
    assert _matches(expected, reply.status), (
        f"{method} {path} as {actor}: expected {expected}, got {reply.status} {reply.body}"
    )


def test_members_of_b_are_not_told_about_a(matrix_world: World) -> None:
    # Given a member of centre B
    member_b = matrix_world.actors["member_b"]
    assert member_b is not None
    # When they read A's member list and B's own
    theirs = matrix_world.api.call("GET", f"/centres/{CENTRE_B}", **bearer(member_b))
    other = matrix_world.api.call("GET", f"/centres/{CENTRE_A}/users", **bearer(member_b))
    # Then their own centre is readable and A answers not_found, as for an unknown centre
    assert theirs.status == 200
    assert other.status == 404 and other.error_code == "not_found"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/me/password", {"current_password": "x" * 12, "new_password": "y" * 12}),
        ("PUT", "/me/mfa", {"method": "email"}),
        ("POST", "/me/mfa/totp/verify", {"code": "123456"}),
        ("POST", "/me/mfa/sms", {"phone": "+447911123456"}),
        ("POST", "/me/mfa/sms/verify", {"code": "123456"}),
        ("PATCH", "/me", {"job_role": "Ghost"}),
    ],
)
def test_a_deleted_member_is_refused_even_with_a_valid_body(
    matrix_world: World, method: str, path: str, body: dict[str, str]
) -> None:
    # Given a member deleted after signing in, whose access token has not expired
    deleted = matrix_world.actors["deleted"]
    # When they send a well-formed request to one of their own routes
    reply = matrix_world.api.call(method, path, body, **bearer(deleted))
    # Then they are refused as unauthenticated or forbidden (the matrix sends minimal bodies,
    # which the portal may refuse as malformed first)
    assert reply.status in {401, 403}, reply
