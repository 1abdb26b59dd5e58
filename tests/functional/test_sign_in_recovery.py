"""Forgotten passwords, refreshing tokens and signing out, through the real auth handler."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from local.cognito import Clock, Outbox
from local.cognito import clock as layer_clock
from shared.domain.members import Member
from tests.support.events import call
from tests.support.portal import DOMAIN, Portal, claims
from tests.support.signin import NEW_PASSWORD, active_totp_member, post, totp_code

RESET_PASSWORD = "another long passphrase"


@pytest.fixture
def clock() -> Iterator[Clock]:
    layer_clock.freeze()
    yield layer_clock
    layer_clock.unfreeze()


def test_a_forgotten_password_is_reset_by_emailed_code_and_mfa_still_applies(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox, clock: Clock
) -> None:
    # Given an active member with an authenticator app
    email, secret, _ = active_totp_member(exams_officer, centre, outbox)

    # When they ask for a reset code and use it with a new password
    asked = post("/auth/forgot-password", email=email)
    code = outbox.latest_code(email)
    reset = post("/auth/reset-password", email=email, code=code, new_password=RESET_PASSWORD)

    # Then the reset is accepted and the old password no longer works
    assert (asked.status, asked.body) == (202, {"status": "code_sent"})
    assert (reset.status, reset.body) == (204, None)
    old = post("/auth/sign-in", email=email, password=NEW_PASSWORD)
    assert (old.status, old.error_code) == (401, "invalid_credentials")

    # And the new password still leads through the authenticator
    clock.advance(seconds=30)
    reply = post("/auth/sign-in", email=email, password=RESET_PASSWORD)
    assert reply.body["challenge"] == "totp"
    done = post(
        "/auth/mfa",
        email=email,
        session=reply.body["session"],
        challenge="totp",
        code=totp_code(secret),
    )
    assert done.body["status"] == "signed_in"


def test_forgot_password_for_an_unknown_address_looks_the_same(
    portal: Portal, outbox: Outbox
) -> None:
    unknown = f"nobody@{DOMAIN}"

    reply = post("/auth/forgot-password", email=unknown)

    assert (reply.status, reply.body) == (202, {"status": "code_sent"})
    assert outbox.messages(unknown) == []


@pytest.mark.parametrize(
    ("code", "new_password", "error"),
    [
        ("000000", RESET_PASSWORD, "invalid_code"),
        (None, "too short", "password_too_short"),
    ],
)
def test_a_reset_with_a_wrong_code_or_short_password_is_refused(
    portal: Portal,
    exams_officer: Member,
    centre: str,
    outbox: Outbox,
    code: str | None,
    new_password: str,
    error: str,
) -> None:
    email, _, _ = active_totp_member(exams_officer, centre, outbox)
    post("/auth/forgot-password", email=email)

    reply = post(
        "/auth/reset-password",
        email=email,
        code=code or outbox.latest_code(email),
        new_password=new_password,
    )

    assert (reply.status, reply.error_code) == (400, error)


def test_refresh_gives_new_tokens_until_sign_out(
    portal: Portal, exams_officer: Member, centre: str, outbox: Outbox
) -> None:
    # Given a signed-in member
    email, _, signed_in = active_totp_member(exams_officer, centre, outbox)
    tokens = signed_in.body["tokens"]

    # When they refresh, they get new access and id tokens
    refreshed = post("/auth/refresh", refresh_token=tokens["refresh_token"])
    assert refreshed.status == 200
    assert refreshed.body["status"] == "signed_in"
    assert refreshed.body["tokens"]["access_token"] != tokens["access_token"]
    assert refreshed.body["tokens"]["refresh_token"] == tokens["refresh_token"]

    # When they sign out with their access token
    member = portal.store.member_by_email(email)
    assert member is not None
    out = call(
        "POST",
        "/auth/sign-out",
        claims=claims(member),
        headers={"Authorization": f"Bearer {refreshed.body['tokens']['access_token']}"},
    )

    # Then the refresh token is refused
    assert (out.status, out.body) == (204, None)
    refused = post("/auth/refresh", refresh_token=tokens["refresh_token"])
    assert (refused.status, refused.error_code) == (401, "unauthorized")


def test_sign_out_without_a_bearer_token_is_unauthorized(
    portal: Portal, exams_officer: Member
) -> None:
    reply = call("POST", "/auth/sign-out", claims=claims(exams_officer))

    assert (reply.status, reply.error_code) == (401, "unauthorized")
