"""Fixtures for tests that run on moto's Cognito, with or without the local fidelity layer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from local.cognito import Clock, Outbox, PortalPool, create_portal_pool
from local.cognito import clock as layer_clock
from local.cognito import cognito_layer as layer_on
from local.cognito import outbox as layer_outbox
from shared.settings import DEFAULT_REGION

# What a correction test may raise on plain moto: the documented behaviour is missing.
PLAIN_MOTO_FAILS = (AssertionError, ClientError, LookupError, pytest.fail.Exception)


def test_trigger(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A tiny CustomMessage trigger: the trigger source, the code and (for invites) the user."""
    del context
    source = event["triggerSource"]
    request = event["request"]
    user = f" {request['usernameParameter']}" if request.get("usernameParameter") else ""
    event["response"]["emailSubject"] = f"[{source}]"
    event["response"]["emailMessage"] = f"<p>{source}{user} {request['codeParameter']}</p>"
    event["response"]["smsMessage"] = f"{source} {request['codeParameter']}"
    return event


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A moto account in the portal's region, with fake credentials."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": DEFAULT_REGION,
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield


@pytest.fixture
def clock() -> Iterator[Clock]:
    """The layer's clock, frozen at now; move it with clock.advance(days=...)."""
    layer_clock.freeze()
    yield layer_clock
    layer_clock.unfreeze()


@pytest.fixture
def outbox() -> Iterator[Outbox]:
    """The layer's outbox, empty at the start of the test."""
    layer_outbox.clear()
    yield layer_outbox
    layer_outbox.clear()


@pytest.fixture
def cognito_layer(aws: None, clock: Clock, outbox: Outbox) -> Iterator[None]:
    """The fidelity layer on, with the tiny test trigger playing CustomMessage."""
    with layer_on(trigger=test_trigger):
        yield


@pytest.fixture(
    params=[
        pytest.param(
            False, id="plain-moto", marks=pytest.mark.xfail(strict=True, raises=PLAIN_MOTO_FAILS)
        ),
        pytest.param(True, id="layer"),
    ]
)
def fidelity(
    request: pytest.FixtureRequest, aws: None, clock: Clock, outbox: Outbox
) -> Iterator[bool]:
    """Run a correction test on plain moto (must fail) and with the layer (must pass)."""
    if not request.param:
        yield False
        return
    with layer_on(trigger=test_trigger):
        yield True


@pytest.fixture
def cognito(aws: None) -> Any:
    """A Cognito client on the moto account."""
    return boto3.client("cognito-idp", region_name=DEFAULT_REGION)


@pytest.fixture
def portal_pool(request: pytest.FixtureRequest, cognito: Any) -> PortalPool:
    """The portal's pool and client, created from shared.settings after the layer is set up."""
    for name in ("fidelity", "cognito_layer"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
    return create_portal_pool(cognito)
