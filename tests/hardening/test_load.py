"""Load with correctness, short form: 20 clients in 4 centres for a few seconds.

The run has a local run of its own (not the session's), so its centres, members and the
Cognito pool it inspects hold nothing from the other hardening tests, and they nothing of it.
`make soak` runs the same load for 30 s and writes bench/SOAK.md. No assertion is about time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bench.load import CentreState, Checks, LoadReport, run_load
from bench.soak import moto_url
from tests.e2e.client import Api
from tests.support.local_run import LocalRun

pytestmark = pytest.mark.slow

CLIENTS, CENTRES, SECONDS = 20, 4, 8.0


@pytest.fixture(scope="module")
def report() -> Iterator[LoadReport]:
    with LocalRun() as run:
        url = moto_url(run.lines)
        assert url, "the local run's banner names its moto endpoint"
        yield run_load(run.url, clients=CLIENTS, seconds=SECONDS, centres=CENTRES, moto_url=url)


def test_twenty_clients_get_no_unexpected_answer(report: LoadReport) -> None:
    # Given 20 members of 4 centres reading and changing membership at once
    # Then every answer is a success or a refusal the race makes legitimate
    assert report.requests > 0
    assert report.unexpected_count == 0, "\n".join(report.unexpected)


def test_the_mix_exercised_every_change_the_cap_a_replay_and_a_double_send(
    report: LoadReport,
) -> None:
    # Then invites, permission changes, resends and deletions succeeded, a fourth admin was
    # refused, and a change sent again with its Idempotency-Key, after its answer or at the
    # same moment, was done once
    assert report.uncovered == []


def test_nothing_was_lost_or_doubled(report: LoadReport) -> None:
    # Then the seats, counters, audit log, members, permissions and Cognito users agree with
    # what the clients saw
    names = {check.name for check in report.checks}
    assert "Cognito users = member records = email guards" in names
    assert len(names) == 7
    assert report.failed_checks == [], report.markdown()


# --- the checks themselves can fail ----------------------------------------------------------

CENTRE = "72001"


def member(user_id: str, account_type: str, permissions: list[str]) -> dict[str, Any]:
    return {"user_id": user_id, "account_type": account_type, "permissions": permissions}


def event(
    action: str, target: str, second: int, *, actor: str = "eo", **details: Any
) -> dict[str, Any]:
    at = f"2026-06-01T08:00:{second:02d}Z"
    return {"at": at, "actor": actor, "action": action, "target": target, "details": details}


OFFICER = member("eo", "exams_officer", ["resources"])
BEFORE = CentreState([OFFICER], [event("invite", "eo", 0, permissions=["resources"])], {})


def checks(members: list[dict[str, Any]], events: list[dict[str, Any]], seen: list[str]) -> Checks:
    """The portal as `members` and `events` (newest first) after the clients saw `seen`."""
    counts = {"exams_officer": 0, "admin": 0, "user": 0}
    for one in members:
        counts[one["account_type"]] += 1
    after = CentreState(members, [*events, *BEFORE.events], counts)
    changes = [(CENTRE, *change.split(), "eo") for change in seen]
    return Checks(Api("http://127.0.0.1:9"), {CENTRE: BEFORE}, {CENTRE: after}, changes, {})


def test_the_checks_see_a_lost_invite() -> None:
    # Given two invites seen to succeed, of which the portal kept one
    found = checks(
        [OFFICER, member("u1", "user", ["resources"])],
        [event("invite", "u1", 1, permissions=["resources"])],
        ["invite u1", "invite u2"],
    )
    # Then the audit and membership checks fail
    assert not found.audit().passed
    assert not found.membership().passed


def test_the_checks_see_a_change_made_in_another_members_name() -> None:
    # Given an invite the exams officer saw succeed, audited as made by someone else
    found = checks(
        [OFFICER, member("u1", "user", ["resources"])],
        [event("invite", "u1", 1, actor="someone-else", permissions=["resources"])],
        ["invite u1"],
    )
    # Then the audit check fails, though the membership adds up
    assert not found.audit().passed
    assert found.membership().passed


def test_the_checks_see_a_doubled_change_and_a_lost_permission_change() -> None:
    # Given one permission change seen, audited twice, and the member without its result
    found = checks(
        [OFFICER, member("u1", "user", ["resources"])],
        [
            event("set_permissions", "u1", 3, before=["resources"], after=["iamis", "resources"]),
            event("set_permissions", "u1", 2, before=["resources"], after=["iamis", "resources"]),
            event("invite", "u1", 1, permissions=["resources"]),
        ],
        ["invite u1", "set_permissions u1"],
    )
    # Then the audit check fails, and so does the permissions check
    assert not found.audit().passed
    assert not found.permissions_follow_audit().passed
    assert found.membership().passed


def test_the_checks_see_a_fourth_admin_and_a_counter_out_of_step() -> None:
    # Given four admins listed
    admins = [member(f"a{n}", "admin", ["resources"]) for n in range(4)]
    found = checks([OFFICER, *admins], [], [])
    found.after[CENTRE].counts["admin"] = 3
    # Then the seats check fails, and the counter disagrees with the listing
    assert not found.seats().passed
    assert not found.counters().passed
