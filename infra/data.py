"""DynamoDB: the portal's single table and the idempotency record of retried requests."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

STRING = dynamodb.AttributeType.STRING


class Data(Construct):
    """The single table (members, centres, audit, counters) and the idempotency table."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)

        # AWS-owned KMS key (aws/dynamodb): KMS-backed encryption whose use is logged in
        # CloudTrail, with no key policy to get wrong and no per-key charge. A customer-managed
        # key would only pay off for cross-account access or crypto-shredding; neither applies.
        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=dynamodb.Attribute(name="pk", type=STRING),
            sort_key=dynamodb.Attribute(name="sk", type=STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True,
            ),
            deletion_protection=True,
            time_to_live_attribute="ttl",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.table.add_global_secondary_index(
            index_name="gsi1",
            partition_key=dynamodb.Attribute(name="gsi1pk", type=STRING),
            sort_key=dynamodb.Attribute(name="gsi1sk", type=STRING),
            projection_type=dynamodb.ProjectionType.ALL,
        )

        # Powertools idempotency records; they expire on their own, so losing the table loses
        # nothing but in-flight retries, yet it keeps the same protection as the main table.
        self.idempotency_table = dynamodb.Table(
            self,
            "IdempotencyTable",
            partition_key=dynamodb.Attribute(name="id", type=STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True,
            ),
            deletion_protection=True,
            time_to_live_attribute="expiration",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
