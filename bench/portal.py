"""A portal on moto, in this process, with the local Cognito layer: what the benchmarks call."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from moto import mock_aws

from local.cognito import cognito_layer
from tests.support.portal import REGION, Portal, reset_caches

ENV = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": REGION,
    "POWERTOOLS_METRICS_NAMESPACE": "Bench",
    "POWERTOOLS_SERVICE_NAME": "bench",
    # Benchmarks measure the portal, not the cost of printing metrics and logs to a terminal.
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "ERROR",
}


@contextmanager
def moto_portal() -> Iterator[Portal]:
    with pytest.MonkeyPatch.context() as patch:
        for key, value in ENV.items():
            patch.setenv(key, value)
        with mock_aws(), cognito_layer():
            yield Portal.create(patch)
        reset_caches()
        os.environ.pop("POWERTOOLS_METRICS_DISABLED", None)
