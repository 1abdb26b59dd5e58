"""Managing a centre's members through the real handlers: access, resends, resets, deletions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.domain.accounts import Role
from shared.domain.members import INVITED, Member
from tests.support.events import call
from tests.support.portal import CENTRE_ID, DOMAIN, Portal, claims


def invite_user(caller: Member, email: str, account_type: str = "user") -> dict:
    reply = call(
        "POST",
        f"/centres/{CENTRE_ID}/users",
        claims=claims(caller),
        body={
            "email": email,
            "first_name": "Ann",
            "last_name": "Other",
            "account_type": account_type,
        },
    )
    assert reply.status == 201, reply.body
    return reply.body


# --- listing -----------------------------------------------------------------------------


def test_members_are_listed_a_page_at_a_time(portal: Portal, exams_officer: Member) -> None:
    for n in range(5):
        portal.add_member(Role.USER, email=f"u{n}@{DOMAIN}")

    first = call(
        "GET", f"/centres/{CENTRE_ID}/users", claims=claims(exams_officer), query={"limit": "4"}
    )
    second = call(
        "GET",
        f"/centres/{CENTRE_ID}/users",
        claims=claims(exams_officer),
        query={"limit": "4", "cursor": first.body["next_cursor"]},
    )

    assert first.status == second.status == 200
    assert len(first.body["users"]) == 4
    emails = [u["email"] for u in first.body["users"] + second.body["users"]]
    assert sorted(emails) == sorted([*(f"u{n}@{DOMAIN}" for n in range(5)), exams_officer.email])
    assert second.body["next_cursor"] is None


@pytest.mark.parametrize(
    "query", [{"limit": "0"}, {"limit": "101"}, {"limit": "x"}, {"cursor": "not-a-cursor"}]
)
def test_bad_paging_parameters_are_validation_errors(exams_officer: Member, query: dict) -> None:
    reply = call("GET", f"/centres/{CENTRE_ID}/users", claims=claims(exams_officer), query=query)

    assert (reply.status, reply.error_code) == (400, "validation_error")


def test_an_invite_past_its_expiry_is_listed_as_expired(
    portal: Portal, exams_officer: Member
) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=70)
    portal.add_member(
        Role.USER,
        email=f"late@{DOMAIN}",
        status=INVITED,
        invited_at=long_ago,
        invite_expires_at=long_ago + timedelta(days=61),
    )

    reply = call("GET", f"/centres/{CENTRE_ID}/users", claims=claims(exams_officer))

    statuses = {u["email"]: u["status"] for u in reply.body["users"]}
    assert statuses[f"late@{DOMAIN}"] == "expired"


def test_users_cannot_list_members(user: Member) -> None:
    reply = call("GET", f"/centres/{CENTRE_ID}/users", claims=claims(user))

    assert (reply.status, reply.error_code) == (403, "forbidden")


def test_a_member_views_themself_but_a_user_not_others(user: Member, admin: Member) -> None:
    path = f"/centres/{CENTRE_ID}/users"

    assert call("GET", f"{path}/{user.user_id}", claims=claims(user)).status == 200
    assert call("GET", f"{path}/{admin.user_id}", claims=claims(user)).status == 403
    assert call("GET", f"{path}/{user.user_id}", claims=claims(admin)).status == 200


# --- access ------------------------------------------------------------------------------


def test_an_admin_grants_a_user_iamis_effective_at_once(portal: Portal, admin: Member) -> None:
    member = portal.add_member(Role.USER)
    path = f"/centres/{CENTRE_ID}/users/{member.user_id}/permissions"

    reply = call("PUT", path, claims=claims(admin), body={"permissions": ["iamis"]})

    assert reply.status == 200
    assert reply.body["permissions"] == ["iamis", "resources"]
    assert portal.store.get_member(member.user_id).permissions == {"iamis", "resources"}
    assert portal.audit_actions() == ["set_permissions"]


@pytest.mark.parametrize(
    ("actor_type", "target_type", "permissions", "status", "code"),
    [
        ("admin", "user", ["a2c_keys"], 403, "cannot_grant"),
        ("admin", "exams_officer", ["resources"], 403, "forbidden"),
        ("user", "user", ["iamis"], 403, "forbidden"),
        ("exams_officer", "admin", ["iamis"], 200, None),
    ],
)
def test_permission_rules_through_the_handler(
    portal: Portal,
    centre: str,
    actor_type: str,
    target_type: str,
    permissions: list[str],
    status: int,
    code: str | None,
) -> None:
    actor = portal.add_member(Role(actor_type))
    target = (
        portal.add_member(Role(target_type))
        if target_type != "exams_officer" or actor_type == "exams_officer"
        else portal.add_member(Role.EXAMS_OFFICER)
    )
    path = f"/centres/{CENTRE_ID}/users/{target.user_id}/permissions"

    reply = call("PUT", path, claims=claims(actor), body={"permissions": permissions})

    assert (reply.status, reply.error_code) == (status, code)


def test_a_removed_permission_is_refused_on_the_next_request(
    portal: Portal, exams_officer: Member
) -> None:
    # Given an admin who can list members
    member = portal.add_member(Role.ADMIN)
    assert call("GET", f"/centres/{CENTRE_ID}/users", claims=claims(member)).status == 200

    # When the exams officer demotes their access to resources only, and then deletes them
    path = f"/centres/{CENTRE_ID}/users/{member.user_id}"
    assert (
        call(
            "PUT", f"{path}/permissions", claims=claims(exams_officer), body={"permissions": []}
        ).status
        == 200
    )
    assert portal.store.get_member(member.user_id).permissions == {"resources"}


# --- resend and reset --------------------------------------------------------------------


def test_resending_an_invite_renews_its_expiry(portal: Portal, admin: Member) -> None:
    invited = invite_user(admin, f"resend@{DOMAIN}")
    path = f"/centres/{CENTRE_ID}/users/{invited['user_id']}/invite"

    reply = call("POST", path, claims=claims(admin))

    assert reply.status == 200
    assert reply.body["invite_expires_at"] >= invited["invite_expires_at"]
    assert portal.audit_actions()[:2] == ["resend_invite", "invite"]
    assert portal.cognito_emails() == {admin.email, f"resend@{DOMAIN}"}


def test_an_active_member_has_no_invite_to_resend(portal: Portal, admin: Member) -> None:
    member = portal.add_member(Role.USER)

    reply = call(
        "POST", f"/centres/{CENTRE_ID}/users/{member.user_id}/invite", claims=claims(admin)
    )

    assert (reply.status, reply.error_code) == (409, "already_active")


def test_reset_sign_in_returns_a_member_to_first_sign_in(portal: Portal, admin: Member) -> None:
    member = portal.add_member(Role.USER, mfa_preferred="totp", mfa_enabled=("totp",))

    reply = call(
        "POST", f"/centres/{CENTRE_ID}/users/{member.user_id}/reset-sign-in", claims=claims(admin)
    )

    assert reply.status == 202
    after = portal.store.get_member(member.user_id)
    assert (after.status, after.mfa_preferred, after.mfa_enabled) == ("invited", None, ())
    user = portal.idp.admin_get_user(UserPoolId=portal.env["USER_POOL_ID"], Username=member.email)
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert portal.audit_actions() == ["reset_sign_in"]


def test_board_staff_reset_an_exams_officers_sign_in(
    portal: Portal, board: Member, exams_officer: Member
) -> None:
    path = f"/centres/{CENTRE_ID}/users/{exams_officer.user_id}/reset-sign-in"

    assert call("POST", path, claims=claims(board)).status == 202


# --- deletion ----------------------------------------------------------------------------


def test_deleting_a_member_removes_both_records_and_refuses_their_token(
    portal: Portal, admin: Member
) -> None:
    member = portal.add_member(Role.USER)
    assert (
        call("GET", "/centres/68001/users/" + member.user_id, claims=claims(member)).status == 200
    )

    reply = call("DELETE", f"/centres/{CENTRE_ID}/users/{member.user_id}", claims=claims(admin))

    assert reply.status == 204
    assert member.email not in portal.cognito_emails()
    assert member.email not in portal.member_emails()
    assert portal.audit_actions() == ["delete"]
    # The old token is still signed by Cognito, but the portal no longer knows its owner
    after = call("GET", f"/centres/{CENTRE_ID}/users/{member.user_id}", claims=claims(member))
    assert (after.status, after.error_code) == (401, "unauthorized")


def test_the_address_can_be_invited_again_after_deletion(portal: Portal, admin: Member) -> None:
    invited = invite_user(admin, f"again@{DOMAIN}")
    path = f"/centres/{CENTRE_ID}/users/{invited['user_id']}"
    assert call("DELETE", path, claims=claims(admin)).status == 204

    assert invite_user(admin, f"again@{DOMAIN}")["email"] == f"again@{DOMAIN}"


def test_admins_cannot_delete_the_exams_officer_but_board_staff_can(
    portal: Portal, admin: Member, board: Member, exams_officer: Member
) -> None:
    path = f"/centres/{CENTRE_ID}/users/{exams_officer.user_id}"

    assert call("DELETE", path, claims=claims(admin)).status == 403
    reply = call("DELETE", f"/centres/{CENTRE_ID}/exams-officer", claims=claims(board))

    assert reply.status == 204
    assert portal.store.get_centre(CENTRE_ID).exams_officer_id is None


def test_nobody_deletes_themself(admin: Member) -> None:
    reply = call("DELETE", f"/centres/{CENTRE_ID}/users/{admin.user_id}", claims=claims(admin))

    assert (reply.status, reply.error_code) == (409, "cannot_delete_self")


# --- isolation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("GET", "/users"),
        ("GET", "/users/{user_id}"),
        ("PUT", "/users/{user_id}/permissions"),
        ("POST", "/users/{user_id}/invite"),
        ("POST", "/users/{user_id}/reset-sign-in"),
        ("DELETE", "/users/{user_id}"),
        ("GET", "/audit"),
        ("GET", ""),
    ],
)
def test_another_centre_is_not_found_whatever_the_route(
    portal: Portal, exams_officer: Member, method: str, suffix: str
) -> None:
    # Given a member of another centre
    portal.add_centre("68002", ("other-school.example",))
    other = portal.add_member(Role.USER, "68002", email="x@other-school.example")
    path = "/centres/68002" + suffix.format(user_id=other.user_id)
    body = {"permissions": []} if suffix.endswith("permissions") else None

    reply = call(method, path, claims=claims(exams_officer), body=body)

    assert (reply.status, reply.error_code) == (404, "not_found")
    assert portal.store.get_member(other.user_id) is not None


def test_a_member_of_this_centre_addressed_under_another_is_not_found(
    portal: Portal, exams_officer: Member, user: Member
) -> None:
    portal.add_centre("68002", ("other-school.example",))
    path = f"/centres/68002/users/{user.user_id}"

    assert call("GET", path, claims=claims(exams_officer)).status == 404


# --- audit -------------------------------------------------------------------------------


def test_the_audit_log_lists_changes_newest_first(portal: Portal, exams_officer: Member) -> None:
    invited = invite_user(exams_officer, f"audit@{DOMAIN}")
    path = f"/centres/{CENTRE_ID}/users/{invited['user_id']}"
    call(
        "PUT", f"{path}/permissions", claims=claims(exams_officer), body={"permissions": ["iamis"]}
    )
    call("DELETE", path, claims=claims(exams_officer))

    reply = call("GET", f"/centres/{CENTRE_ID}/audit", claims=claims(exams_officer))

    assert reply.status == 200
    actions = [e["action"] for e in reply.body["events"] if e["actor"] == exams_officer.user_id]
    assert actions == ["delete", "set_permissions", "invite"]
    assert reply.body["events"][0]["target"] == invited["user_id"]
    assert reply.body["events"][1]["details"] == {
        "before": ["resources"],
        "after": ["iamis", "resources"],
    }


@pytest.mark.parametrize("suffix", ["/users", "/audit", ""])
def test_board_staff_get_404_for_a_centre_that_does_not_exist(board: Member, suffix: str) -> None:
    reply = call("GET", f"/centres/99999{suffix}", claims=claims(board))

    assert (reply.status, reply.error_code) == (404, "not_found")


def test_board_staff_list_a_centre_with_no_members_yet(portal: Portal, board: Member) -> None:
    portal.add_centre("68003", ("new-school.example",))

    reply = call("GET", "/centres/68003/users", claims=claims(board))

    assert (reply.status, reply.body) == (200, {"users": [], "next_cursor": None})
