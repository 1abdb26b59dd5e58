"""Corrections 3, 4 and 8: resend, temporary password expiry, forgot-password codes."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from local.cognito import Clock, Outbox, PortalPool
from shared.settings import IDENTITY
from tests.cognito.helpers import (
    PASSWORD,
    TEMPORARY_PASSWORD,
    answer,
    first_sign_in,
    invite,
    sign_in,
)


def _error(call: Any, *args: Any, **kwargs: Any) -> dict[str, str]:
    """The Cognito error a call answers with."""
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    error: dict[str, str] = raised.value.response["Error"]
    return error


def _confirmed_member(cognito: Any, pool: PortalPool, email: str) -> None:
    """A member whose password is permanent (MFA is not the point of these tests)."""
    invite(cognito, pool, email)
    cognito.admin_set_user_password(
        UserPoolId=pool.pool_id, Username=email, Password=PASSWORD, Permanent=True
    )


def test_resend_reissues_the_temporary_password_of_the_same_user_and_restarts_its_validity(
    fidelity: bool, cognito: Any, portal_pool: PortalPool, outbox: Outbox, clock: Clock
) -> None:
    """MessageAction=RESEND: same user, a new working temporary password, a fresh validity."""
    invite(cognito, portal_pool, "amy@example.org")
    clock.advance(days=IDENTITY.temporary_password_validity_days - 1)
    cognito.admin_create_user(
        UserPoolId=portal_pool.pool_id,
        Username="Amy@example.org",
        MessageAction="RESEND",
        DesiredDeliveryMediums=["EMAIL"],
    )
    users = cognito.list_users(UserPoolId=portal_pool.pool_id)["Users"]
    assert len(users) == 1
    clock.advance(days=2)

    new_password = outbox.latest_temporary_password("amy@example.org")
    assert new_password != TEMPORARY_PASSWORD
    assert _error(sign_in, cognito, portal_pool, "amy@example.org", TEMPORARY_PASSWORD)["Code"] == (
        "NotAuthorizedException"
    )
    step = sign_in(cognito, portal_pool, "amy@example.org", new_password)
    assert step.get("ChallengeName") == "NEW_PASSWORD_REQUIRED"


def test_temporary_password_stops_working_after_validity_days(
    fidelity: bool, cognito: Any, portal_pool: PortalPool, clock: Clock
) -> None:
    """After TemporaryPasswordValidityDays: NotAuthorizedException, password expired."""
    invite(cognito, portal_pool, "ben@example.org")
    clock.advance(days=IDENTITY.temporary_password_validity_days, seconds=-1)
    assert sign_in(cognito, portal_pool, "ben@example.org", TEMPORARY_PASSWORD)[
        "ChallengeName"
    ] == ("NEW_PASSWORD_REQUIRED")
    clock.advance(seconds=1)

    error = _error(sign_in, cognito, portal_pool, "ben@example.org", TEMPORARY_PASSWORD)
    assert error == {
        "Code": "NotAuthorizedException",
        "Message": "Temporary password has expired and must be reset by an administrator.",
    }


def test_forgot_password_code_is_checked_and_expires_after_an_hour(
    fidelity: bool, cognito: Any, portal_pool: PortalPool, outbox: Outbox, clock: Clock
) -> None:
    """ConfirmForgotPassword: no code sent, a wrong code and an hour-old code are refused."""
    _confirmed_member(cognito, portal_pool, "cat@example.org")
    confirm = cognito.confirm_forgot_password
    base = {
        "ClientId": portal_pool.client_id,
        "Username": "cat@example.org",
        "Password": "another passphrase",
    }
    assert _error(confirm, ConfirmationCode="123456", **base)["Code"] == "ExpiredCodeException"

    cognito.forgot_password(ClientId=portal_pool.client_id, Username="cat@example.org")
    code = outbox.latest_code("cat@example.org")
    wrong = "000000" if code != "000000" else "111111"
    assert _error(confirm, ConfirmationCode=wrong, **base)["Code"] == "CodeMismatchException"
    clock.advance(hours=IDENTITY.forgot_password_code_hours)
    assert _error(confirm, ConfirmationCode=code, **base)["Code"] == "ExpiredCodeException"

    cognito.forgot_password(ClientId=portal_pool.client_id, Username="cat@example.org")
    confirm(ConfirmationCode=outbox.latest_code("cat@example.org"), **base)
    assert sign_in(cognito, portal_pool, "cat@example.org", "another passphrase")


def test_confirm_forgot_password_applies_the_password_policy(
    fidelity: bool, cognito: Any, portal_pool: PortalPool, outbox: Outbox
) -> None:
    """A new password shorter than the policy's minimum: InvalidPasswordException."""
    _confirmed_member(cognito, portal_pool, "dan@example.org")
    cognito.forgot_password(ClientId=portal_pool.client_id, Username="dan@example.org")
    error = _error(
        cognito.confirm_forgot_password,
        ClientId=portal_pool.client_id,
        Username="dan@example.org",
        ConfirmationCode=outbox.latest_code("dan@example.org"),
        Password="x" * (IDENTITY.password_min_length - 1),
    )
    assert error["Code"] == "InvalidPasswordException"


def test_forgot_password_refuses_email_recovery_for_a_user_with_email_mfa(
    fidelity: bool, cognito: Any, portal_pool: PortalPool, outbox: Outbox
) -> None:
    """Email MFA disqualifies email as the recovery channel (no other channel: refused)."""
    step = first_sign_in(cognito, portal_pool, "eve@example.org")
    step = answer(cognito, portal_pool, step, USERNAME="eve@example.org", EMAIL="eve@example.org")
    answer(
        cognito,
        portal_pool,
        step,
        USERNAME="eve@example.org",
        EMAIL_OTP_CODE=outbox.latest_code("eve@example.org"),
    )

    error = _error(
        cognito.forgot_password, ClientId=portal_pool.client_id, Username="eve@example.org"
    )
    assert error["Code"] == "InvalidParameterException"
