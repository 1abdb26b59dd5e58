"""The portal under test: the local run, started here as a client would start it, or a URL.

E2E_BASE_URL points the suite at a running portal instead (a deployed stage, say), with
E2E_OUTBOX_URL where its sent messages can be read; without the latter the suite skips.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator

import pytest

from tests.e2e.client import Api, Journeys, MailReader, Person
from tests.support.local_run import LocalRun

BOARD_EMAIL = "board@exam-board.example"


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    given = os.environ.get("E2E_BASE_URL")
    if given:
        yield given
        return
    with LocalRun("--reset") as run:
        yield run.url


@pytest.fixture(scope="session")
def journeys(base_url: str) -> Journeys:
    outbox_url = os.environ.get("E2E_OUTBOX_URL")
    if os.environ.get("E2E_BASE_URL") and not outbox_url:
        pytest.skip("E2E_BASE_URL is set without E2E_OUTBOX_URL: the suite must read the outbox")
    return Journeys(Api(base_url), MailReader(outbox_url or f"{base_url}/_local/outbox"))


@pytest.fixture(scope="session")
def board(journeys: Journeys) -> Person:
    """The seeded board staff member, signed in once from their invite email."""
    return journeys.first_sign_in_with_totp(Person(BOARD_EMAIL))


_centre_ids = itertools.count(70001)


@pytest.fixture
def new_centre(journeys: Journeys, board: Person) -> Callable[[], tuple[str, str]]:
    """Board staff create a centre; returns its id and email domain."""

    def create() -> tuple[str, str]:
        centre_id = str(next(_centre_ids))
        domain = f"school-{centre_id}.example"
        body = {"centre_id": centre_id, "name": f"Centre {centre_id}", "email_domains": [domain]}
        reply = journeys.api.call("POST", "/centres", body, token=board.access_token)
        journeys.expect(reply, 201, "POST /centres")
        return centre_id, domain

    return create


@pytest.fixture
def centre(
    journeys: Journeys, board: Person, new_centre: Callable[[], tuple[str, str]]
) -> tuple[str, Person]:
    """A centre whose exams officer has signed in with an authenticator app."""
    centre_id, domain = new_centre()
    officer = Person(f"exams.officer@{domain}")
    body = {"email": officer.email, "first_name": "Eira", "last_name": "Evans", "language": "en"}
    reply = journeys.api.call(
        "PUT", f"/centres/{centre_id}/exams-officer", body, token=board.access_token
    )
    officer.user_id = journeys.expect(reply, 201, "PUT /centres/{centre_id}/exams-officer")[
        "user_id"
    ]
    journeys.first_sign_in_with_totp(officer)
    officer.extra["domain"] = domain
    return centre_id, officer
