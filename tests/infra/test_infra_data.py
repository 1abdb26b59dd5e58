"""Tables and the files bucket are protected against loss and exposure."""

from __future__ import annotations

from aws_cdk.assertions import Match, Template

from tests.infra.synthesis import Synthesized


def _tables(synthesized: Synthesized) -> dict[str, dict]:
    """Tables by their partition key name: 'pk' is the single table, 'id' idempotency."""
    return {
        table["Properties"]["KeySchema"][0]["AttributeName"]: table
        for table in synthesized.of_type("AWS::DynamoDB::Table").values()
    }


def test_tables_have_pitr_deletion_protection_and_encryption(synthesized: Synthesized) -> None:
    tables = _tables(synthesized)

    assert set(tables) == {"pk", "id"}
    for key, table in tables.items():
        properties = table["Properties"]
        pitr = properties["PointInTimeRecoverySpecification"]
        assert pitr["PointInTimeRecoveryEnabled"] is True, key
        assert properties["DeletionProtectionEnabled"] is True, key
        assert properties["SSESpecification"]["SSEEnabled"] is True, key
        assert properties["BillingMode"] == "PAY_PER_REQUEST", key
        assert table["DeletionPolicy"] == "Retain", key


def test_single_table_keys_index_and_ttl(synthesized: Synthesized) -> None:
    properties = _tables(synthesized)["pk"]["Properties"]

    assert properties["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    (index,) = properties["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "gsi1"
    assert index["KeySchema"] == [
        {"AttributeName": "gsi1pk", "KeyType": "HASH"},
        {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
    ]
    assert index["Projection"] == {"ProjectionType": "ALL"}
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}


def test_idempotency_records_expire(synthesized: Synthesized) -> None:
    properties = _tables(synthesized)["id"]["Properties"]

    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}


def test_buckets_block_public_access_are_versioned_and_encrypted(
    synthesized: Synthesized,
) -> None:
    buckets = synthesized.of_type("AWS::S3::Bucket")

    # Files, their access log, the web site and CloudFront's logs.
    assert len(buckets) == 4
    for logical_id, bucket in buckets.items():
        properties = bucket["Properties"]
        assert properties["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, logical_id
        assert properties["VersioningConfiguration"] == {"Status": "Enabled"}, logical_id
        assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"], logical_id
        assert bucket["DeletionPolicy"] == "Retain", logical_id


def test_files_bucket_logs_its_requests(template: Template) -> None:
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "LoggingConfiguration": {
                "DestinationBucketName": Match.any_value(),
                "LogFilePrefix": "files/",
            }
        },
    )


def test_every_bucket_refuses_plain_http(synthesized: Synthesized) -> None:
    buckets = set(synthesized.of_type("AWS::S3::Bucket"))
    denied = set()

    for policy in synthesized.of_type("AWS::S3::BucketPolicy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            condition = statement.get("Condition", {}).get("Bool", {})
            if statement["Effect"] == "Deny" and condition.get("aws:SecureTransport") == "false":
                denied.add(policy["Properties"]["Bucket"]["Ref"])

    assert denied == buckets


def test_the_local_table_schema_matches_the_deployed_one(synthesized: Synthesized) -> None:
    # The laptop run and the handler tests create the table from shared/adapters/schema.py.
    from shared.adapters.schema import IDEMPOTENCY_TABLE, TABLE

    tables = _tables(synthesized)
    deployed = tables["pk"]["Properties"]
    (index,) = deployed["GlobalSecondaryIndexes"]
    (local_index,) = TABLE["GlobalSecondaryIndexes"]

    assert deployed["KeySchema"] == TABLE["KeySchema"]
    assert sorted(deployed["AttributeDefinitions"], key=str) == sorted(
        TABLE["AttributeDefinitions"], key=str
    )
    assert (index["IndexName"], index["KeySchema"]) == (
        local_index["IndexName"],
        local_index["KeySchema"],
    )
    assert tables["id"]["Properties"]["KeySchema"] == IDEMPOTENCY_TABLE["KeySchema"]
