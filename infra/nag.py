"""cdk-nag: the AWS Solutions checks run on every synth; each accepted finding says why."""

from __future__ import annotations

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct

from infra.stack import PortalStack
from shared.routes import ROUTES

XRAY = (
    "X-Ray has no resource-level permissions: xray:PutTraceSegments and "
    "xray:PutTelemetryRecords only accept Resource '*'. Added by Lambda active tracing."
)
GSI = (
    "Queries on the table's gsi1 index need the index ARN, which grant_read_write_data "
    "writes as <table ARN>/index/*; the table has one index and this role no other."
)
FILES = (
    "Object keys are per centre and per series, so the grant is an object prefix; the only "
    "action is s3:PutObject or s3:GetObject, for presigned URLs, on this one bucket."
)


def acknowledge(scope: IConstruct, rule: str, reason: str) -> None:
    """Accept one cdk-nag finding on one construct (and only its subtree)."""
    cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=rule, reason=reason))


def attach_nag(app: cdk.App, stack: PortalStack) -> None:
    """Run the AWS Solutions pack on the app and record the accepted findings."""
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))

    table_id = stack.resolve(stack.get_logical_id(_cfn(stack.data.table)))
    bucket_id = stack.resolve(stack.get_logical_id(_cfn(stack.storage.bucket)))

    for portal in (stack.custom_message, *stack.functions.values()):
        acknowledge(portal.role, "AwsSolutions-IAM5[Resource::*]", XRAY)
        acknowledge(
            portal.function,
            "AwsSolutions-L1",
            "Python 3.12 is pinned on purpose: the bundler fetches cp312 aarch64 wheels for "
            "it, and the runtime moves with the wheels in one reviewed change (the asset hash "
            "includes the version). 3.12 is a supported Lambda runtime.",
        )
    for name in ("auth", "account", "members", "board", "services"):
        acknowledge(
            stack.functions[name].role,
            f"AwsSolutions-IAM5[Resource::<{table_id}.Arn>/index/*]",
            GSI,
        )
    for name in ("board", "services"):
        for prefix in ("results", "resources"):
            acknowledge(
                stack.functions[name].role,
                f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/{prefix}/*]",
                FILES,
            )

    pool = stack.identity.user_pool
    acknowledge(
        pool.node.find_child("smsRole"),
        "AwsSolutions-IAM5[Resource::*]",
        "Cognito's SMS role publishes to phone numbers, which have no ARN: sns:Publish on '*' "
        "is what Cognito requires. The role trusts only cognito-idp with this pool's external id.",
    )
    acknowledge(
        pool,
        "AwsSolutions-COG1",
        "Length only (10+), no composition rules, as NCSC and NIST SP 800-63B advise: "
        "composition rules make passwords predictable. MFA is required for every account.",
    )
    if not stack.settings.threat_protection:
        acknowledge(
            pool,
            "AwsSolutions-COG8",
            "Essentials plan: Plus is charged per monthly active user. MFA is required for all, "
            "self sign-up is off and sign-in is throttled at the API. Threat protection is one "
            "context flag away (threat_protection=true) and works on the portal's flow.",
        )

    api = stack.api
    acknowledge(
        api.rest_api.node.find_child("CloudWatchRole"),
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
        "AmazonAPIGatewayPushToCloudWatchLogs]",
        "The AWS-maintained policy API Gateway documents for its account-level logging role; "
        "the role is assumable by apigateway.amazonaws.com only.",
    )
    acknowledge(
        api.rest_api.deployment_stage,
        "AwsSolutions-APIG3",
        "No WAF in this release: stage throttling, Cognito's own lockout of repeated failed "
        "sign-ins and required MFA cover credential guessing; a web ACL can be attached to "
        "the stage later without changing the API.",
    )
    _acknowledge_site(stack)
    for route in ROUTES:
        if route.public:
            method = api.methods[route.key]
            reason = (
                f"{route.key} is public by design (shared/routes.py): it is how a caller "
                "without a token signs in, recovers an account or checks health."
            )
            acknowledge(method, "AwsSolutions-APIG4", reason)
            acknowledge(method, "AwsSolutions-COG4", reason)


def _acknowledge_site(stack: PortalStack) -> None:
    """The CloudFront distribution and CDK's function that copies the site into its bucket."""
    site = stack.site
    acknowledge(
        site.distribution,
        "AwsSolutions-CFR1",
        "No geo restriction: centres include schools abroad that sit the board's exams, and "
        "board staff travel; access is decided by Cognito sign-in, not by country.",
    )
    acknowledge(
        site.distribution,
        "AwsSolutions-CFR2",
        "No WAF in this release, as for the API stage: the site is static files, the API "
        "behind /api keeps its stage throttling, Cognito lockout and required MFA; a web ACL "
        "can be attached to the distribution later without other changes.",
    )
    acknowledge(
        site.distribution,
        "AwsSolutions-CFR4",
        "No custom domain yet, so the distribution uses the default *.cloudfront.net "
        "certificate, whose minimum TLS version CloudFront fixes; with a domain and an ACM "
        "certificate, set minimum_protocol_version to TLSv1.2_2021.",
    )

    # BucketDeployment's copy runs `aws s3 sync` with the grants CDK writes for it: read on
    # the CDK asset bucket's objects, read-write on the site bucket's objects.
    site_bucket_id = stack.resolve(stack.get_logical_id(_cfn(site.bucket)))
    asset_bucket = f"arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-{stack.region}"
    sync = (
        "CDK's BucketDeployment grants `aws s3 sync` read on the CDK asset bucket's objects and "
        "read-write on the site bucket's objects (s3:GetObject*, s3:List*, s3:DeleteObject* "
        "and the like); nothing else. The role is used only by the deployment function, "
        "during a deploy."
    )
    for finding in (
        "Action::s3:GetBucket*",
        "Action::s3:GetObject*",
        "Action::s3:List*",
        "Action::s3:Abort*",
        "Action::s3:DeleteObject*",
        f"Resource::{asset_bucket}/*",
        f"Resource::<{site_bucket_id}.Arn>/*",
    ):
        acknowledge(site.deployment_role, f"AwsSolutions-IAM5[{finding}]", sync)
    acknowledge(
        _deployment_function(stack),
        "AwsSolutions-L1",
        "CDK's own BucketDeployment function: aws-cdk-lib picks its runtime with the AWS CLI "
        "layer it bundles, and moves it on upgrade; it runs only during a deploy.",
    )


def _deployment_function(stack: PortalStack) -> IConstruct:
    """CDK's singleton BucketDeployment function, which lives at the stack's root."""
    (function,) = [
        child
        for child in stack.node.children
        if child.node.id.startswith("Custom::CDKBucketDeployment")
    ]
    return function


def _cfn(construct: IConstruct) -> cdk.CfnElement:
    """The L1 resource behind an L2 construct."""
    child = construct.node.default_child
    if not isinstance(child, cdk.CfnElement):
        raise TypeError(f"{construct.node.path} has no CloudFormation resource")
    return child
