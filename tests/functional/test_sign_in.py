"""Signing in, from an invite to a member's later sign-ins, through the real auth handler."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from local.cognito import Clock, Outbox
from local.cognito import clock as layer_clock
from shared.domain.members import ACTIVE, INVITED, Member
from tests.support.portal import Portal
from tests.support.signin import (
    NEW_PASSWORD,
    PHONE,
    PHONE_E164,
    active_totp_member,
    invite,
    post,
    set_up_totp,
    to_mfa_setup,
    totp_code,
)


@pytest.fixture
def clock() -> Iterator[Clock]:
    """The local Cognito layer's clock, frozen at now."""
    layer_clock.freeze()
    yield layer_clock
    layer_clock.unfreeze()


def member_of(portal: Portal, email: str) -> Member:
    member = portal.store.member_by_email(email)
    assert member is not None
    return member


def test_first_sign_in_with_an_authenticator_app(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox
) -> None:
    # Given an invited member who has set a new password
    email, temporary = invite(exams_officer, centre, outbox)
    session = to_mfa_setup(email, temporary)

    # When they choose an authenticator app
    setup = post("/auth/mfa-setup/totp", email=email, session=session)

    # Then they get a secret, a Key URI naming the portal and their address, and a QR code
    assert setup.status == 200
    assert (setup.body["status"], setup.body["challenge"]) == ("challenge", "totp_setup")
    uri = urlparse(setup.body["otpauth_uri"])
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert unquote(uri.path) == f"/Centre Portal:{email}"
    query = parse_qs(uri.query)
    assert query["issuer"] == ["Centre Portal"]
    assert query["secret"] == [setup.body["secret"]]
    assert setup.body["qr_svg"].startswith(("<?xml", "<svg"))

    # When they answer with the app's first code
    reply = post(
        "/auth/mfa",
        email=email,
        session=setup.body["session"],
        challenge="totp_setup",
        code=totp_code(setup.body["secret"]),
    )

    # Then they are signed in, and their record is active with TOTP preferred
    assert reply.status == 200
    assert reply.body["status"] == "signed_in"
    tokens = reply.body["tokens"]
    assert set(tokens) == {"access_token", "id_token", "refresh_token", "expires_in"}
    assert tokens["expires_in"] == 3600
    member = member_of(portal, email)
    assert (member.status, member.mfa_preferred, member.mfa_enabled) == (ACTIVE, "totp", ("totp",))


def test_first_sign_in_with_sms(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox
) -> None:
    # Given an invited member at MFA set-up
    email, temporary = invite(exams_officer, centre, outbox)
    session = to_mfa_setup(email, temporary)

    # When they give a UK mobile number as they would write it
    reply = post("/auth/mfa-setup/sms", email=email, session=session, phone=PHONE)

    # Then a code is sent by SMS to the number in E.164, shown masked
    assert reply.status == 200, reply.body
    assert reply.body["challenge"] == "sms"
    assert reply.body["destination"] != PHONE_E164
    assert reply.body["destination"].endswith(PHONE_E164[-4:])
    code = outbox.latest_code(PHONE_E164)

    # When they answer with it, they are signed in with SMS preferred
    reply = post(
        "/auth/mfa", email=email, session=reply.body["session"], challenge="sms", code=code
    )
    assert reply.body["status"] == "signed_in", reply.body
    member = member_of(portal, email)
    assert (member.status, member.mfa_preferred, member.mfa_enabled) == (ACTIVE, "sms", ("sms",))
    # with the phone the codes go to, as Profile shows it
    assert member.phone == PHONE_E164

    # And the next sign-in asks for an SMS code straight away
    reply = post("/auth/sign-in", email=email, password=NEW_PASSWORD)
    assert reply.body["challenge"] == "sms"
    again = post(
        "/auth/mfa",
        email=email,
        session=reply.body["session"],
        challenge="sms",
        code=outbox.latest_code(PHONE_E164),
    )
    assert again.body["status"] == "signed_in"


