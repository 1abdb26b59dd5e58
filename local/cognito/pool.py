"""The portal's user pool and app client, built from shared.settings as the CDK stack does."""

from __future__ import annotations

from typing import Any, NamedTuple

from moto.core import DEFAULT_ACCOUNT_ID

from shared.settings import BOARD_STAFF_GROUP, DEFAULT_REGION, IDENTITY

DEFAULT_SENDER = "portal-no-reply@example.org"
CUSTOM_MESSAGE_ARN = f"arn:aws:lambda:{DEFAULT_REGION}:{DEFAULT_ACCOUNT_ID}:function:custom-message"
SMS_ROLE_ARN = f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/portal-cognito-sms"


class PortalPool(NamedTuple):
    """The ids a test or the laptop run needs."""

    pool_id: str
    client_id: str


def _sms_configuration() -> dict[str, str]:
    """Where Cognito's SMS would go through SNS (moto only records it)."""
    return {"SnsCallerArn": SMS_ROLE_ARN, "ExternalId": "centre-portal"}


def user_pool_arguments(name: str, *, sender: str = DEFAULT_SENDER) -> dict[str, Any]:
    """CreateUserPool arguments: email user names, admin-only creation, recovery by email first."""
    return {
        "PoolName": name,
        "UserPoolTier": "ESSENTIALS",
        "Policies": {
            "PasswordPolicy": {
                # The portal's only password rule is its length (api-contract: password_too_short).
                "MinimumLength": IDENTITY.password_min_length,
                "RequireUppercase": False,
                "RequireLowercase": False,
                "RequireNumbers": False,
                "RequireSymbols": False,
                "TemporaryPasswordValidityDays": IDENTITY.temporary_password_validity_days,
            }
        },
        "UsernameAttributes": ["email"],
        "UsernameConfiguration": {"CaseSensitive": False},
        "AutoVerifiedAttributes": ["email", "phone_number"],
        "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
        "AccountRecoverySetting": {
            "RecoveryMechanisms": [
                {"Name": "verified_email", "Priority": 1},
                {"Name": "verified_phone_number", "Priority": 2},
            ]
        },
        "LambdaConfig": {"CustomMessage": CUSTOM_MESSAGE_ARN},
        "EmailConfiguration": {"EmailSendingAccount": "DEVELOPER", "From": sender},
        "SmsConfiguration": _sms_configuration(),
    }


def mfa_arguments(pool_id: str) -> dict[str, Any]:
    """SetUserPoolMfaConfig arguments: MFA required, with the methods in IDENTITY.mfa_methods."""
    arguments: dict[str, Any] = {
        "UserPoolId": pool_id,
        "MfaConfiguration": "ON",
        "SoftwareTokenMfaConfiguration": {"Enabled": "totp" in IDENTITY.mfa_methods},
    }
    if "sms" in IDENTITY.mfa_methods:
        arguments["SmsMfaConfiguration"] = {
            "SmsAuthenticationMessage": "Your authentication code is {####}.",
            "SmsConfiguration": _sms_configuration(),
        }
    if "email" in IDENTITY.mfa_methods:
        arguments["EmailMfaConfiguration"] = {
            "Subject": "Your authentication code",
            "Message": "Your authentication code is {####}.",
        }
    return arguments


def client_arguments(pool_id: str, name: str = "portal-api") -> dict[str, Any]:
    """CreateUserPoolClient arguments: password sign-in only, token lifetimes from IDENTITY."""
    return {
        "UserPoolId": pool_id,
        "ClientName": name,
        "GenerateSecret": False,
        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "PreventUserExistenceErrors": "ENABLED",
        "EnableTokenRevocation": True,
        "AuthSessionValidity": IDENTITY.auth_session_minutes,
        "AccessTokenValidity": IDENTITY.access_token_minutes,
        "IdTokenValidity": IDENTITY.id_token_minutes,
        "RefreshTokenValidity": IDENTITY.refresh_token_hours,
        "TokenValidityUnits": {
            "AccessToken": "minutes",
            "IdToken": "minutes",
            "RefreshToken": "hours",
        },
    }


def create_portal_pool(
    cognito: Any, name: str = "centre-portal", *, sender: str = DEFAULT_SENDER
) -> PortalPool:
    """Create the portal's pool, MFA configuration, app client and board staff group."""
    pool_id = cognito.create_user_pool(**user_pool_arguments(name, sender=sender))["UserPool"]["Id"]
    cognito.set_user_pool_mfa_config(**mfa_arguments(pool_id))
    client_id = cognito.create_user_pool_client(**client_arguments(pool_id))["UserPoolClient"][
        "ClientId"
    ]
    cognito.create_group(UserPoolId=pool_id, GroupName=BOARD_STAFF_GROUP)
    return PortalPool(pool_id, client_id)
