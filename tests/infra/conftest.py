"""Synthesize the stack once per test session, without bundling, for every infra test."""

from __future__ import annotations

import json

import pytest
from aws_cdk.assertions import Template

from app import STACK_NAME, build_app
from tests.infra.synthesis import Synthesized


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    """Given the portal app with default settings, when it is synthesized, the result."""
    outdir = tmp_path_factory.mktemp("cdk.out")
    app, stack = build_app({"skip_bundling": "true"}, outdir=str(outdir))
    synth_error = None
    try:
        app.synth()
    except RuntimeError as error:
        # cdk-nag fails the synth on an unacknowledged finding; the template is already
        # written, so the other tests still run and the nag test reports the failure.
        synth_error = str(error)
    body = json.loads((outdir / f"{STACK_NAME}.template.json").read_text())
    return Synthesized(
        stack=stack,
        template=Template.from_json(body),
        resources=body["Resources"],
        outdir=outdir,
        synth_error=synth_error,
    )


@pytest.fixture(scope="session")
def template(synthesized: Synthesized) -> Template:
    """The synthesized CloudFormation template."""
    return synthesized.template