def test_first_sign_in_with_email(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox
) -> None:
    # Given an invited member at MFA set-up
    email, temporary = invite(exams_officer, centre, outbox)
    session = to_mfa_setup(email, temporary)

    # When they choose email codes
    reply = post("/auth/mfa-setup/email", email=email, session=session)

    # Then a code goes to their address, shown masked
    assert reply.status == 200, reply.body
    assert reply.body["challenge"] == "email"
    assert reply.body["destination"] != email
    reply = post(
        "/auth/mfa",
        email=email,
        session=reply.body["session"],
        challenge="email",
        code=outbox.latest_code(email),
    )

    # And answering it signs them in with email preferred
    assert reply.body["status"] == "signed_in", reply.body
    member = member_of(portal, email)
    assert (member.status, member.mfa_preferred) == (ACTIVE, "email")

    # And later sign-ins ask for an emailed code
    reply = post("/auth/sign-in", email=email.upper(), password=NEW_PASSWORD)
    assert reply.body["challenge"] == "email"


def test_a_later_sign_in_asks_for_the_authenticator_code(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox, clock: Clock
) -> None:
    # Given a member who set up TOTP
    email, secret, _ = active_totp_member(exams_officer, centre, outbox)
    clock.advance(seconds=30)

    # When they sign in again
    reply = post("/auth/sign-in", email=email, password=NEW_PASSWORD)

    # Then they are asked for the app's code, and a wrong one is refused
    assert (reply.status, reply.body["challenge"]) == (200, "totp")
    session = reply.body["session"]
    wrong = post("/auth/mfa", email=email, session=session, challenge="totp", code="000000")
    assert (wrong.status, wrong.error_code) == (401, "invalid_code")

    # And the same session still takes the right code
    right = post(
        "/auth/mfa", email=email, session=session, challenge="totp", code=totp_code(secret)
    )
    assert right.body["status"] == "signed_in"


def test_a_wrong_code_at_set_up_can_be_retried_on_the_same_session(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox
) -> None:
    email, temporary = invite(exams_officer, centre, outbox)
    setup = post("/auth/mfa-setup/totp", email=email, session=to_mfa_setup(email, temporary))
    session = setup.body["session"]

    wrong = post("/auth/mfa", email=email, session=session, challenge="totp_setup", code="123456")
    right = post(
        "/auth/mfa",
        email=email,
        session=session,
        challenge="totp_setup",
        code=totp_code(setup.body["secret"]),
    )

    assert (wrong.status, wrong.error_code) == (401, "invalid_code")
    assert right.body["status"] == "signed_in"


def test_a_short_new_password_is_refused_before_cognito(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox
) -> None:
    email, temporary = invite(exams_officer, centre, outbox)
    challenge = post("/auth/sign-in", email=email, password=temporary).body
    session = challenge["session"]

    short = post("/auth/new-password", email=email, session=session, new_password="nine char")

    assert (short.status, short.error_code) == (400, "password_too_short")
    assert "10" in short.body["error"]["message"]
    # Cognito never saw it: the session is unused and still takes a good password
    good = post("/auth/new-password", email=email, session=session, new_password=NEW_PASSWORD)
    assert good.body["challenge"] == "mfa_setup"
    assert good.body["mfa_options"] == ["totp", "sms", "email"]


def test_a_password_with_spaces_around_it_is_refused_with_the_reason(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox
) -> None:
    email, temporary = invite(exams_officer, centre, outbox)
    session = post("/auth/sign-in", email=email, password=temporary).body["session"]

    reply = post(
        "/auth/new-password", email=email, session=session, new_password=f" {NEW_PASSWORD} "
    )

    assert (reply.status, reply.error_code) == (400, "password_has_outer_spaces")
    assert "space" in reply.body["error"]["message"]


def test_unknown_email_and_wrong_password_get_the_same_answer(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox
) -> None:
    email, _ = invite(exams_officer, centre, outbox)

    wrong = post("/auth/sign-in", email=email, password="not the password")
    unknown = post("/auth/sign-in", email=f"nobody@{email.split('@')[1]}", password="whatever1")

    assert wrong.status == unknown.status == 401
    assert wrong.body == unknown.body
    assert wrong.error_code == "invalid_credentials"


