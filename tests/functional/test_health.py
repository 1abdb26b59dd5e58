"""The health check, and routes whose issues have not landed, answer in the contract's shape."""

from __future__ import annotations

from shared.domain.members import Member
from tests.support.events import call
from tests.support.portal import claims


def test_health_answers_ok_without_a_token() -> None:
    reply = call("GET", "/health")

    assert (reply.status, reply.body) == (200, {"status": "ok"})


def test_a_route_not_built_yet_answers_501_not_implemented(board: Member) -> None:
    reply = call("PUT", "/series/2027-summer", claims=claims(board), body={})

    assert (reply.status, reply.error_code) == (501, "not_implemented")
