"""Inviting members and exams officers, through the real handlers on moto."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import pytest

from local.cognito import Outbox
from shared.domain.accounts import Role
from shared.domain.errors import PortalError
from shared.domain.management import Invitation
from shared.domain.members import Member
from shared.web.runtime import management
from tests.support.events import Reply, call
from tests.support.portal import DOMAIN, Portal, claims


def invite_body(email: str, account_type: str = "user", **extra: Any) -> dict[str, Any]:
    return {
        "email": email,
        "first_name": "Jane",
        "last_name": "Jones",
        "language": "cy",
        "account_type": account_type,
    } | extra


def invite(caller: Member, centre: str, body: dict[str, Any], **kwargs: Any) -> Reply:
    return call("POST", f"/centres/{centre}/users", claims=claims(caller), body=body, **kwargs)


def test_an_exams_officer_invites_a_user_with_iamis(
    portal: Portal, exams_officer: Member, centre: str
) -> None:
    # When the exams officer invites a user with IAMIS
    reply = invite(
        exams_officer, centre, invite_body(f" J.Jones@{DOMAIN.upper()} ", permissions=["iamis"])
    )

    # Then the member is created as invited, with resources added and an exact expiry
    assert reply.status == 201
    member = reply.body
    assert member["email"] == f"j.jones@{DOMAIN}"
    assert member["status"] == "invited"
    assert member["permissions"] == ["iamis", "resources"]
    assert member["invited_by"] == exams_officer.user_id
    invited = datetime.fromisoformat(member["invited_at"])
    expires = datetime.fromisoformat(member["invite_expires_at"])
    assert (expires.year * 12 + expires.month) - (invited.year * 12 + invited.month) == 2
    assert member["language"] == "cy"
    # And Cognito holds the account, with the language in locale and the email verified
    user = portal.idp.admin_get_user(
        UserPoolId=portal.env["USER_POOL_ID"], Username=member["email"]
    )
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["locale"] == "cy"
    assert attributes["email_verified"] == "true"
    assert attributes["sub"] == member["user_id"]
    # And the audit log records it
    assert portal.audit_actions() == ["invite"]


@pytest.mark.parametrize(
    ("email", "status", "code"),
    [
        ("someone@gmail.com", 422, "personal_email_not_allowed"),
        ("someone@other-school.example", 422, "email_domain_not_allowed"),
        ("not-an-email", 400, "validation_error"),
    ],
)
def test_invite_email_policy(
    portal: Portal, admin: Member, centre: str, email: str, status: int, code: str
) -> None:
    reply = invite(admin, centre, invite_body(email))

    assert (reply.status, reply.error_code) == (status, code)
    assert portal.cognito_emails() == {admin.email}


@pytest.mark.parametrize(
    ("body_change", "field"),
    [
        ({"first_name": ""}, "first_name"),
        ({"first_name": "x" * 101}, "first_name"),
        ({"last_name": "Jones\r\nBcc: x"}, "last_name"),
        ({"language": "fr"}, "language"),
        ({"account_type": "exams_officer"}, "account_type"),
        ({"permissions": ["superuser"]}, "permissions"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_invalid_invite_bodies_name_the_field(
    portal: Portal, admin: Member, centre: str, body_change: dict[str, Any], field: str
) -> None:
    reply = invite(admin, centre, invite_body(f"a@{DOMAIN}") | body_change)

    assert reply.status == 400
    assert reply.error_code == "validation_error"
    assert field in reply.body["error"]["message"]


def test_a_malformed_json_body_is_a_validation_error(admin: Member, centre: str) -> None:
    reply = call("POST", f"/centres/{centre}/users", claims=claims(admin), body="{not json")

    assert (reply.status, reply.error_code) == (400, "validation_error")


def test_the_same_email_cannot_be_invited_twice(portal: Portal, admin: Member, centre: str) -> None:
    assert invite(admin, centre, invite_body(f"twice@{DOMAIN}")).status == 201

    reply = invite(admin, centre, invite_body(f"TWICE@{DOMAIN}"))

    assert (reply.status, reply.error_code) == (409, "user_exists")


@pytest.mark.parametrize(
    ("permissions", "code"),
    [(["a2c_keys"], "cannot_grant"), (["view_scripts"], "cannot_grant")],
)
def test_inviters_cannot_grant_what_they_may_not(
    portal: Portal, centre: str, permissions: list[str], code: str
) -> None:
    # Given an admin who holds resources and IAMIS only
    limited = portal.add_member(Role.ADMIN, centre, permissions=frozenset({"resources", "iamis"}))

    reply = invite(limited, centre, invite_body(f"u@{DOMAIN}", permissions=permissions))

    assert (reply.status, reply.error_code) == (403, code)
    assert portal.cognito_emails() == {limited.email}


def test_users_cannot_invite(portal: Portal, user: Member, centre: str) -> None:
    reply = invite(user, centre, invite_body(f"u@{DOMAIN}"))

    assert (reply.status, reply.error_code) == (403, "forbidden")


def test_board_staff_invite_exams_officers_not_users(
    portal: Portal, board: Member, centre: str
) -> None:
    assert invite(board, centre, invite_body(f"u@{DOMAIN}")).status == 403

    reply = call(
        "PUT",
        f"/centres/{centre}/exams-officer",
        claims=claims(board),
        body={"email": f"eo@{DOMAIN}", "first_name": "Eira", "last_name": "Evans"},
    )

    assert reply.status == 201
    assert reply.body["account_type"] == "exams_officer"
    assert len(reply.body["permissions"]) == 6
    again = call(
        "PUT",
        f"/centres/{centre}/exams-officer",
        claims=claims(board),
        body={"email": f"eo2@{DOMAIN}", "first_name": "Eira", "last_name": "Evans"},
    )
    assert (again.status, again.error_code) == (409, "exams_officer_exists")


def test_a_fourth_admin_is_refused(portal: Portal, exams_officer: Member, centre: str) -> None:
    for n in range(3):
        assert invite(exams_officer, centre, invite_body(f"a{n}@{DOMAIN}", "admin")).status == 201

    reply = invite(exams_officer, centre, invite_body(f"a4@{DOMAIN}", "admin"))

    assert (reply.status, reply.error_code) == (409, "admin_limit_reached")
    assert f"a4@{DOMAIN}" not in portal.cognito_emails()


@pytest.mark.usefixtures("atomic_requests")
def test_concurrent_admin_invites_end_with_exactly_three(
    portal: Portal, exams_officer: Member, centre: str
) -> None:
    # When ten admins are invited at the same instant, each a thread calling the invite use
    # case against moto. Threads call the use case, not the handler: Powertools keeps the
    # request being served on the module's resolver, and Lambda never serves two requests in
    # one container at once, so sharing a handler between threads would test the test.
    def attempt(n: int) -> str:
        invitation = Invitation(f"admin{n}@{DOMAIN}", "Ann", "Admin", "en", Role.ADMIN)
        try:
            management().invite(exams_officer, centre, invitation)
        except PortalError as error:
            return error.code
        return "invited"

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(attempt, range(10)))

    # Then exactly three succeed and seven are told the limit is reached
    assert sorted(outcomes) == ["admin_limit_reached"] * 7 + ["invited"] * 3
    admins = [
        m for m in portal.store.list_members(centre, 100, None).items if m.account_type == "admin"
    ]
    assert len(admins) == 3
    assert portal.store.get_centre(centre).admin_count == 3
    assert len(portal.cognito_emails()) == 4  # the exams officer and three admins


def test_a_retry_with_the_same_idempotency_key_creates_one_member(
    portal: Portal, admin: Member, centre: str
) -> None:
    body = invite_body(f"once@{DOMAIN}")
    headers = {"Idempotency-Key": "invite-once-1"}

    first = invite(admin, centre, body, headers=headers)
    second = invite(admin, centre, body, headers=headers)

    assert first.status == second.status == 201
    assert first.body == second.body
    assert len([e for e in portal.cognito_emails() if e.startswith("once@")]) == 1
    assert portal.audit_actions().count("invite") == 1


def test_a_reused_idempotency_key_with_another_body_is_refused(
    portal: Portal, admin: Member, centre: str
) -> None:
    headers = {"Idempotency-Key": "k-2"}
    assert invite(admin, centre, invite_body(f"one@{DOMAIN}"), headers=headers).status == 201

    reply = invite(admin, centre, invite_body(f"two@{DOMAIN}"), headers=headers)

    assert (reply.status, reply.error_code) == (422, "idempotency_key_reused")
    assert f"two@{DOMAIN}" not in portal.cognito_emails()


def test_inviting_into_another_centre_is_not_found(portal: Portal, admin: Member) -> None:
    portal.add_centre("68002", ("other-school.example",))

    reply = invite(admin, "68002", invite_body("x@other-school.example"))

    assert (reply.status, reply.error_code) == (404, "not_found")


def test_the_invite_email_is_worded_in_the_members_language(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox
) -> None:
    # When the exams officer invites a Welsh-speaking member
    reply = invite(exams_officer, centre, invite_body(f"cymraeg@{DOMAIN}", language="cy"))

    # Then Cognito's invite reaches the member through the project's trigger, in Welsh,
    # naming the inviter and the centre and carrying the temporary password
    assert reply.status == 201
    (message,) = outbox.messages(to=f"cymraeg@{DOMAIN}")
    assert message.kind == "email"
    assert message.subject.startswith("Gwahoddiad")
    assert exams_officer.display_name in message.text
    assert "Centre 68001" in message.text
    assert outbox.latest_temporary_password(f"cymraeg@{DOMAIN}") in message.text


def test_a_resent_invite_carries_a_new_temporary_password(
    portal: Portal, admin: Member, centre: str, outbox: Outbox
) -> None:
    email = f"resent@{DOMAIN}"
    member = invite(admin, centre, invite_body(email)).body
    first = outbox.latest_temporary_password(email)

    reply = call(
        "POST", f"/centres/{centre}/users/{member['user_id']}/invite", claims=claims(admin)
    )

    assert reply.status == 200
    assert len(outbox.messages(to=email)) == 2
    assert outbox.latest_temporary_password(email) != first
