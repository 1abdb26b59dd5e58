"""AWS requests per route, counted on the handlers' own clients, pinned so a regression shows.

The issue's targets: a read route makes no Cognito call and at most two DynamoDB requests
(the caller's membership, then the data); an invite makes exactly one Cognito call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from shared.domain.accounts import Role
from shared.domain.members import INVITED, Member
from tests.support.aws_calls import AwsCalls, counting_aws_calls
from tests.support.events import Reply, call
from tests.support.portal import CENTRE_ID, DOMAIN, Portal, claims

USERS = f"/centres/{CENTRE_ID}/users"
CENTRE = f"/centres/{CENTRE_ID}"

# (DynamoDB, Cognito) requests per route on success, as measured.
EXPECTED: dict[str, tuple[int, int]] = {
    "GET /centres/{id}/users (exams officer)": (2, 0),
    "GET /centres/{id}/users (board staff)": (2, 0),
    "POST /centres/{id}/users": (4, 1),
    "GET /centres/{id}/users/{user_id}": (2, 0),
    "PUT /centres/{id}/users/{user_id}/permissions": (3, 0),
    "POST /centres/{id}/users/{user_id}/invite": (4, 1),
    "POST /centres/{id}/users/{user_id}/reset-sign-in": (4, 4),
    "DELETE /centres/{id}/users/{user_id}": (3, 2),
    "GET /centres/{id}/audit (exams officer)": (2, 0),
    "GET /centres/{id}/audit (board staff)": (2, 0),
    "POST /centres": (2, 0),
    "GET /centres/{id} (exams officer)": (2, 0),
    "GET /centres/{id} (board staff)": (2, 0),
    "PATCH /centres/{id}": (3, 0),
    "DELETE /centres/{id}/exams-officer": (4, 2),
    "PUT /centres/{id}/exams-officer": (4, 1),
}
READS = [route for route in EXPECTED if route.startswith("GET ")]
INVITES = ["POST /centres/{id}/users", "PUT /centres/{id}/exams-officer"]


@pytest.fixture
def aws_calls(portal: Portal) -> Iterator[AwsCalls]:
    with counting_aws_calls() as calls:
        yield calls


def table(counts: dict[str, tuple[int, int]]) -> str:
    rows = [f"| {route} | {db} | {idp} |" for route, (db, idp) in counts.items()]
    return "\n".join(["| Route | DynamoDB | Cognito |", "|---|---|---|", *rows])


def test_each_route_makes_the_pinned_aws_requests_and_reads_meet_the_target(
    portal: Portal,
    board: Member,
    centre: str,
    exams_officer: Member,
    aws_calls: AwsCalls,
) -> None:
    # Given a centre with an exams officer, a user and an invited member
    user = portal.add_member(Role.USER, email=f"user@{DOMAIN}")
    invited = portal.add_member(Role.USER, email=f"invited@{DOMAIN}", status=INVITED)
    measured: dict[str, tuple[int, int]] = {}

    def measure(route: str, status: int, send: Callable[[], Reply]) -> None:
        aws_calls.reset()
        reply = send()
        assert reply.status == status, (route, reply.body)
        measured[route] = (aws_calls.count("dynamodb"), aws_calls.count("cognito-idp"))

    eo, staff = claims(exams_officer), claims(board)
    new_member = {
        "email": f"new@{DOMAIN}",
        "first_name": "Nia",
        "last_name": "Newman",
        "account_type": "user",
    }
    officer = {"email": f"officer@{DOMAIN}", "first_name": "Owen", "last_name": "Officer"}
    centre_body = {"centre_id": "68002", "name": "Second", "email_domains": ["second.example"]}

    # When each route is called once, successfully
    measure("GET /centres/{id}/users (exams officer)", 200, lambda: call("GET", USERS, claims=eo))
    measure("GET /centres/{id}/users (board staff)", 200, lambda: call("GET", USERS, claims=staff))
    measure(
        "POST /centres/{id}/users", 201, lambda: call("POST", USERS, claims=eo, body=new_member)
    )
    measure(
        "GET /centres/{id}/users/{user_id}",
        200,
        lambda: call("GET", f"{USERS}/{user.user_id}", claims=eo),
    )
    measure(
        "PUT /centres/{id}/users/{user_id}/permissions",
        200,
        lambda: call(
            "PUT",
            f"{USERS}/{user.user_id}/permissions",
            claims=eo,
            body={"permissions": ["iamis", "resources"]},
        ),
    )
    measure(
        "POST /centres/{id}/users/{user_id}/invite",
        200,
        lambda: call("POST", f"{USERS}/{invited.user_id}/invite", claims=eo),
    )
    measure(
        "POST /centres/{id}/users/{user_id}/reset-sign-in",
        202,
        lambda: call("POST", f"{USERS}/{user.user_id}/reset-sign-in", claims=eo),
    )
    measure(
        "DELETE /centres/{id}/users/{user_id}",
        204,
        lambda: call("DELETE", f"{USERS}/{user.user_id}", claims=eo),
    )
    audit = f"{CENTRE}/audit"
    measure("GET /centres/{id}/audit (exams officer)", 200, lambda: call("GET", audit, claims=eo))
    measure("GET /centres/{id}/audit (board staff)", 200, lambda: call("GET", audit, claims=staff))
    measure("POST /centres", 201, lambda: call("POST", "/centres", claims=staff, body=centre_body))
    measure("GET /centres/{id} (exams officer)", 200, lambda: call("GET", CENTRE, claims=eo))
    measure("GET /centres/{id} (board staff)", 200, lambda: call("GET", CENTRE, claims=staff))
    measure(
        "PATCH /centres/{id}",
        200,
        lambda: call("PATCH", CENTRE, claims=staff, body={"name": "Renamed"}),
    )
    exams_officer_path = f"{CENTRE}/exams-officer"
    measure(
        "DELETE /centres/{id}/exams-officer",
        204,
        lambda: call("DELETE", exams_officer_path, claims=staff),
    )
    measure(
        "PUT /centres/{id}/exams-officer",
        201,
        lambda: call("PUT", exams_officer_path, claims=staff, body=officer),
    )
    print(f"\n{table(measured)}")

    # Then every route makes exactly the pinned requests
    assert measured == EXPECTED, table(measured)
    # And every read makes no Cognito call and at most two DynamoDB requests
    for route in READS:
        db, idp = measured[route]
        assert idp == 0, route
        assert db <= 2, route
    # And an invite asks Cognito exactly once
    assert all(measured[route][1] == 1 for route in INVITES)
