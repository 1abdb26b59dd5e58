"""Corrections 5, 6, 7 and 13: MFA enforced, real TOTP, SMS and email codes, JSON parameters."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from local.cognito import Clock, Outbox, PortalPool
from local.cognito.pool import client_arguments
from shared.settings import IDENTITY
from tests.cognito.helpers import PASSWORD, answer, first_sign_in, set_up_totp, sign_in, totp_now

PHONE = "+447700900456"


def test_mfas_can_setup_is_json_text(fidelity: bool, cognito: Any, portal_pool: PortalPool) -> None:
    """MFA_SETUP's MFAS_CAN_SETUP is a JSON array in a string, as Cognito sends it."""
    step = first_sign_in(cognito, portal_pool, "fay@example.org")
    assert step["ChallengeName"] == "MFA_SETUP"
    assert (
        step["ChallengeParameters"]["MFAS_CAN_SETUP"]
        == '["SMS_MFA","SOFTWARE_TOKEN_MFA","EMAIL_OTP"]'
    )


def test_required_mfa_challenges_a_user_who_abandoned_set_up(
    fidelity: bool, cognito: Any, portal_pool: PortalPool
) -> None:
    """With MFA required, signing in again without set-up gives MFA_SETUP, never tokens."""
    first_sign_in(cognito, portal_pool, "gus@example.org")
    step = sign_in(cognito, portal_pool, "gus@example.org", PASSWORD)
    assert "AuthenticationResult" not in step
    assert step.get("ChallengeName") == "MFA_SETUP"


def test_required_mfa_applies_to_admin_sign_in(
    fidelity: bool, cognito: Any, portal_pool: PortalPool
) -> None:
    """AdminInitiateAuth (ADMIN_USER_PASSWORD_AUTH) is challenged for MFA like any flow."""
    set_up_totp(cognito, portal_pool, "hal@example.org")
    admin_client = cognito.create_user_pool_client(
        **{
            **client_arguments(portal_pool.pool_id, "admin"),
            "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }
    )["UserPoolClient"]["ClientId"]
    step = cognito.admin_initiate_auth(
        UserPoolId=portal_pool.pool_id,
        ClientId=admin_client,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "hal@example.org", "PASSWORD": PASSWORD},
    )
    assert step.get("ChallengeName") == "SOFTWARE_TOKEN_MFA"


def test_mfa_setup_records_the_method_in_user_mfa_setting_list(
    fidelity: bool, cognito: Any, portal_pool: PortalPool
) -> None:
    """After MFA_SETUP with TOTP, AdminGetUser lists SOFTWARE_TOKEN_MFA, preferred."""
    _, done = set_up_totp(cognito, portal_pool, "ida@example.org")
    assert "AuthenticationResult" in done
    user = cognito.admin_get_user(UserPoolId=portal_pool.pool_id, Username="ida@example.org")
    assert user.get("UserMFASettingList") == ["SOFTWARE_TOKEN_MFA"]
    assert user.get("PreferredMfaSetting") == "SOFTWARE_TOKEN_MFA"


def test_totp_secret_is_random_per_user_and_codes_are_checked_with_one_step_of_skew(
    fidelity: bool, cognito: Any, portal_pool: PortalPool, clock: Clock
) -> None:
    """Each user gets a random 160-bit base32 secret; adjacent steps pass, others fail."""
    first, _ = set_up_totp(cognito, portal_pool, "jan@example.org")
    second, _ = set_up_totp(cognito, portal_pool, "kim@example.org")
    assert first != second
    assert len(base64.b32decode(first)) * 8 == 160

    step = sign_in(cognito, portal_pool, "jan@example.org", PASSWORD)
    assert step.get("ChallengeName") == "SOFTWARE_TOKEN_MFA"
    for far in (-2, 2):
        with pytest.raises(ClientError) as raised:
            answer(
                cognito,
                portal_pool,
                step,
                USERNAME="jan@example.org",
                SOFTWARE_TOKEN_MFA_CODE=totp_now(first, far),
            )
        assert raised.value.response["Error"]["Code"] == "CodeMismatchException"
    done = answer(
        cognito,
        portal_pool,
        step,
        USERNAME="jan@example.org",
        SOFTWARE_TOKEN_MFA_CODE=totp_now(first, -1),
    )
    assert "AuthenticationResult" in done


