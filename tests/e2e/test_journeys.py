"""Every journey of the portal user guide, driven over HTTP against a running portal."""

from __future__ import annotations

from collections.abc import Callable

from tests.e2e.client import Journeys, Person

Centre = tuple[str, Person]


def invite(
    journeys: Journeys,
    inviter: Person,
    centre_id: str,
    email: str,
    account_type: str,
    permissions: list[str] | None = None,
) -> tuple[int, dict]:
    body = {
        "email": email,
        "first_name": "Test",
        "last_name": account_type.title(),
        "language": "en",
        "account_type": account_type,
    }
    if permissions is not None:
        body["permissions"] = permissions
    reply = journeys.api.call(
        "POST", f"/centres/{centre_id}/users", body, token=inviter.access_token
    )
    return reply.status, reply.body


def signed_in_member(
    journeys: Journeys, centre: Centre, account_type: str, name: str, sms: bool = False
) -> Person:
    """A member invited by the exams officer who has completed their first sign-in."""
    centre_id, officer = centre
    person = Person(f"{name}@{officer.extra['domain']}")
    status, body = invite(journeys, officer, centre_id, person.email, account_type)
    assert status == 201, body
    person.user_id = body["user_id"]
    if sms:
        return journeys.first_sign_in_with_sms(person, "+447911123456")
    return journeys.first_sign_in_with_totp(person)


def test_board_creates_a_centre_and_invites_its_exams_officer(
    journeys: Journeys, board: Person, new_centre: Callable[[], tuple[str, str]]
) -> None:
    # Given a centre the board has just created
    centre_id, domain = new_centre()
    officer = f"exams.officer@{domain}"

    # When board staff invite its exams officer
    reply = journeys.api.call(
        "PUT",
        f"/centres/{centre_id}/exams-officer",
        {"email": officer, "first_name": "Eira", "last_name": "Evans", "language": "cy"},
        token=board.access_token,
    )

    # Then the exams officer is invited and the email with a temporary password is sent
    body = journeys.expect(reply, 201, "PUT /centres/{centre_id}/exams-officer")
    assert (body["account_type"], body["status"]) == ("exams_officer", "invited")
    assert journeys.mail.temporary_password(officer)
    again = journeys.api.call(
        "PUT",
        f"/centres/{centre_id}/exams-officer",
        {"email": f"other@{domain}", "first_name": "A", "last_name": "B", "language": "en"},
        token=board.access_token,
    )
    assert (again.status, again.error_code) == (409, "exams_officer_exists")


def test_exams_officer_signs_in_from_the_email_and_sets_up_an_authenticator(
    journeys: Journeys, centre: Centre
) -> None:
    # Given the exams officer signed in with a new password and an authenticator app
    centre_id, officer = centre

    # When they list their centre's members with the token they received
    reply = journeys.api.call("GET", f"/centres/{centre_id}/users", token=officer.access_token)

    # Then they see themselves, active, with TOTP preferred
    users = journeys.expect(reply, 200, "GET /centres/{centre_id}/users")["users"]
    (me,) = [user for user in users if user["email"] == officer.email]
    assert me["status"] == "active"
    assert me["mfa"]["preferred"] == "totp"
    # And a later sign-in asks for the authenticator's code
    assert journeys.sign_in(officer).access_token


def test_three_admins_can_be_invited_and_a_fourth_is_refused(
    journeys: Journeys, centre: Centre
) -> None:
    centre_id, officer = centre
    domain = officer.extra["domain"]

    # When the exams officer invites three admins
    for number in range(3):
        status, body = invite(journeys, officer, centre_id, f"admin{number}@{domain}", "admin")
        assert status == 201, body

    # Then a fourth is refused and no email goes to them
    status, body = invite(journeys, officer, centre_id, f"admin3@{domain}", "admin")
    assert (status, body["error"]["code"]) == (409, "admin_limit_reached")
    assert journeys.mail.count(f"admin3@{domain}") == 0


def test_a_user_is_invited_with_iamis(journeys: Journeys, centre: Centre) -> None:
    centre_id, officer = centre

    status, body = invite(
        journeys, officer, centre_id, f"iamis.user@{officer.extra['domain']}", "user", ["iamis"]
    )

    assert status == 201, body
    assert set(body["permissions"]) == {"resources", "iamis"}
    assert body["status"] == "invited"


def test_a_personal_email_is_refused(journeys: Journeys, centre: Centre) -> None:
    centre_id, officer = centre

    status, body = invite(journeys, officer, centre_id, "someone@gmail.com", "user")

    assert (status, body["error"]["code"]) == (422, "personal_email_not_allowed")
    assert journeys.mail.count("someone@gmail.com") == 0


