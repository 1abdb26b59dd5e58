"""Fixtures: a moto account holding the portal, with a centre, its people and their claims."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator

import pytest
from moto import mock_aws

from local.cognito import Outbox, cognito_layer
from local.cognito import outbox as layer_outbox
from shared.domain.accounts import Role
from shared.domain.members import Member
from tests.support.portal import REGION, Portal, reset_caches


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "POWERTOOLS_METRICS_NAMESPACE": "CentrePortalTest",
        "POWERTOOLS_SERVICE_NAME": "portal-test",
    }.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def outbox() -> Iterator[Outbox]:
    layer_outbox.clear()
    yield layer_outbox
    layer_outbox.clear()


@pytest.fixture
def portal(monkeypatch: pytest.MonkeyPatch, outbox: Outbox) -> Iterator[Portal]:
    """The portal on moto with the local Cognito layer and the project's own message trigger."""
    with mock_aws(), cognito_layer():
        yield Portal.create(monkeypatch)
    reset_caches()


@pytest.fixture
def board(portal: Portal) -> Member:
    return portal.add_board_staff()


@pytest.fixture
def centre(portal: Portal) -> str:
    return portal.add_centre().centre_id


@pytest.fixture
def exams_officer(portal: Portal, centre: str) -> Member:
    return portal.add_member(Role.EXAMS_OFFICER, centre)


@pytest.fixture
def admin(portal: Portal, centre: str) -> Member:
    return portal.add_member(Role.ADMIN, centre)


@pytest.fixture
def user(portal: Portal, centre: str) -> Member:
    return portal.add_member(Role.USER, centre)


@pytest.fixture
def atomic_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make each moto request atomic, as each request to the real services is.

    moto's in-memory backends are not thread-safe (a transaction deep-copies a table another
    thread is writing). Serialising single requests keeps the race this project cares about:
    threads still interleave between requests, so the conditions decide who wins.
    """
    import threading

    from moto.core.botocore_stubber import BotocoreStubber

    lock = threading.Lock()
    original = BotocoreStubber.__call__

    def atomic(self: BotocoreStubber, *args: object, **kwargs: object) -> object:
        with lock:
            return original(self, *args, **kwargs)

    monkeypatch.setattr(BotocoreStubber, "__call__", atomic)


class CapturedLogs:
    """Everything the handlers log during a test, at DEBUG, from every place it can go."""

    def __init__(
        self,
        caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        # At DEBUG too: botocore and Powertools log parameters and bodies at that level.
        caplog.set_level("DEBUG")
        # Powertools' handler keeps the stream it found when first created: give it this test's.
        self._powertools = io.StringIO()
        service = logging.getLogger(os.environ["POWERTOOLS_SERVICE_NAME"])
        for handler in service.handlers:
            if isinstance(handler, logging.StreamHandler):
                monkeypatch.setattr(handler, "stream", self._powertools)
        self._caplog, self._capsys = caplog, capsys

    def text(self) -> str:
        captured = self._capsys.readouterr()
        return "\n".join(
            [self._powertools.getvalue(), captured.out, captured.err, self._caplog.text]
        )


@pytest.fixture
def captured_logs(
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> CapturedLogs:
    return CapturedLogs(caplog, capsys, monkeypatch)
