"""CloudWatch alarms on the API and on every function, sent to one encrypted SNS topic."""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from infra.functions import METRICS_NAMESPACE

PERIOD = cdk.Duration.minutes(5)
AT_OR_ABOVE = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD


class Monitoring(Construct):
    """Alarms that say the portal is failing or refusing its users."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        rest_api: apigw.RestApi,
        access_log_group: logs.ILogGroup,
        functions: Mapping[str, lambda_.Function],
        alarm_email: str = "",
    ) -> None:
        super().__init__(scope, construct_id)
        self.alarms: list[cloudwatch.Alarm] = []

        # CloudWatch cannot publish to a topic under the AWS managed SNS key, so the topic has
        # a key of its own whose policy lets CloudWatch use it.
        key = kms.Key(
            self,
            "AlarmTopicKey",
            description="Encrypts the Centre Portal alarm topic",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
            )
        )
        self.topic = sns.Topic(
            self,
            "AlarmTopic",
            display_name="Centre Portal alarms",
            master_key=key,
            enforce_ssl=True,
        )
        if alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(alarm_email))

        # API Gateway publishes no metric for throttling, so count 429s in its access log.
        throttled = logs.MetricFilter(
            self,
            "ApiThrottledFilter",
            log_group=access_log_group,
            filter_pattern=logs.FilterPattern.string_value("$.status", "=", "429"),
            metric_namespace=METRICS_NAMESPACE,
            metric_name="ApiThrottled",
            metric_value="1",
            default_value=0,
        )

        # A few 5xx in five minutes are already several members unable to work.
        self._alarm(
            "Api5xx",
            rest_api.metric_server_error(period=PERIOD, statistic="Sum"),
            threshold=5,
            description="The portal API answered 5xx more than a few times in five minutes",
        )
        self._alarm(
            "ApiThrottled",
            throttled.metric(period=PERIOD, statistic="Sum"),
            threshold=20,
            description="The portal API refused requests with 429 (stage or method throttling)",
        )
        for name, function in sorted(functions.items()):
            self._alarm(
                f"{name}Errors",
                function.metric_errors(period=PERIOD, statistic="Sum"),
                threshold=1,
                description=f"The {name} function failed (unhandled error or timeout)",
            )
            # Any throttle means Lambda refused a member's request outright.
            self._alarm(
                f"{name}Throttles",
                function.metric_throttles(period=PERIOD, statistic="Sum"),
                threshold=1,
                description=f"Lambda throttled the {name} function",
            )

    def _alarm(
        self, construct_id: str, metric: cloudwatch.Metric, *, threshold: int, description: str
    ) -> None:
        """An alarm on one metric; no data means no traffic, which is not a failure."""
        alarm = metric.create_alarm(
            self,
            construct_id,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=AT_OR_ABOVE,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        # Operators hear when the portal fails and when it recovers.
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        alarm.add_ok_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)
