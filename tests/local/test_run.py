"""`python -m local.run` as a newcomer runs it: the banner, the pages, Ctrl-C and --state."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.client import Api, MailReader
from tests.support.local_run import LocalRun

pytestmark = pytest.mark.slow


def get(url: str, accept: str = "application/json") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept": accept})  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return response.status, response.read().decode()


def invites(url: str) -> list[dict[str, str]]:
    _, body = get(f"{url}/_local/outbox")
    return [item for item in json.loads(body)["messages"] if item["kind"] == "email"]


def test_it_starts_seeded_prints_where_to_go_and_stops_cleanly_on_ctrl_c() -> None:
    with LocalRun("--reset") as run:
        banner = "".join(run.lines)
        for text in ("/docs", "/_local/outbox", "board@exam-board.example", "exams.officer@"):
            assert text in banner
        status, body = get(f"{run.url}/health")
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        assert json.loads(get(f"{run.url}/openapi.json")[1])["paths"]
        assert "swagger-ui" in get(f"{run.url}/docs", "text/html")[1]
        assert sorted(item["to"] for item in invites(run.url)) == [
            "board@exam-board.example",
            "exams.officer@example-school.example",
        ]

    assert run.returncode == 0
    assert any(" GET /health 200 " in line for line in run.lines)


def test_state_survives_a_restart_and_reset_starts_clean(tmp_path: Path) -> None:
    state = tmp_path / "portal.state"
    with LocalRun("--state", str(state)) as first:
        before = invites(first.url)
    assert first.returncode == 0
    assert state.exists()

    with LocalRun("--state", str(state)) as second:
        # Not seeded again: the same outbox, and the emailed temporary password still works.
        assert invites(second.url) == before
        board = "board@exam-board.example"
        password = MailReader(f"{second.url}/_local/outbox").temporary_password(board)
        reply = Api(second.url).call(
            "POST", "/auth/sign-in", {"email": board, "password": password}
        )
        assert (reply.status, reply.body["challenge"]) == (200, "new_password_required")

    with LocalRun("--state", str(state), "--reset") as third:
        fresh = invites(third.url)
        assert len(fresh) == 2
        assert fresh != before
