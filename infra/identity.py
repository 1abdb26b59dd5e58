"""Cognito: the portal's user pool, its one app client and the board staff group."""

from __future__ import annotations

from typing import cast

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.settings import PortalSettings
from shared.settings import BOARD_STAFF_GROUP, IDENTITY


class Identity(Construct):
    """Admin-created accounts signed in by email and password, with MFA always required."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: PortalSettings,
        custom_message: lambda_.IFunction,
    ) -> None:
        super().__init__(scope, construct_id)

        if settings.threat_protection:
            plan = cognito.FeaturePlan.PLUS
            threat_mode = cognito.StandardThreatProtectionMode.FULL_FUNCTION
        else:
            plan, threat_mode = cognito.FeaturePlan.ESSENTIALS, None
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            sign_in_aliases=cognito.SignInAliases(email=True, username=False),
            sign_in_case_sensitive=False,
            # Accounts exist only because an exams officer, an admin or board staff invited them.
            self_sign_up_enabled=False,
            standard_attributes=cognito.StandardAttributes(
                # The contract makes email immutable: a new address means a new account.
                email=cognito.StandardAttribute(required=True, mutable=False),
                phone_number=cognito.StandardAttribute(required=False, mutable=True),
            ),
            auto_verify=cognito.AutoVerifiedAttrs(email=True, phone=True),
            # A new phone number only replaces the old one once its code is confirmed, so SMS
            # MFA and recovery never move to a number nobody has proved they hold.
            keep_original=cognito.KeepOriginalAttrs(email=True, phone=True),
            # Length only, as NCSC and NIST SP 800-63B advise: composition rules push people to
            # predictable passwords, and every sign-in needs a second factor anyway.
            password_policy=cognito.PasswordPolicy(
                min_length=IDENTITY.password_min_length,
                require_lowercase=False,
                require_uppercase=False,
                require_digits=False,
                require_symbols=False,
                temp_password_validity=cdk.Duration.days(IDENTITY.temporary_password_validity_days),
            ),
            mfa=cognito.Mfa.REQUIRED,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=True, email=True),
            # Email OTP needs at least the Essentials plan and email sent through SES; threat
            # protection needs Plus, and checks the user-password flow the portal uses.
            feature_plan=plan,
            standard_threat_protection_mode=threat_mode,
            email=cognito.UserPoolEmail.with_ses(
                from_email=settings.no_reply_email,
                from_name=settings.portal_name,
                ses_verified_domain=settings.no_reply_domain,
            ),
            account_recovery=cognito.AccountRecovery.EMAIL_AND_PHONE_WITHOUT_MFA,
            lambda_triggers=cognito.UserPoolTriggers(custom_message=custom_message),
            deletion_protection=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        if settings.ses_identity_arn:
            # An identity verified elsewhere (another account or the whole address): use as given.
            pool = cast(cognito.CfnUserPool, self.user_pool.node.default_child)
            pool.add_property_override("EmailConfiguration.SourceArn", settings.ses_identity_arn)

        cognito.UserPoolGroup(
            self,
            "BoardStaff",
            user_pool=self.user_pool,
            group_name=BOARD_STAFF_GROUP,
            description="The awarding body's own staff; not members of any centre",
        )

        # The portal's API is the only client: it calls Cognito server-side with the
        # user-password flow, so there is no hosted UI, no OAuth and no client secret to leak.
        self.client = self.user_pool.add_client(
            "PortalClient",
            generate_secret=False,
            auth_flows=cognito.AuthFlow(user_password=True),
            disable_o_auth=True,
            supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            access_token_validity=cdk.Duration.minutes(IDENTITY.access_token_minutes),
            id_token_validity=cdk.Duration.minutes(IDENTITY.id_token_minutes),
            refresh_token_validity=cdk.Duration.hours(IDENTITY.refresh_token_hours),
            auth_session_validity=cdk.Duration.minutes(IDENTITY.auth_session_minutes),
        )