def test_an_invite_past_its_expiry_is_refused(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox
) -> None:
    # Given an invite whose two months have run out (Cognito's backstop has not)
    email, temporary = invite(exams_officer, centre, outbox)
    member = member_of(portal, email)
    portal.db.update_item(
        TableName="portal",
        Key={"pk": {"S": f"USER#{member.user_id}"}, "sk": {"S": "MEMBER"}},
        UpdateExpression="SET invite_expires_at = :past",
        ExpressionAttributeValues={":past": {"S": "2020-01-01T00:00:00Z"}},
    )

    reply = post("/auth/sign-in", email=email, password=temporary)

    assert (reply.status, reply.error_code) == (403, "invite_expired")
    assert member_of(portal, email).status == INVITED


def test_a_temporary_password_past_cognitos_validity_is_an_expired_invite(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox, clock: Clock
) -> None:
    email, temporary = invite(exams_officer, centre, outbox)
    clock.advance(days=63)

    reply = post("/auth/sign-in", email=email, password=temporary)

    assert (reply.status, reply.error_code) == (403, "invite_expired")


def test_sms_set_up_needs_the_set_up_session_of_that_address(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox
) -> None:
    # Given two members at MFA set-up
    first, first_temporary = invite(exams_officer, centre, outbox)
    second, second_temporary = invite(exams_officer, centre, outbox)
    to_mfa_setup(first, first_temporary)
    second_session = to_mfa_setup(second, second_temporary)

    # When the second tries to give the first member's account a phone number
    reply = post("/auth/mfa-setup/sms", email=first, session=second_session, phone=PHONE)

    # Then it is refused and the first account is untouched
    assert (reply.status, reply.error_code) == (401, "session_expired")
    user = portal.idp.admin_get_user(UserPoolId=portal.env["USER_POOL_ID"], Username=first)
    assert "phone_number" not in {a["Name"] for a in user["UserAttributes"]}


@pytest.mark.parametrize("phone", ["12345", "not a phone", "+44 7700"])
def test_an_invalid_phone_is_a_validation_error(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox, phone: str
) -> None:
    email, temporary = invite(exams_officer, centre, outbox)
    session = to_mfa_setup(email, temporary)

    reply = post("/auth/mfa-setup/sms", email=email, session=session, phone=phone)

    assert (reply.status, reply.error_code) == (400, "validation_error")
    assert "phone" in reply.body["error"]["message"]


def test_a_member_with_two_methods_and_none_preferred_chooses(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox, clock: Clock
) -> None:
    # Given a TOTP member who also has SMS on, with no preferred method
    email, secret, _ = active_totp_member(exams_officer, centre, outbox)
    pool = portal.env["USER_POOL_ID"]
    portal.idp.admin_update_user_attributes(
        UserPoolId=pool,
        Username=email,
        UserAttributes=[
            {"Name": "phone_number", "Value": PHONE_E164},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
    )
    portal.idp.admin_set_user_mfa_preference(
        UserPoolId=pool,
        Username=email,
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False},
    )
    clock.advance(seconds=30)

    # When they sign in, they are asked to choose, and choosing TOTP asks for its code
    reply = post("/auth/sign-in", email=email, password=NEW_PASSWORD)
    assert reply.body["challenge"] == "select_mfa"
    assert reply.body["mfa_options"] == ["totp", "sms"]
    chosen = post("/auth/select-mfa", email=email, session=reply.body["session"], method="totp")
    assert chosen.body["challenge"] == "totp"
    done = post(
        "/auth/mfa",
        email=email,
        session=chosen.body["session"],
        challenge="totp",
        code=totp_code(secret),
    )
    assert done.body["status"] == "signed_in"


def test_invited_at_is_unchanged_by_signing_in(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox
) -> None:
    email, temporary = invite(exams_officer, centre, outbox)
    before = member_of(portal, email)

    _, reply = set_up_totp(email, to_mfa_setup(email, temporary))

    after = member_of(portal, email)
    assert reply.body["status"] == "signed_in"
    assert after.invited_at == before.invited_at
    assert after.version == before.version + 1
