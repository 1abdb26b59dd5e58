"""The Centre Portal stack: composes the constructs and grants each function what it needs."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.api import PortalApi
from infra.bundling import portal_code
from infra.data import Data
from infra.functions import PortalFunction
from infra.identity import Identity
from infra.monitoring import Monitoring
from infra.settings import PortalSettings
from infra.site import WEB_DIST, Site
from infra.storage import RESOURCES_PREFIX, RESULTS_PREFIX, Storage
from shared.routes import FUNCTIONS

# What members and board staff manage in Cognito; reads never touch Cognito (its quotas).
MEMBER_ADMIN_ACTIONS = (
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminDeleteUser",
    "cognito-idp:AdminUserGlobalSignOut",
    "cognito-idp:AdminSetUserMFAPreference",
    "cognito-idp:AdminResetUserPassword",
    # Resetting sign-in puts the account back to a temporary password this way, and removes
    # the phone number so that MFA is set up again.
    "cognito-idp:AdminSetUserPassword",
    "cognito-idp:AdminDeleteUserAttributes",
)
# Profile edits mirror names, locale and phone into Cognito; clearing a phone deletes it.
ACCOUNT_ACTIONS = (
    "cognito-idp:AdminUpdateUserAttributes",
    "cognito-idp:AdminDeleteUserAttributes",
)


class PortalStack(cdk.Stack):
    """Everything the portal runs on, in one region of one account."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: PortalSettings,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            env=cdk.Environment(region=settings.region),
            description="Centre Portal: identity and access portal for exam centres",
        )
        self.settings = settings

        self.data = Data(self, "Data")
        self.storage = Storage(self, "Storage", allowed_origins=settings.allowed_origins)
        code = portal_code(skip_bundling=settings.skip_bundling)
        portal_environment = {
            "PORTAL_NAME": settings.portal_name,
            "SIGN_IN_URL": settings.sign_in_url,
            "NO_REPLY_EMAIL": settings.no_reply_email,
            "BOARD_EMAIL_DOMAIN": settings.board_email_domain,
        }

        # The trigger is created before the pool and knows nothing of it: the pool depends on
        # the trigger, so the trigger referring back to the pool would be a cycle.
        self.custom_message = PortalFunction(
            self,
            "CustomMessage",
            name="custom_message",
            code=code,
            environment=portal_environment,
        )
        self.identity = Identity(
            self, "Identity", settings=settings, custom_message=self.custom_message.function
        )

        environment = {
            **portal_environment,
            **settings.launch_environment,
            "TABLE_NAME": self.data.table.table_name,
            "IDEMPOTENCY_TABLE_NAME": self.data.idempotency_table.table_name,
            "BUCKET_NAME": self.storage.bucket.bucket_name,
            "USER_POOL_ID": self.identity.user_pool.user_pool_id,
            "USER_POOL_CLIENT_ID": self.identity.client.user_pool_client_id,
        }
        self.functions = {
            name: PortalFunction(
                self, name.capitalize(), name=name, code=code, environment=environment
            )
            for name in FUNCTIONS
        }
        self._grant()

        api_functions = {name: portal.function for name, portal in self.functions.items()}
        self.api = PortalApi(
            self,
            "Api",
            functions=api_functions,
            user_pool=self.identity.user_pool,
            allowed_origins=settings.allowed_origins,
        )
        self.monitoring = Monitoring(
            self,
            "Monitoring",
            rest_api=self.api.rest_api,
            access_log_group=self.api.access_log_group,
            functions={**api_functions, "custom_message": self.custom_message.function},
            alarm_email=settings.alarm_email,
        )
        # Synths that skip bundling never deploy, so they need no built site either.
        self.site = Site(
            self,
            "Site",
            rest_api=self.api.rest_api,
            access_log_bucket=self.storage.access_log_bucket,
            upload_bucket=self.storage.bucket,
            site_dir=None if settings.skip_bundling else WEB_DIST,
        )
        cdk.CfnOutput(
            self, "SiteUrl", value=f"https://{self.site.distribution.distribution_domain_name}"
        )
        cdk.CfnOutput(self, "ApiUrl", value=self.api.rest_api.url)
        cdk.CfnOutput(self, "UserPoolId", value=self.identity.user_pool.user_pool_id)
        cdk.CfnOutput(self, "UserPoolClientId", value=self.identity.client.user_pool_client_id)
        # The board-staff bootstrap (make board-admin) writes the first member record here.
        cdk.CfnOutput(self, "TableName", value=self.data.table.table_name)

    def _grant(self) -> None:
        """Least privilege, function by function."""
        table = self.data.table
        idempotency = self.data.idempotency_table
        bucket = self.storage.bucket
        pool = self.identity.user_pool
        auth = self.functions["auth"].function
        account = self.functions["account"].function
        members = self.functions["members"].function
        board = self.functions["board"].function
        services = self.functions["services"].function

        # Sign-in talks to Cognito through the public client API (no IAM needed), except SMS
        # set-up, which puts the member's phone number on the account. On the table it reads
        # the member (invite expiry) and updates the record when the first sign-in completes.
        table.grant(auth, "dynamodb:GetItem", "dynamodb:UpdateItem")
        pool.grant(auth, "cognito-idp:AdminUpdateUserAttributes")

        table.grant_read_write_data(account)
        pool.grant(account, *ACCOUNT_ACTIONS)

        for function in (members, board):
            table.grant_read_write_data(function)
            idempotency.grant_read_write_data(function)
            pool.grant(function, *MEMBER_ADMIN_ACTIONS)

        # Board staff upload results and resources through presigned URLs signed by this role.
        # A presigned single-part PUT needs s3:PutObject alone; grant_put would add tagging,
        # retention and legal-hold writes and s3:Abort*, none of which the portal uses.
        files = [
            bucket.arn_for_objects(f"{prefix}*") for prefix in (RESULTS_PREFIX, RESOURCES_PREFIX)
        ]
        board.add_to_role_policy(iam.PolicyStatement(actions=["s3:PutObject"], resources=files))

        # Audit writes, and presigned downloads of results and resources: s3:GetObject alone
        # (grant_read would add bucket listing, which no route needs; lists come from DynamoDB).
        table.grant_read_write_data(services)
        services.add_to_role_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=files))
