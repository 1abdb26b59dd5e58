"""Lambda: every portal function is built by this one construct, so they cannot drift apart."""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

METRICS_NAMESPACE = "CentrePortal"


class PortalFunction(Construct):
    """One function of the portal, with its own role and log group and nothing granted yet."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        code: lambda_.Code,
        environment: Mapping[str, str],
    ) -> None:
        super().__init__(scope, construct_id)

        # A year of logs covers a full exam series and its appeals window.
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            retention=logs.RetentionDays.ONE_YEAR,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        # An explicit role instead of AWSLambdaBasicExecutionRole: that managed policy lets a
        # function create and write any log group; this one writes only its own.
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Centre Portal {name} function",
        )
        self.log_group.grant_write(self.role)

        # 512 MB: Lambda allots CPU in proportion to memory, and pydantic plus boto3 cold starts
        # are CPU-bound; at 512 MB a cold start stays well under a second on arm64, where 128 MB
        # takes several. The cost difference is pennies at the portal's volume.
        self.function = lambda_.Function(
            self,
            "Function",
            runtime=lambda_.Runtime.PYTHON_3_12,
            architecture=lambda_.Architecture.ARM_64,
            code=code,
            handler=f"functions.{name}.handler.handler",
            memory_size=512,
            # Every route makes a few DynamoDB and Cognito calls; 10 s is far above that and
            # under API Gateway's 29 s integration timeout, so a stuck call fails as a 5xx here.
            timeout=cdk.Duration.seconds(10),
            tracing=lambda_.Tracing.ACTIVE,
            role=self.role,
            log_group=self.log_group,
            environment={
                "POWERTOOLS_SERVICE_NAME": name,
                "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
                "LOG_LEVEL": "INFO",
                **environment,
            },
            description=f"Centre Portal: {name}",
        )
