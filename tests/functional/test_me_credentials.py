"""The signed-in member's password and MFA methods, through the real auth handler."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from local.cognito import Outbox
from shared.domain.members import Member
from tests.functional.conftest import CapturedLogs
from tests.support.aws_calls import counting_aws_calls
from tests.support.events import Reply, call
from tests.support.portal import Portal, claims
from tests.support.signin import (
    NEW_PASSWORD,
    PHONE,
    PHONE_E164,
    active_totp_member,
    post,
    totp_code,
)

OTHER_PASSWORD = "another long passphrase"


@dataclass
class SignedIn:
    """A member who has just signed in with an authenticator app."""

    email: str
    secret: str
    tokens: dict[str, Any]
    member: Member

    def call(self, method: str, path: str, body: Any = None) -> Reply:
        headers = {"Authorization": f"Bearer {self.tokens['access_token']}"}
        return call(method, path, claims=claims(self.member), body=body, headers=headers)


@pytest.fixture
def signed_in(portal: Portal, exams_officer: Member, centre: str, outbox: Outbox) -> SignedIn:
    email, secret, reply = active_totp_member(exams_officer, centre, outbox)
    member = portal.store.member_by_email(email)
    assert member is not None
    return SignedIn(email, secret, reply.body["tokens"], member)


def record_of(portal: Portal, who: SignedIn) -> Member:
    member = portal.store.get_member(who.member.user_id)
    assert member is not None
    return member


def challenge_after_password(email: str, password: str = NEW_PASSWORD) -> Reply:
    reply = post("/auth/sign-in", email=email, password=password)
    assert (reply.status, reply.body["status"]) == (200, "challenge"), reply.body
    return reply


def test_a_changed_password_signs_in_still_through_mfa(portal: Portal, signed_in: SignedIn) -> None:
    # When the member changes their password
    body = {"current_password": NEW_PASSWORD, "new_password": OTHER_PASSWORD}
    reply = signed_in.call("POST", "/me/password", body)

    # Then it is changed and audited, the old one no longer works and the new one asks for TOTP
    assert (reply.status, reply.body) == (204, None)
    old = post("/auth/sign-in", email=signed_in.email, password=NEW_PASSWORD)
    assert (old.status, old.error_code) == (401, "invalid_credentials")
    assert challenge_after_password(signed_in.email, OTHER_PASSWORD).body["challenge"] == "totp"
    assert "change_password" in portal.audit_actions()


def test_a_short_new_password_is_refused_before_cognito(signed_in: SignedIn) -> None:
    # When the new password is shorter than 10 characters
    with counting_aws_calls() as calls:
        body = {"current_password": NEW_PASSWORD, "new_password": "too short"}
        reply = signed_in.call("POST", "/me/password", body)

    # Then it is refused without asking Cognito, and the old password still works
    assert (reply.status, reply.error_code) == (400, "password_too_short")
    assert "10" in reply.body["error"]["message"]
    assert calls.count("cognito-idp") == 0
    assert challenge_after_password(signed_in.email).body["challenge"] == "totp"


def test_a_wrong_current_password_is_refused(signed_in: SignedIn) -> None:
    # When the current password given is wrong
    body = {"current_password": f"{NEW_PASSWORD}x", "new_password": OTHER_PASSWORD}
    reply = signed_in.call("POST", "/me/password", body)

    # Then it is refused as a wrong password at sign-in is, and nothing changed
    assert (reply.status, reply.error_code) == (401, "invalid_credentials")
    assert challenge_after_password(signed_in.email).body["challenge"] == "totp"


def test_a_new_authenticator_replaces_the_old_one(portal: Portal, signed_in: SignedIn) -> None:
    # When the member sets up a new authenticator, mistyping its first code once
    setup = signed_in.call("POST", "/me/mfa/totp")
    assert setup.status == 200
    assert setup.body["secret"] != signed_in.secret
    assert f"secret={setup.body['secret']}" in setup.body["otpauth_uri"]
    assert setup.body["qr_svg"].startswith(("<?xml", "<svg"))
    wrong = signed_in.call("POST", "/me/mfa/totp/verify", {"code": "000000"})
    assert (wrong.status, wrong.error_code) == (401, "invalid_code")
    verified = signed_in.call(
        "POST", "/me/mfa/totp/verify", {"code": totp_code(setup.body["secret"])}
    )

    # Then the next sign-in asks for TOTP, which the new secret answers and the old does not
    assert verified.status == 204
    challenge = challenge_after_password(signed_in.email)
    assert challenge.body["challenge"] == "totp"
    session = challenge.body["session"]
    answer = {"email": signed_in.email, "session": session, "challenge": "totp"}
    old = post("/auth/mfa", **answer, code=totp_code(signed_in.secret))
    assert (old.status, old.error_code) == (401, "invalid_code")
    new = post("/auth/mfa", **answer, code=totp_code(setup.body["secret"]))
    assert new.body["status"] == "signed_in"
    member = record_of(portal, signed_in)
    assert (member.mfa_preferred, member.mfa_enabled) == ("totp", ("totp",))


def test_switching_to_sms_with_a_code_from_the_outbox(
    portal: Portal, signed_in: SignedIn, outbox: Outbox
) -> None:
    # When the member gives a phone number, and answers with a wrong code, then the right one
    sent = signed_in.call("POST", "/me/mfa/sms", {"phone": PHONE})
    assert sent.status == 202
    assert sent.body["status"] == "code_sent"
    assert sent.body["destination"].endswith(PHONE_E164[-4:])
    assert PHONE_E164 not in sent.body["destination"]
    wrong = signed_in.call("POST", "/me/mfa/sms/verify", {"code": "000000"})
    assert (wrong.status, wrong.error_code) == (401, "invalid_code")
    code = outbox.latest_code(PHONE_E164)
    verified = signed_in.call("POST", "/me/mfa/sms/verify", {"code": code})

    # Then SMS is preferred in the record (with the phone) and in GET /me/mfa
    assert verified.status == 204
    member = record_of(portal, signed_in)
    assert (member.phone, member.mfa_preferred, member.mfa_enabled) == (
        PHONE_E164,
        "sms",
        ("totp", "sms"),
    )
    settings = signed_in.call("GET", "/me/mfa")
    assert settings.body == {
        "preferred": "sms",
        "enabled": ["totp", "sms"],
        "options": ["totp", "sms", "email"],
    }
    assert "change_mfa" in portal.audit_actions()

    # And the next sign-in sends an SMS code, which signs them in
    challenge = challenge_after_password(signed_in.email)
    assert challenge.body["challenge"] == "sms"
    assert challenge.body["destination"].endswith(PHONE_E164[-4:])
    done = post(
        "/auth/mfa",
        email=signed_in.email,
        session=challenge.body["session"],
        challenge="sms",
        code=outbox.latest_code(PHONE_E164),
    )
    assert done.body["status"] == "signed_in"


def test_switching_to_email_and_back(portal: Portal, signed_in: SignedIn) -> None:
    # When the member switches to email codes
    reply = signed_in.call("PUT", "/me/mfa", {"method": "email"})

    # Then the next sign-in asks for an email code, and GET /me/mfa shows it
    assert reply.status == 204
    assert challenge_after_password(signed_in.email).body["challenge"] == "email"
    settings = signed_in.call("GET", "/me/mfa").body
    assert (settings["preferred"], settings["enabled"]) == ("email", ["totp", "email"])

    # When they switch back to their authenticator
    assert signed_in.call("PUT", "/me/mfa", {"method": "totp"}).status == 204

    # Then the next sign-in asks for TOTP again
    assert challenge_after_password(signed_in.email).body["challenge"] == "totp"
    assert record_of(portal, signed_in).mfa_preferred == "totp"


def test_switching_to_a_method_not_set_up_is_a_conflict(
    portal: Portal, signed_in: SignedIn
) -> None:
    # When the member asks for SMS codes without having proved a phone
    with counting_aws_calls() as calls:
        reply = signed_in.call("PUT", "/me/mfa", {"method": "sms"})

    # Then it is refused, Cognito is not asked, and nothing changed
    assert (reply.status, reply.error_code) == (409, "mfa_not_set_up")
    assert reply.body["error"]["message"].startswith("That sign-in method is not set up")
    assert calls.count("cognito-idp") == 0
    assert signed_in.call("GET", "/me/mfa").body["preferred"] == "totp"
    assert challenge_after_password(signed_in.email).body["challenge"] == "totp"


def test_an_unknown_method_or_a_bad_phone_is_a_validation_error(signed_in: SignedIn) -> None:
    reply = signed_in.call("PUT", "/me/mfa", {"method": "pigeon"})
    assert (reply.status, reply.error_code) == (400, "validation_error")
    reply = signed_in.call("POST", "/me/mfa/sms", {"phone": "12"})
    assert (reply.status, reply.error_code) == (400, "validation_error")
    assert "phone" in reply.body["error"]["message"]


def test_reading_mfa_settings_never_calls_cognito(signed_in: SignedIn) -> None:
    with counting_aws_calls() as calls:
        reply = signed_in.call("GET", "/me/mfa")

    assert reply.status == 200
    assert reply.body == {
        "preferred": "totp",
        "enabled": ["totp"],
        "options": ["totp", "sms", "email"],
    }
    assert calls.made == [("dynamodb", "GetItem")]


def test_the_auth_function_writes_with_update_item_only(signed_in: SignedIn) -> None:
    # The auth function may only GetItem and UpdateItem (a transaction of Updates is UpdateItem).
    with counting_aws_calls() as calls:
        signed_in.call("PUT", "/me/mfa", {"method": "email"})
        body = {"current_password": NEW_PASSWORD, "new_password": OTHER_PASSWORD}
        signed_in.call("POST", "/me/password", body)

    writes = {operation for service, operation in calls.made if service == "dynamodb"}
    assert writes == {"GetItem", "TransactWriteItems", "UpdateItem"}


ROUTES = [
    ("POST", "/me/password", {"current_password": NEW_PASSWORD, "new_password": OTHER_PASSWORD}),
    ("GET", "/me/mfa", None),
    ("PUT", "/me/mfa", {"method": "email"}),
    ("POST", "/me/mfa/totp", None),
    ("POST", "/me/mfa/totp/verify", {"code": "123456"}),
    ("POST", "/me/mfa/sms", {"phone": PHONE}),
    ("POST", "/me/mfa/sms/verify", {"code": "123456"}),
]


def test_a_deleted_members_token_is_refused(
    portal: Portal, signed_in: SignedIn, exams_officer: Member, centre: str
) -> None:
    # Given the member has been deleted while their token is still alive
    path = f"/centres/{centre}/users/{signed_in.member.user_id}"
    assert call("DELETE", path, claims=claims(exams_officer)).status == 204

    # Then every password and MFA route refuses them
    for method, route, body in ROUTES:
        reply = signed_in.call(method, route, body)
        assert (reply.status, reply.error_code) == (401, "unauthorized"), route


def test_a_missing_bearer_token_is_refused(signed_in: SignedIn) -> None:
    reply = call("POST", "/me/mfa/totp", claims=claims(signed_in.member))
    assert (reply.status, reply.error_code) == (401, "unauthorized")


def test_password_and_mfa_changes_leave_no_secret_in_the_logs(
    signed_in: SignedIn,
    outbox: Outbox,
    captured_logs: CapturedLogs,
) -> None:
    secrets = [NEW_PASSWORD, OTHER_PASSWORD, "tiny pw 7", signed_in.tokens["access_token"]]

    # Given a member who changes their password (once too short, once with a wrong current one)
    signed_in.call(
        "POST", "/me/password", {"current_password": "wrong", "new_password": "tiny pw 7"}
    )
    wrong = {"current_password": "not my passphrase", "new_password": OTHER_PASSWORD}
    secrets.append(wrong["current_password"])
    signed_in.call("POST", "/me/password", wrong)
    right = {"current_password": NEW_PASSWORD, "new_password": OTHER_PASSWORD}
    signed_in.call("POST", "/me/password", right)

    # And sets up a new authenticator, then SMS codes
    setup = signed_in.call("POST", "/me/mfa/totp").body
    secrets += [setup["secret"], setup["otpauth_uri"]]
    codes = [totp_code(setup["secret"])]
    signed_in.call("POST", "/me/mfa/totp/verify", {"code": codes[-1]})
    signed_in.call("POST", "/me/mfa/sms", {"phone": PHONE})
    codes.append(outbox.latest_code(PHONE_E164))
    signed_in.call("POST", "/me/mfa/sms/verify", {"code": codes[-1]})
    signed_in.call("PUT", "/me/mfa", {"method": "email"})

    # Then none of the passwords, secrets, tokens or codes appears in any log line
    logs = captured_logs.text()
    assert '"message":"mfa changed"' in logs
    assert '"message":"password changed"' in logs
    leaked = [secret for secret in secrets if secret in logs]
    leaked += [code for code in codes if re.search(rf"(?<![0-9A-Za-z]){code}(?![0-9A-Za-z])", logs)]
    assert leaked == []
