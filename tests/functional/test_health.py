"""The health check answers in the contract's shape, without a token."""

from __future__ import annotations

from tests.support.events import call


def test_health_answers_ok_without_a_token() -> None:
    reply = call("GET", "/health")

    assert (reply.status, reply.body) == (200, {"status": "ok"})
