"""Board staff set up centres; members may read their own centre."""

from __future__ import annotations

import pytest

from shared.domain.members import Member
from tests.support.events import call
from tests.support.portal import CENTRE_ID, Portal, claims

NEW_CENTRE = {"centre_id": "68020", "name": "Ysgol Newydd", "email_domains": [" Newydd.Example "]}


def test_board_staff_create_a_centre_once(portal: Portal, board: Member) -> None:
    created = call("POST", "/centres", claims=claims(board), body=NEW_CENTRE)
    again = call("POST", "/centres", claims=claims(board), body=NEW_CENTRE)

    assert created.status == 201
    assert created.body["email_domains"] == ["newydd.example"]
    assert created.body["member_counts"] == {"exams_officer": 0, "admin": 0, "user": 0}
    assert (again.status, again.error_code) == (409, "centre_exists")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"centre_id": "6800"}, "centre_id"),
        ({"centre_id": "68a01"}, "centre_id"),
        ({"name": ""}, "name"),
        ({"email_domains": []}, "email_domains"),
        ({"email_domains": ["not a domain"]}, "email_domains"),
    ],
)
def test_bad_centres_are_refused_naming_the_field(
    portal: Portal, board: Member, change: dict, field: str
) -> None:
    reply = call("POST", "/centres", claims=claims(board), body=NEW_CENTRE | change)

    assert (reply.status, reply.error_code) == (400, "validation_error")
    assert field in reply.body["error"]["message"]


def test_a_centre_cannot_list_a_personal_mail_provider(portal: Portal, board: Member) -> None:
    body = NEW_CENTRE | {"email_domains": ["gmail.com"]}

    reply = call("POST", "/centres", claims=claims(board), body=body)

    assert (reply.status, reply.error_code) == (422, "personal_email_not_allowed")


def test_only_board_staff_create_or_change_centres(
    portal: Portal, exams_officer: Member, centre: str
) -> None:
    assert call("POST", "/centres", claims=claims(exams_officer), body=NEW_CENTRE).status == 403
    reply = call(
        "PATCH", f"/centres/{CENTRE_ID}", claims=claims(exams_officer), body={"name": "Mine now"}
    )
    assert (reply.status, reply.error_code) == (403, "forbidden")


def test_board_staff_change_a_centres_domains(portal: Portal, board: Member, centre: str) -> None:
    reply = call(
        "PATCH",
        f"/centres/{CENTRE_ID}",
        claims=claims(board),
        body={"email_domains": ["example-school.example", "staff.example-school.example"]},
    )

    assert reply.status == 200
    assert reply.body["email_domains"] == [
        "example-school.example",
        "staff.example-school.example",
    ]
    assert portal.audit_actions() == ["update_centre"]


def test_members_read_their_own_centre_with_counts(
    portal: Portal, exams_officer: Member, admin: Member, user: Member
) -> None:
    reply = call("GET", f"/centres/{CENTRE_ID}", claims=claims(user))

    assert reply.status == 200
    assert reply.body["member_counts"] == {"exams_officer": 1, "admin": 1, "user": 1}


def test_a_member_cannot_read_another_centre(portal: Portal, user: Member) -> None:
    portal.add_centre("68002", ("other-school.example",))

    assert call("GET", "/centres/68002", claims=claims(user)).status == 404
