"""The user pool and its client keep the portal's identity settings."""

from __future__ import annotations

from aws_cdk.assertions import Match, Template

from shared.settings import BOARD_STAFF_GROUP, IDENTITY
from tests.infra.synthesis import Synthesized

MINUTES_PER_UNIT = {"minutes": 1, "hours": 60, "days": 24 * 60}


def _pool(synthesized: Synthesized) -> dict:
    (pool,) = synthesized.of_type("AWS::Cognito::UserPool").values()
    return pool["Properties"]


def test_password_policy_follows_identity_settings(synthesized: Synthesized) -> None:
    # Given the synthesized user pool
    policy = _pool(synthesized)["Policies"]["PasswordPolicy"]

    # Then length is the only rule, and temporary passwords last as long as the settings say
    assert policy["MinimumLength"] == IDENTITY.password_min_length == 10
    assert policy["TemporaryPasswordValidityDays"] == IDENTITY.temporary_password_validity_days
    assert IDENTITY.temporary_password_validity_days == 62


def test_accounts_are_created_by_admins_only_and_sign_in_by_email(template: Template) -> None:
    template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {
            "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
            "UsernameAttributes": ["email"],
            "UsernameConfiguration": {"CaseSensitive": False},
            "DeletionProtection": "ACTIVE",
        },
    )


def test_pool_is_retained_on_stack_deletion(template: Template) -> None:
    template.has_resource(
        "AWS::Cognito::UserPool", {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
    )


def test_mfa_is_required_with_totp_sms_and_email(synthesized: Synthesized) -> None:
    pool = _pool(synthesized)

    assert pool["MfaConfiguration"] == "ON"
    assert sorted(pool["EnabledMfas"]) == ["EMAIL_OTP", "SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    # Email OTP needs SES sending and at least the Essentials plan
    assert pool["EmailConfiguration"]["EmailSendingAccount"] == "DEVELOPER"
    assert pool["UserPoolTier"] in {"ESSENTIALS", "PLUS"}


def test_recovery_is_by_verified_email_first(synthesized: Synthesized) -> None:
    mechanisms = _pool(synthesized)["AccountRecoverySetting"]["RecoveryMechanisms"]

    assert sorted(mechanisms, key=lambda m: m["Priority"]) == [
        {"Name": "verified_email", "Priority": 1},
        {"Name": "verified_phone_number", "Priority": 2},
    ]


def test_custom_message_trigger_is_the_custom_message_handler(synthesized: Synthesized) -> None:
    trigger = _pool(synthesized)["LambdaConfig"]["CustomMessage"]
    function_id = trigger["Fn::GetAtt"][0]

    assert synthesized.resources[function_id]["Properties"]["Handler"] == (
        "functions.custom_message.handler.handler"
    )


def test_board_staff_group_exists(template: Template) -> None:
    template.has_resource_properties(
        "AWS::Cognito::UserPoolGroup", {"GroupName": BOARD_STAFF_GROUP}
    )


def test_client_has_no_secret_and_only_password_and_refresh_flows(template: Template) -> None:
    template.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        {
            "GenerateSecret": False,
            "ExplicitAuthFlows": Match.exact(
                ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
            ),
            "PreventUserExistenceErrors": "ENABLED",
            "EnableTokenRevocation": True,
            "AllowedOAuthFlowsUserPoolClient": False,
        },
    )


def test_token_validities_follow_identity_settings(synthesized: Synthesized) -> None:
    (client,) = synthesized.of_type("AWS::Cognito::UserPoolClient").values()
    properties = client["Properties"]
    units = properties["TokenValidityUnits"]

    def minutes(token: str) -> int:
        return properties[f"{token}Validity"] * MINUTES_PER_UNIT[units[token]]

    assert minutes("AccessToken") == IDENTITY.access_token_minutes
    assert minutes("IdToken") == IDENTITY.id_token_minutes
    assert minutes("RefreshToken") == IDENTITY.refresh_token_hours * 60
    assert properties["AuthSessionValidity"] == IDENTITY.auth_session_minutes


def test_a_changed_phone_or_email_waits_for_verification(template: Template) -> None:
    template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {
            "UserAttributeUpdateSettings": {
                "AttributesRequireVerificationBeforeUpdate": Match.array_with(
                    ["email", "phone_number"]
                )
            }
        },
    )
