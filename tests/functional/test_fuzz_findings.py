"""What fuzzing from the OpenAPI document found: requests that were answered 500, now 4xx."""

from __future__ import annotations

import pytest

from local.cognito import Outbox
from local.openapi import merged_document
from shared.domain.members import Member
from tests.support.events import call
from tests.support.portal import Portal, claims
from tests.support.signin import active_totp_member, invite, post, to_mfa_setup

SHORT_SESSION = "x" * 19


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/auth/new-password", {"new_password": "correct horse battery"}),
        ("/auth/mfa-setup/totp", {}),
        ("/auth/mfa-setup/email", {}),
        ("/auth/mfa", {"challenge": "totp", "code": "123456"}),
        ("/auth/select-mfa", {"method": "totp"}),
    ],
)
def test_a_session_shorter_than_cognito_allows_is_a_validation_error(
    portal: Portal, path: str, extra: dict[str, str]
) -> None:
    # Given a session one character shorter than any Cognito issues
    # When a sign-in step is answered with it
    reply = post(path, email="nia@school.example", session=SHORT_SESSION, **extra)

    # Then the caller is told the session is not valid, not that the portal failed
    assert reply.status == 400, reply
    assert reply.error_code == "validation_error"
    assert "session" in reply.body["error"]["message"]


def test_a_short_session_still_reaches_no_further_in_a_real_sign_in(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox
) -> None:
    # Given a member part-way through a first sign-in, holding a real session
    email, temporary = invite(exams_officer, centre, outbox)
    session = to_mfa_setup(email, temporary)

    # When the session is cut short and used to set up an authenticator
    reply = post("/auth/mfa-setup/totp", email=email, session=session[:19])

    # Then it is refused as invalid, and the real session still works
    assert reply.status == 400
    assert post("/auth/mfa-setup/totp", email=email, session=session).status == 200


@pytest.mark.parametrize("code", ["0", "12345"])
def test_an_authenticator_set_up_answered_with_a_short_code_is_a_validation_error(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox, code: str
) -> None:
    # Given a member setting up an authenticator app at first sign-in
    email, temporary = invite(exams_officer, centre, outbox)
    setup = post("/auth/mfa-setup/totp", email=email, session=to_mfa_setup(email, temporary))
    assert setup.status == 200

    # When they answer with a code shorter than any authenticator shows
    reply = post(
        "/auth/mfa", email=email, session=setup.body["session"], challenge="totp_setup", code=code
    )

    # Then the code is named as the problem, with a 400 rather than a 500
    assert reply.status == 400, reply
    assert reply.error_code == "validation_error"
    assert "code" in reply.body["error"]["message"]


@pytest.mark.parametrize("code", ["00", "12345", "1234567", "abcdef"])
def test_a_verification_code_that_is_not_six_digits_is_a_validation_error(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox, code: str
) -> None:
    # Given a signed-in member who has started to set up a new authenticator
    email, _, signed_in = active_totp_member(exams_officer, centre, outbox)
    member = portal.store.member_by_email(email)
    assert member is not None
    headers = {"Authorization": f"Bearer {signed_in.body['tokens']['access_token']}"}
    started = call("POST", "/me/mfa/totp", claims=claims(member), headers=headers)
    assert started.status == 200

    # When they verify it with a code that is not six digits
    reply = call(
        "POST", "/me/mfa/totp/verify", body={"code": code}, headers=headers, claims=claims(member)
    )

    # Then the code is named as the problem, with a 400 rather than a 500
    assert reply.status == 400, reply
    assert reply.error_code == "validation_error"
    assert "code" in reply.body["error"]["message"]


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "multipart/form-data; charset=utf-8"]
)
def test_a_multipart_body_without_a_boundary_is_unsupported_media_type(
    portal: Portal, content_type: str
) -> None:
    # Given a body declared as multipart form data, with no boundary to split it by
    # When it is sent to a route that takes JSON
    reply = call(
        "POST", "/auth/sign-in", body="email=a&password=b", headers={"Content-Type": content_type}
    )

    # Then the portal says it takes JSON only, rather than failing
    assert reply.status == 415, reply
    assert reply.error_code == "unsupported_media_type"


@pytest.mark.parametrize("field", ["first_name", "surname", "language"])
def test_a_field_every_member_has_is_never_offered_as_null_and_null_is_refused(
    portal: Portal, exams_officer: Member, field: str
) -> None:
    # Given the profile change as the OpenAPI document describes it
    document = merged_document("http://127.0.0.1:8000")
    schema = document["components"]["schemas"]["UpdateProfile"]["properties"][field]

    # When a member sends null for a field they must always have
    reply = call("PATCH", "/me", body={field: None}, claims=claims(exams_officer))

    # Then the document never offered null, and the portal names the field
    assert "null" not in str(schema) and "anyOf" not in schema
    assert reply.status == 400, reply
    assert field in reply.body["error"]["message"]
