"""A portal on moto: tables, user pool, a centre and its people, with claims to call as them."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import boto3

from local.cognito import create_portal_pool
from shared.adapters import aws
from shared.adapters.schema import IDEMPOTENCY_TABLE, TABLE
from shared.adapters.store import DynamoStore, member_to_item
from shared.domain.accounts import DEFAULT_PERMISSIONS, Role
from shared.domain.members import ACTIVE, AuditEvent, Centre, Member
from shared.settings import BOARD_STAFF_GROUP
from shared.web import idempotency, runtime

REGION = "eu-west-2"
CENTRE_ID = "68001"
DOMAIN = "example-school.example"
BUCKET = "portal-files"


def reset_caches() -> None:
    aws.reset()
    runtime.reset()
    idempotency.reset()


class Portal:
    """Creates the portal's resources in the current moto account."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.db = boto3.client("dynamodb", region_name=REGION)
        self.idp = boto3.client("cognito-idp", region_name=REGION)
        self.store = DynamoStore(env["TABLE_NAME"])

    @classmethod
    def create(cls, monkeypatch: Any) -> Portal:
        db = boto3.client("dynamodb", region_name=REGION)
        db.create_table(TableName="portal", **TABLE)
        db.create_table(TableName="idempotency", **IDEMPOTENCY_TABLE)
        pool = create_portal_pool(boto3.client("cognito-idp", region_name=REGION))
        boto3.client("s3", region_name=REGION).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        env = {
            "TABLE_NAME": "portal",
            "BUCKET_NAME": BUCKET,
            "IDEMPOTENCY_TABLE_NAME": "idempotency",
            "USER_POOL_ID": pool.pool_id,
            "USER_POOL_CLIENT_ID": pool.client_id,
        }
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        reset_caches()
        return cls(env)

    # --- people ---------------------------------------------------------------------------

    def _cognito_user(self, email: str) -> str:
        created = self.idp.admin_create_user(
            UserPoolId=self.env["USER_POOL_ID"], Username=email, MessageAction="SUPPRESS"
        )
        attributes = {a["Name"]: a["Value"] for a in created["User"]["Attributes"]}
        return str(attributes["sub"])

    def add_board_staff(self, email: str = "board@exam-board.example") -> Member:
        user_id = self._cognito_user(email)
        self.idp.admin_add_user_to_group(
            UserPoolId=self.env["USER_POOL_ID"], Username=email, GroupName=BOARD_STAFF_GROUP
        )
        member = Member(user_id, email, Role.BOARD_STAFF, "Bea", "Board", status=ACTIVE)
        self.db.put_item(TableName="portal", Item=member_to_item(member))
        return member

    def add_centre(
        self, centre_id: str = CENTRE_ID, domains: tuple[str, ...] = (DOMAIN,)
    ) -> Centre:
        centre = Centre(centre_id, f"Centre {centre_id}", domains)
        event = AuditEvent(centre_id, datetime.now(UTC), "setup", "create_centre", None, "e0")
        self.store.create_centre(centre, event)
        return centre

    def add_member(
        self,
        account_type: Role,
        centre_id: str = CENTRE_ID,
        email: str | None = None,
        **changes: Any,
    ) -> Member:
        """A member who already exists and signed in, written as an invite would write it."""
        email = email or f"{account_type}-{uuid.uuid4().hex[:8]}@{DOMAIN}"
        self.store.reserve_invite(centre_id, email, account_type)
        user_id = self._cognito_user(email)
        member = Member(
            user_id=user_id,
            email=email,
            account_type=account_type,
            first_name="Test",
            surname=str(account_type).title(),
            centre_id=centre_id,
            permissions=DEFAULT_PERMISSIONS[account_type],
            status=ACTIVE,
            invited_at=datetime.now(UTC),
        )
        member = replace(member, **changes)
        event = AuditEvent(
            centre_id, datetime.now(UTC), "setup", "invite", user_id, uuid.uuid4().hex
        )
        self.store.commit_member(member, event)
        return member

    # --- observations ---------------------------------------------------------------------

    def cognito_emails(self) -> set[str]:
        users = self.idp.list_users(UserPoolId=self.env["USER_POOL_ID"])["Users"]
        return {a["Value"] for user in users for a in user["Attributes"] if a["Name"] == "email"}

    def member_emails(self, centre_id: str = CENTRE_ID) -> set[str]:
        page = self.store.list_members(centre_id, 100, None)
        return {member.email for member in page.items}

    def audit_actions(self, centre_id: str = CENTRE_ID) -> list[str]:
        page = self.store.list_audit(centre_id, 100, None)
        return [event.action for event in page.items if event.actor != "setup"]


def claims(member: Member) -> dict[str, Any]:
    """What API Gateway's Cognito authorizer passes for this member's access token."""
    values: dict[str, Any] = {
        "sub": member.user_id,
        "username": member.user_id,
        "token_use": "access",
        "client_id": "test-client",
        "scope": "aws.cognito.signin.user.admin",
    }
    if member.account_type is Role.BOARD_STAFF:
        values["cognito:groups"] = BOARD_STAFF_GROUP
    return values
