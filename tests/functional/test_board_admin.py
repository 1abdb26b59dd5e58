"""The bootstrap command invites the first board staff member, who can then set up centres."""

from __future__ import annotations

import pytest

from local.cognito import Outbox
from ops.board_admin import main
from shared.domain.members import Member
from tests.support.events import call
from tests.support.portal import Portal, claims

BOARD_DOMAIN = "exam-board.example"


def bootstrap(portal: Portal, email: str) -> int:
    return main(
        [
            "--email",
            email,
            "--first-name",
            "Ann",
            "--surname",
            "Jones",
            "--user-pool-id",
            portal.env["USER_POOL_ID"],
            "--table-name",
            portal.env["TABLE_NAME"],
            "--board-domain",
            BOARD_DOMAIN,
        ]
    )


def test_the_first_board_staff_member_is_invited_and_can_create_centres(
    portal: Portal, outbox: Outbox
) -> None:
    # When the operator runs the bootstrap command
    assert bootstrap(portal, f"Ann.Jones@{BOARD_DOMAIN}") == 0

    # Then the invite with a temporary password is emailed
    email = f"ann.jones@{BOARD_DOMAIN}"
    assert outbox.latest_temporary_password(email)
    # And the member, in the board staff group, may create a centre
    user = portal.idp.admin_list_groups_for_user(
        UserPoolId=portal.env["USER_POOL_ID"], Username=email
    )
    assert [g["GroupName"] for g in user["Groups"]] == ["board_staff"]
    member = next(m for m in _board_members(portal) if m.email == email)
    reply = call(
        "POST",
        "/centres",
        claims=claims(member),
        body={"centre_id": "68010", "name": "Ysgol Newydd", "email_domains": ["newydd.example"]},
    )
    assert reply.status == 201


@pytest.mark.parametrize("email", ["ann@gmail.com", "ann@some-school.example"])
def test_board_staff_must_use_the_boards_domain(portal: Portal, email: str) -> None:
    assert bootstrap(portal, email) == 1
    assert portal.cognito_emails() == set()


def test_the_same_address_is_not_invited_twice(portal: Portal) -> None:
    assert bootstrap(portal, f"ann@{BOARD_DOMAIN}") == 0
    assert bootstrap(portal, f"ann@{BOARD_DOMAIN}") == 1


def _board_members(portal: Portal) -> list[Member]:
    users = portal.idp.list_users(UserPoolId=portal.env["USER_POOL_ID"])["Users"]
    subs = [a["Value"] for u in users for a in u["Attributes"] if a["Name"] == "sub"]
    return [m for m in (portal.store.get_member(sub) for sub in subs) if m is not None]
