#!/usr/bin/env python3
"""The CDK app: the Centre Portal stack, checked by cdk-nag on every synth."""

from __future__ import annotations

import os

import aws_cdk as cdk

from infra.nag import attach_nag
from infra.settings import PortalSettings
from infra.stack import PortalStack

STACK_NAME = "CentrePortal"

# Feature flags set in code so that `python app.py`, `cdk synth` and the tests agree.
FEATURE_FLAGS = {
    # Server access logs delivered by bucket policy rather than by ACL, so ACLs stay disabled.
    "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": True,
    # Merge IAM statements: shorter policies, fewer near-duplicate findings to review.
    "@aws-cdk/aws-iam:minimizePolicies": True,
}


def build_app(
    context: dict[str, object] | None = None, outdir: str | None = None
) -> tuple[cdk.App, PortalStack]:
    """The app and its one stack, with cdk-nag attached; synthesize with app.synth()."""
    app = cdk.App(context={**FEATURE_FLAGS, **(context or {})}, outdir=outdir)
    keys = PortalSettings.context_keys()
    settings = PortalSettings.from_context({key: app.node.try_get_context(key) for key in keys})
    stack = PortalStack(app, STACK_NAME, settings=settings)
    attach_nag(app, stack)
    return app, stack


if __name__ == "__main__":
    # The CLI names its output directory; run directly, write where the CLI would.
    build_app(outdir=os.environ.get("CDK_OUTDIR") or "cdk.out")[0].synth()