def test_sms_code_is_sent_checked_and_may_be_retried_in_the_same_session(
    fidelity: bool, cognito: Any, portal_pool: PortalPool, outbox: Outbox
) -> None:
    """SMS_MFA: a wrong code is CodeMismatchException; the right one then signs in."""
    step = first_sign_in(cognito, portal_pool, "lee@example.org")
    cognito.admin_update_user_attributes(
        UserPoolId=portal_pool.pool_id,
        Username="lee@example.org",
        UserAttributes=[
            {"Name": "phone_number", "Value": PHONE},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
    )
    step = answer(cognito, portal_pool, step, USERNAME="lee@example.org")
    assert step.get("ChallengeName") == "SMS_MFA"
    code = outbox.latest_code(PHONE)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ClientError) as raised:
        answer(cognito, portal_pool, step, USERNAME="lee@example.org", SMS_MFA_CODE=wrong)
    assert raised.value.response["Error"]["Code"] == "CodeMismatchException"
    done = answer(cognito, portal_pool, step, USERNAME="lee@example.org", SMS_MFA_CODE=code)
    assert "AuthenticationResult" in done
    user = cognito.admin_get_user(UserPoolId=portal_pool.pool_id, Username="lee@example.org")
    assert user.get("UserMFASettingList") == ["SMS_MFA"]


def test_email_otp_is_offered_sent_and_expires_with_its_session(
    fidelity: bool, cognito: Any, portal_pool: PortalPool, outbox: Outbox, clock: Clock
) -> None:
    """EMAIL_OTP: set up by answering MFA_SETUP with EMAIL; the code dies after 3 minutes."""
    step = first_sign_in(cognito, portal_pool, "mo@example.org")
    step = answer(cognito, portal_pool, step, USERNAME="mo@example.org", EMAIL="mo@example.org")
    assert step.get("ChallengeName") == "EMAIL_OTP"
    assert step["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "m***@e***"
    answer(
        cognito,
        portal_pool,
        step,
        USERNAME="mo@example.org",
        EMAIL_OTP_CODE=outbox.latest_code("mo@example.org"),
    )

    step = sign_in(cognito, portal_pool, "mo@example.org", PASSWORD)
    assert step.get("ChallengeName") == "EMAIL_OTP"
    clock.advance(minutes=IDENTITY.mfa_code_minutes)
    with pytest.raises(ClientError) as raised:
        answer(
            cognito,
            portal_pool,
            step,
            USERNAME="mo@example.org",
            EMAIL_OTP_CODE=outbox.latest_code("mo@example.org"),
        )
    assert raised.value.response["Error"] == {
        "Code": "NotAuthorizedException",
        "Message": "Invalid session for the user, session is expired.",
    }


def test_select_mfa_type_when_several_methods_are_enabled_and_none_is_preferred(
    fidelity: bool, cognito: Any, portal_pool: PortalPool, outbox: Outbox
) -> None:
    """Several methods, no preference: SELECT_MFA_TYPE, then the chosen challenge."""
    _, done = set_up_totp(cognito, portal_pool, "ned@example.org")
    cognito.admin_set_user_mfa_preference(
        UserPoolId=portal_pool.pool_id,
        Username="ned@example.org",
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False},
        EmailMfaSettings={"Enabled": True, "PreferredMfa": False},
    )
    user = cognito.admin_get_user(UserPoolId=portal_pool.pool_id, Username="ned@example.org")
    assert user.get("UserMFASettingList") == ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]

    step = sign_in(cognito, portal_pool, "ned@example.org", PASSWORD)
    assert step.get("ChallengeName") == "SELECT_MFA_TYPE"
    assert json.loads(step["ChallengeParameters"]["MFAS_CAN_CHOOSE"]) == [
        "SOFTWARE_TOKEN_MFA",
        "EMAIL_OTP",
    ]
    step = answer(cognito, portal_pool, step, USERNAME="ned@example.org", ANSWER="EMAIL_OTP")
    assert step.get("ChallengeName") == "EMAIL_OTP"
    done = answer(
        cognito,
        portal_pool,
        step,
        USERNAME="ned@example.org",
        EMAIL_OTP_CODE=outbox.latest_code("ned@example.org"),
    )
    assert "AuthenticationResult" in done