def test_a_user_signs_in_with_sms_mfa(journeys: Journeys, centre: Centre) -> None:
    # Given a user who chose text messages at their first sign-in
    user = signed_in_member(journeys, centre, "user", "sms.user", sms=True)

    # When they sign in again, the code comes by SMS
    signed_in = journeys.sign_in(user)

    # Then the token works
    centre_id, _ = centre
    reply = journeys.api.call(
        "GET", f"/centres/{centre_id}/users/{user.user_id}", token=signed_in.access_token
    )
    assert (
        journeys.expect(reply, 200, "GET /centres/{centre_id}/users/{user_id}")["mfa"]["preferred"]
        == "sms"
    )


def test_an_admin_changes_a_users_access(journeys: Journeys, centre: Centre) -> None:
    centre_id, _ = centre
    admin = signed_in_member(journeys, centre, "admin", "access.admin")
    user = signed_in_member(journeys, centre, "user", "access.user")

    reply = journeys.api.call(
        "PUT",
        f"/centres/{centre_id}/users/{user.user_id}/permissions",
        {"permissions": ["resources", "view_scripts", "entries_results"]},
        token=admin.access_token,
    )

    body = journeys.expect(reply, 200, "PUT /centres/{centre_id}/users/{user_id}/permissions")
    assert set(body["permissions"]) == {"resources", "view_scripts", "entries_results"}


def test_a_user_cannot_invite(journeys: Journeys, centre: Centre) -> None:
    centre_id, officer = centre
    user = signed_in_member(journeys, centre, "user", "no.invite")

    status, body = invite(journeys, user, centre_id, f"friend@{officer.extra['domain']}", "user")

    assert (status, body["error"]["code"]) == (403, "forbidden")


def test_an_admin_cannot_delete_the_exams_officer(journeys: Journeys, centre: Centre) -> None:
    centre_id, officer = centre
    admin = signed_in_member(journeys, centre, "admin", "bold.admin")

    reply = journeys.api.call(
        "DELETE", f"/centres/{centre_id}/users/{officer.user_id}", token=admin.access_token
    )

    assert reply.status == 403, reply.body
    still = journeys.api.call("GET", f"/centres/{centre_id}/users", token=officer.access_token)
    assert still.status == 200


def test_forgot_password(journeys: Journeys, centre: Centre) -> None:
    # Given a member who forgot their password
    _, officer = centre
    sent = journeys.mail.count(officer.email)

    # When they ask for a code, and use it with a new password
    reply = journeys.api.call("POST", "/auth/forgot-password", {"email": officer.email})
    assert journeys.expect(reply, 202, "POST /auth/forgot-password") == {"status": "code_sent"}
    code = journeys.mail.code(officer.email, after=sent)
    officer.password = "a brand new passphrase"
    reply = journeys.api.call(
        "POST",
        "/auth/reset-password",
        {"email": officer.email, "code": code, "new_password": officer.password},
    )
    journeys.expect(reply, 204, "POST /auth/reset-password")

    # Then they sign in with the new password and their authenticator
    assert journeys.sign_in(officer).access_token
    # And an unknown address gets the same answer
    unknown = journeys.api.call("POST", "/auth/forgot-password", {"email": "nobody@x.example"})
    assert (unknown.status, unknown.body) == (202, {"status": "code_sent"})


def test_profile_edit(journeys: Journeys, centre: Centre) -> None:
    _, officer = centre

    reply = journeys.api.call(
        "PATCH", "/me", {"job_role": "Exams officer", "language": "cy"}, token=officer.access_token
    )

    body = journeys.expect(reply, 200, "PATCH /me")
    assert (body["job_role"], body["language"]) == ("Exams officer", "cy")
    refused = journeys.api.call(
        "PATCH", "/me", {"email": "x@y.example"}, token=officer.access_token
    )
    assert (refused.status, refused.error_code) == (400, "email_immutable")


def test_a_deleted_members_token_stops_working(journeys: Journeys, centre: Centre) -> None:
    # Given a signed-in user holding a token
    centre_id, officer = centre
    user = signed_in_member(journeys, centre, "user", "leaver")
    own = f"/centres/{centre_id}/users/{user.user_id}"
    assert journeys.api.call("GET", own, token=user.access_token).status == 200

    # When the exams officer deletes them
    reply = journeys.api.call("DELETE", own, token=officer.access_token)
    journeys.expect(reply, 204, "DELETE /centres/{centre_id}/users/{user_id}")

    # Then the token they still hold is refused, and they cannot sign in
    after = journeys.api.call("GET", own, token=user.access_token)
    assert after.status in {401, 403}, after.body
    again = journeys.api.call(
        "POST", "/auth/sign-in", {"email": user.email, "password": user.password}
    )
    assert (again.status, again.error_code) == (401, "invalid_credentials")
