"""The portal's resources on moto, made from the stack's settings, and the demo people."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from local.cognito import create_portal_pool
from local.cognito.pool import DEFAULT_SENDER
from shared.adapters.directory import CognitoDirectory
from shared.adapters.schema import IDEMPOTENCY_TABLE, TABLE
from shared.adapters.store import DynamoStore
from shared.domain.accounts import Role
from shared.domain.management import Invitation, MemberManagement
from shared.settings import DEFAULT_REGION

logger = logging.getLogger("local.seed")

TABLE_NAME = "centre-portal"
IDEMPOTENCY_TABLE_NAME = "centre-portal-idempotency"
BUCKET_NAME = "centre-portal-files"

# The demo named in the contract's "local run" section.
BOARD_EMAIL = "board@exam-board.example"
BOARD_DOMAIN = "exam-board.example"
CENTRE_ID = "68001"
CENTRE_NAME = "Ysgol Enghraifft / Example School"
CENTRE_DOMAIN = "example-school.example"
EXAMS_OFFICER_EMAIL = f"exams.officer@{CENTRE_DOMAIN}"


@dataclass(frozen=True)
class Resources:
    """The names and ids the handlers read from their environment."""

    table_name: str
    idempotency_table_name: str
    bucket_name: str
    user_pool_id: str
    user_pool_client_id: str

    def environment(self) -> dict[str, str]:
        """The variables the CDK stack sets on every function."""
        return {
            "TABLE_NAME": self.table_name,
            "IDEMPOTENCY_TABLE_NAME": self.idempotency_table_name,
            "BUCKET_NAME": self.bucket_name,
            "USER_POOL_ID": self.user_pool_id,
            "USER_POOL_CLIENT_ID": self.user_pool_client_id,
        }


def create_resources(session: Any) -> Resources:
    """User pool, client and group, both tables, the files bucket and the SES identity."""
    dynamodb = session.client("dynamodb")
    dynamodb.create_table(TableName=TABLE_NAME, **TABLE)
    dynamodb.create_table(TableName=IDEMPOTENCY_TABLE_NAME, **IDEMPOTENCY_TABLE)
    session.client("s3").create_bucket(
        Bucket=BUCKET_NAME, CreateBucketConfiguration={"LocationConstraint": DEFAULT_REGION}
    )
    session.client("ses").verify_email_identity(EmailAddress=DEFAULT_SENDER)
    pool = create_portal_pool(session.client("cognito-idp"))
    return Resources(TABLE_NAME, IDEMPOTENCY_TABLE_NAME, BUCKET_NAME, pool.pool_id, pool.client_id)


def seed_demo(resources: Resources) -> None:
    """Board staff, a centre with its domain, and its exams officer invited."""
    management = MemberManagement(
        DynamoStore(resources.table_name), CognitoDirectory(resources.user_pool_id)
    )
    board = management.add_board_staff(BOARD_EMAIL, "Bea", "Board", [BOARD_DOMAIN])
    management.create_centre(board, CENTRE_ID, CENTRE_NAME, [CENTRE_DOMAIN], subdomains=False)
    invitation = Invitation(
        email=EXAMS_OFFICER_EMAIL,
        first_name="Eira",
        surname="Evans",
        language="en",
        account_type=Role.EXAMS_OFFICER,
    )
    management.invite(board, CENTRE_ID, invitation)
    logger.info("demo seeded: centre %s", CENTRE_ID)
