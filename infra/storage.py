"""S3: centres' results files and the board's resources, plus the bucket's access log."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_s3 as s3
from constructs import Construct

RESULTS_PREFIX = "results/"
RESOURCES_PREFIX = "resources/"


def private_bucket(scope: Construct, construct_id: str, **settings: Any) -> s3.Bucket:
    """A bucket that is never public: blocked, SSE-S3, TLS only, versioned, kept on delete.

    SSE-S3 because server access logs only land in an SSE-S3 bucket, and presigned URLs then
    need no KMS permission. `settings` adds to these (or sets another object ownership).
    """
    return s3.Bucket(
        scope,
        construct_id,
        **{
            "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
            "encryption": s3.BucketEncryption.S3_MANAGED,
            "enforce_ssl": True,
            "versioned": True,
            "object_ownership": s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            "removal_policy": cdk.RemovalPolicy.RETAIN,
            **settings,
        },
    )


class Storage(Construct):
    """A private, versioned bucket for files; every request to it is logged."""

    def __init__(
        self, scope: Construct, construct_id: str, *, allowed_origins: tuple[str, ...]
    ) -> None:
        super().__init__(scope, construct_id)

        # Results files are embargoed until results day, so who fetched what is worth keeping.
        self.access_log_bucket = private_bucket(
            self,
            "AccessLogs",
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=cdk.Duration.days(400),
                    noncurrent_version_expiration=cdk.Duration.days(30),
                )
            ],
        )

        # Files are uploaded and downloaded by browsers through short-lived presigned URLs,
        # hence CORS for the portal's origins only; every request is signed.
        self.bucket = private_bucket(
            self,
            "Files",
            server_access_logs_bucket=self.access_log_bucket,
            server_access_logs_prefix="files/",
            cors=[
                s3.CorsRule(
                    allowed_methods=[s3.HttpMethods.GET, s3.HttpMethods.PUT],
                    allowed_origins=list(allowed_origins),
                    allowed_headers=["Content-Type"],
                    max_age=3600,
                )
            ],
            lifecycle_rules=[
                s3.LifecycleRule(
                    abort_incomplete_multipart_upload_after=cdk.Duration.days(7),
                    noncurrent_version_expiration=cdk.Duration.days(90),
                )
            ],
        )
