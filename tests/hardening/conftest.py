"""One local run for the hardening suite, and the actors of the authorization matrix.

Every actor is set up through the API itself, as the portal's own people would: board staff
create centres A and B and invite their exams officers; the exams officer of A invites an admin
and users holding given permissions; each signs in once from the invite email with an
authenticator app (TOTP), reading temporary passwords from the outbox.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.e2e.client import Api, Journeys, MailReader, Person
from tests.support.local_run import LocalRun

BOARD_EMAIL = "board@exam-board.example"
CENTRE_A = "71001"
CENTRE_B = "71002"
SERIES = "2026-06"
ALL_PERMISSIONS = (
    "access_arrangements",
    "iamis",
    "view_scripts",
    "entries_results",
    "a2c_keys",
    "resources",
)
SINGLE_PERMISSIONS = ("iamis", "access_arrangements", "view_scripts", "entries_results")

_serial = itertools.count(1)


def serial() -> int:
    """A number never used before in this run: for throwaway emails, centre ids and keys."""
    return next(_serial)


@dataclass
class World:
    """The portal under test, its people by matrix column, and the helpers to make more."""

    journeys: Journeys
    actors: dict[str, Person | None] = field(default_factory=dict)

    @property
    def api(self) -> Api:
        return self.journeys.api

    @property
    def board(self) -> Person:
        person = self.actors["board"]
        assert person is not None
        return person

    @property
    def officer(self) -> Person:
        person = self.actors["eo_a"]
        assert person is not None
        return person

    def invite(
        self, centre_id: str, account_type: str = "user", permissions: list[str] | None = None
    ) -> Person:
        """The exams officer of A (or of B) invites a member: a throwaway target, not signed in."""
        officer = self.officer if centre_id == CENTRE_A else self.actors["member_b"]
        assert officer is not None
        person = Person(f"member{serial()}@school-{centre_id}.example")
        body = {
            "email": person.email,
            "first_name": "Tal",
            "last_name": "Throwaway",
            "language": "en",
            "account_type": account_type,
            "permissions": permissions if permissions is not None else ["resources"],
        }
        reply = self.api.call(
            "POST", f"/centres/{centre_id}/users", body, token=officer.access_token
        )
        person.user_id = self.journeys.expect(reply, 201, "POST /centres/{centre_id}/users")[
            "user_id"
        ]
        return person

    def signed_in_member(
        self, centre_id: str, account_type: str = "user", permissions: list[str] | None = None
    ) -> Person:
        return self.journeys.first_sign_in_with_totp(
            self.invite(centre_id, account_type, permissions)
        )

    def centre_with_officer(self, centre_id: str) -> Person:
        """Board staff create the centre and invite its exams officer, who signs in."""
        domain = f"school-{centre_id}.example"
        body = {"centre_id": centre_id, "name": f"Centre {centre_id}", "email_domains": [domain]}
        reply = self.api.call("POST", "/centres", body, token=self.board.access_token)
        self.journeys.expect(reply, 201, "POST /centres")
        officer = Person(f"exams.officer@{domain}")
        invite = {
            "email": officer.email,
            "first_name": "Eira",
            "last_name": "Evans",
            "language": "en",
        }
        reply = self.api.call(
            "PUT", f"/centres/{centre_id}/exams-officer", invite, token=self.board.access_token
        )
        officer.user_id = self.journeys.expect(reply, 201, "PUT exams-officer")["user_id"]
        return self.journeys.first_sign_in_with_totp(officer)


@pytest.fixture(scope="session")
def portal_url() -> Iterator[str]:
    with LocalRun("--reset") as run:
        yield run.url


@pytest.fixture(scope="session")
def world(portal_url: str) -> World:
    """Every column of the matrix, signed in once; then the deleted and demoted members."""
    journeys = Journeys(Api(portal_url), MailReader(f"{portal_url}/_local/outbox"))
    world = World(journeys)
    world.actors["anonymous"] = None
    world.actors["board"] = journeys.first_sign_in_with_totp(Person(BOARD_EMAIL))
    world.actors["eo_a"] = world.centre_with_officer(CENTRE_A)
    world.actors["member_b"] = world.centre_with_officer(CENTRE_B)
    world.actors["admin_a"] = world.signed_in_member(CENTRE_A, "admin", list(ALL_PERMISSIONS))
    world.actors["user_a"] = world.signed_in_member(CENTRE_A)
    for permission in SINGLE_PERMISSIONS:
        world.actors[f"user_{permission}"] = world.signed_in_member(
            CENTRE_A, "user", ["resources", permission]
        )
    deleted = world.signed_in_member(CENTRE_A)
    reply = world.api.call(
        "DELETE", f"/centres/{CENTRE_A}/users/{deleted.user_id}", token=world.officer.access_token
    )
    journeys.expect(reply, 204, "DELETE /centres/{centre_id}/users/{user_id}")
    world.actors["deleted"] = deleted
    demoted = world.signed_in_member(CENTRE_A, "user", ["resources", "iamis", "entries_results"])
    reply = world.api.call(
        "PUT",
        f"/centres/{CENTRE_A}/users/{demoted.user_id}/permissions",
        {"permissions": ["resources"]},
        token=world.officer.access_token,
    )
    journeys.expect(reply, 200, "PUT permissions")
    world.actors["perm_removed"] = demoted
    return world


def bearer(person: Person | None) -> dict[str, Any]:
    return {"token": person.access_token} if person else {}
