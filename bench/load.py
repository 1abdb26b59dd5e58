"""Load with correctness: many members of several centres changing membership at once.

Each client is one signed-in member of a centre. Exams officers and admins loop over a weighted
mix of reads and changes (invites, some of admins beyond the cap of 3, permission changes,
resends, deletions, and a change sent again with its Idempotency-Key, after its answer or at
the same moment); users read. Every answer is classed on the client as expected (a success, or
a refusal the race makes legitimate, such as 404 for a member another client already deleted)
or unexpected (anything else).

Afterwards the portal is checked through its API, and through moto when its address is known:
the admin cap and the one exams officer hold, the audit log holds exactly one event for each
change a client saw succeed, the members listed are the invited minus the deleted, every one
of them can be opened, and Cognito's users and the member records are the same people.
The throughput is reported, never asserted: what matters is that no change is lost or doubled.
"""

from __future__ import annotations

import random
import threading
import time
import urllib.error
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import boto3

from local.seed import BOARD_EMAIL, TABLE_NAME
from tests.e2e.client import Api, Journeys, MailReader, Person
from tests.support.events import Reply

FIRST_CENTRE = 72001
MAX_ADMINS = 3
# Permissions a user may be given on request; `resources` is always held, `a2c_keys` never.
USER_GRANTS = ("iamis", "access_arrangements", "entries_results", "view_scripts")
ADMIN_GRANTS = (*USER_GRANTS, "a2c_keys")
# Where a centre's clients sit: the exams officer first, then admins and users alternating.
# Two admin clients leave one seat of the three for the invites to race for.
SEATS = ("exams_officer", "admin", "user", "admin", "user")
MANAGER_MIX = {
    "list": 20,
    "view": 16,
    "me": 8,
    "services": 6,
    "invite_user": 14,
    "invite_admin": 9,
    "permissions": 12,
    "resend": 6,
    "delete": 11,
}
USER_MIX = {"me": 40, "services": 30, "view_self": 30}
REPLAY_CHANCE = 0.2
# Now and then a change is sent twice at once with the same key, as a double click would.
DOUBLE_SEND_CHANCE = 0.1
IN_PROGRESS = "request_in_progress"
# Refusals the race between clients makes legitimate: (status, error code).
NOT_FOUND = (404, "not_found")
VERSION_CONFLICT = (409, "conflict")
EXPECTED_REFUSALS: dict[str, set[tuple[int, str]]] = {
    "view": {NOT_FOUND},
    "invite_admin": {(409, "admin_limit_reached")},
    "permissions": {NOT_FOUND, VERSION_CONFLICT},
    "resend": {NOT_FOUND, VERSION_CONFLICT},
    "delete": {NOT_FOUND, VERSION_CONFLICT},
}
SUCCESS = {
    "list": 200,
    "view": 200,
    "view_self": 200,
    "me": 200,
    "services": 200,
    "invite_user": 201,
    "invite_admin": 201,
    "permissions": 200,
    "resend": 200,
    "delete": 204,
}
# The audit action each change writes.
AUDIT_ACTION = {
    "invite_user": "invite",
    "invite_admin": "invite",
    "permissions": "set_permissions",
    "resend": "resend_invite",
    "delete": "delete",
}
MAX_UNEXPECTED_SHOWN = 20
# What a run must have exercised before it may stop; past the planned time it goes on for at
# most this many times that time to get there (on a slow machine), and the report says so.
COVERAGE = (
    *[("change", kind) for kind in AUDIT_ACTION],
    ("refusal", "admin_limit_reached"),
    ("replay", "replay"),
    ("double", "double send"),
)
OVERTIME_FACTOR = 5
EVERYTHING_COVERED = (
    "nothing (every kind of change, the admin cap refusal, a replay and a double send were seen)"
)


# A change a client saw succeed: centre, audit action, target user id, acting user id.
Change = tuple[str, str, str, str]


@dataclass
class Actor:
    """A client's member: who they are, their role and their centre."""

    person: Person
    role: str
    centre_id: str


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str = ""


@dataclass
class LoadReport:
    """What the clients saw and what the checks found."""

    clients: int
    centres: list[str]
    seconds: float = 0.0
    setup_seconds: float = 0.0
    outcomes: Counter[tuple[str, int, str]] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    # When each item of COVERAGE was first seen, in seconds from the start of the load.
    covered: dict[tuple[str, str], float] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)
    unexpected_count: int = 0
    changes: Counter[str] = field(default_factory=Counter)
    checks: list[Check] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.outcomes.values())

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed_checks(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    @property
    def ok(self) -> bool:
        return self.unexpected_count == 0 and not self.failed_checks

    def by_kind(self) -> dict[str, Counter[str]]:
        kinds: dict[str, Counter[str]] = {}
        for (kind, status, code), count in sorted(self.outcomes.items()):
            label = f"{status} {code}".strip()
            kinds.setdefault(kind, Counter())[label] += count
        return kinds

    @property
    def uncovered(self) -> list[str]:
        return [f"{group} {name}" for group, name in COVERAGE if (group, name) not in self.covered]

    def first_seen(self) -> str:
        ordered = sorted(self.covered.items(), key=lambda item: item[1])
        return ", ".join(f"{name} {seconds:.1f} s" for (_, name), seconds in ordered)

    def latency(self, share: float) -> float:
        """The latency below which `share` of the requests were answered, in seconds."""
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    def summary(self) -> str:
        return (
            f"{self.requests} requests in {self.seconds:.1f} s "
            f"({self.requests_per_second:.1f}/s) by {self.clients} clients in "
            f"{len(self.centres)} centres; {self.unexpected_count} unexpected errors; "
            f"{len(self.checks) - len(self.failed_checks)}/{len(self.checks)} checks passed"
        )

    def markdown(self) -> str:
        lines = [
            f"- {self.summary()}",
            f"- set-up (centres, exams officers, clients signed in): {self.setup_seconds:.1f} s",
            f"- latency: median {self.latency(0.5) * 1000:.0f} ms, 95th percentile "
            f"{self.latency(0.95) * 1000:.0f} ms, slowest {self.latency(1.0) * 1000:.0f} ms",
            f"- not exercised: {', '.join(self.uncovered) or EVERYTHING_COVERED}",
            f"- first seen after: {self.first_seen()}",
            f"- successful changes: {_counts(self.changes)}",
            "",
            "| kind | requests | answers |",
            "|---|---|---|",
        ]
        for kind, statuses in self.by_kind().items():
            lines.append(f"| {kind} | {sum(statuses.values())} | {_counts(statuses)} |")
        lines += ["", "| check | result | detail |", "|---|---|---|"]
        for check in self.checks:
            mark = "passed" if check.passed else "**FAILED**"
            lines.append(f"| {check.name} | {mark} | {check.detail} |")
        if self.unexpected:
            lines += ["", "Unexpected answers (first ones):", ""]
            lines += [f"- {line}" for line in self.unexpected]
        return "\n".join(lines) + "\n"


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{name}: {count}" for name, count in sorted(counter.items())) or "none"


class Recorder:
    """The clients' shared notebook: every answer, and every change seen to succeed."""

    def __init__(self, report: LoadReport) -> None:
        self.report = report
        self.changes: list[Change] = []
        # Every request and its answer in order, to explain a failed check.
        self.history: list[str] = []
        self.began = time.monotonic()
        self._lock = threading.Lock()

    def answer(self, kind: str, reply: Reply, *, expected: bool, what: str, seconds: float) -> None:
        with self._lock:
            self.report.outcomes[(kind, reply.status, reply.error_code or "")] += 1
            self.report.latencies.append(seconds)
            self.history.append(f"{what} -> {reply.status} {reply.error_code or ''}")
            if reply.error_code == "admin_limit_reached":
                self._covered(("refusal", "admin_limit_reached"))
            if kind == "replay" and expected:
                self._covered(("replay", "replay"))
            if kind == "double" and expected:
                self._covered(("double", "double send"))
            if not expected:
                self.report.unexpected_count += 1
                if len(self.report.unexpected) < MAX_UNEXPECTED_SHOWN:
                    self.report.unexpected.append(f"{what}: {reply.status} {reply.body}")

    def change(self, actor: Actor, kind: str, target: str) -> None:
        with self._lock:
            change = (actor.centre_id, AUDIT_ACTION[kind], target, actor.person.user_id)
            self.changes.append(change)
            self.report.changes[kind] += 1
            self._covered(("change", kind))

    def crashed(self, actor: Actor, error: Exception) -> None:
        with self._lock:
            self.report.unexpected_count += 1
            self.report.unexpected.append(f"client {actor.person.email} stopped: {error!r}")

    def _covered(self, item: tuple[str, str]) -> None:
        self.report.covered.setdefault(item, time.monotonic() - self.began)

    def done(self, deadline: float, last_call: float) -> bool:
        """Past the planned time, and every kind of change seen (or out of extra time)."""
        now = time.monotonic()
        if now < deadline:
            return False
        with self._lock:
            return not self.report.uncovered or now >= last_call


def _call(api: Api, method: str, path: str, body: Any = None, **options: Any) -> Reply:
    """One request; a broken connection is an answer too (status 0), never an exception."""
    try:
        return api.call(method, path, body, **options)
    except (urllib.error.URLError, OSError) as error:
        return Reply(0, {"error": {"code": "connection_error", "message": str(error)}}, {})


def _timed(
    api: Api, method: str, path: str, body: Any = None, **options: Any
) -> tuple[Reply, float]:
    started = time.perf_counter()
    reply = _call(api, method, path, body, **options)
    return reply, time.perf_counter() - started


def _expected(kind: str, reply: Reply) -> bool:
    refusal = (reply.status, reply.error_code or "")
    return reply.status == SUCCESS[kind] or refusal in EXPECTED_REFUSALS.get(kind, ())


class Client:
    """One member looping over the mix until the deadline."""

    def __init__(
        self, api: Api, actor: Actor, actor_ids: frozenset[str], recorder: Recorder, seed: int
    ) -> None:
        self.api = api
        self.actor = actor
        self.actor_ids = actor_ids
        self.recorder = recorder
        self.rng = random.Random(seed)
        # Members of the centre this client knows of, other clients excluded: acting on a
        # client's own member would change the load itself, not the centre.
        self.known: dict[str, str] = {}
        mix = MANAGER_MIX if actor.role != "user" else USER_MIX
        self.kinds, self.weights = list(mix), list(mix.values())

    @property
    def centre_path(self) -> str:
        return f"/centres/{self.actor.centre_id}/users"

    def run(self, deadline: float, last_call: float) -> None:
        try:
            while not self.recorder.done(deadline, last_call):
                kind = self.rng.choices(self.kinds, self.weights)[0]
                getattr(self, f"_{kind}")(kind)
        except Exception as error:
            # An answer the client could not read stops it; that must count, not vanish.
            self.recorder.crashed(self.actor, error)

    def _request(
        self, kind: str, method: str, path: str, body: Any = None, key: str | None = None
    ) -> Reply:
        headers = {"Idempotency-Key": key} if key else None
        reply, seconds = _timed(
            self.api, method, path, body, token=self.actor.person.access_token, headers=headers
        )
        what = f"{kind} {method} {path}"
        self.recorder.answer(
            kind, reply, expected=_expected(kind, reply), what=what, seconds=seconds
        )
        return reply

    def _change(self, kind: str, method: str, path: str, body: Any = None) -> Reply:
        """A change with an Idempotency-Key; now and then sent again, as a lost answer would be."""
        key = uuid.uuid4().hex
        if self.rng.random() < DOUBLE_SEND_CHANCE:
            return self._sent_twice_at_once(kind, method, path, body, key)
        reply = self._request(kind, method, path, body, key)
        if reply.status != SUCCESS[kind]:
            return reply
        if self.rng.random() < REPLAY_CHANCE:
            again, seconds = _timed(
                self.api,
                method,
                path,
                body,
                token=self.actor.person.access_token,
                headers={"Idempotency-Key": key},
            )
            same = (again.status, again.body) == (reply.status, reply.body)
            what = f"replay of {kind} {method} {path}"
            self.recorder.answer("replay", again, expected=same, what=what, seconds=seconds)
        return reply

    def _sent_twice_at_once(self, kind: str, method: str, path: str, body: Any, key: str) -> Reply:
        """Both sends are told the one outcome, or one hears the other is still in progress."""
        answers: list[tuple[Reply, float]] = []
        headers = {"Idempotency-Key": key}

        def send() -> None:
            token = self.actor.person.access_token
            answers.append(_timed(self.api, method, path, body, token=token, headers=headers))

        twin = threading.Thread(target=send)
        twin.start()
        send()
        twin.join()
        done = [reply for reply, _ in answers if reply.error_code != IN_PROGRESS]
        agreed = len(done) == 1 or (
            len(done) == 2 and (done[0].status, done[0].body) == (done[1].status, done[1].body)
        )
        for reply, seconds in answers:
            expected = agreed and (reply.error_code == IN_PROGRESS or _expected(kind, reply))
            what = f"double send of {kind} {method} {path}"
            self.recorder.answer("double", reply, expected=expected, what=what, seconds=seconds)
        return done[0] if done else answers[0][0]

    def _target(self, *types: str) -> str | None:
        choices = [user_id for user_id, kind in self.known.items() if kind in types]
        return self.rng.choice(choices) if choices else None

    # --- reads ---------------------------------------------------------------------------

    def _list(self, kind: str) -> None:
        reply = self._request(kind, "GET", f"{self.centre_path}?limit=100")
        if reply.status == 200:
            self.known = {
                member["user_id"]: member["account_type"]
                for member in reply.body["users"]
                if member["user_id"] not in self.actor_ids
                and member["account_type"] != "exams_officer"
            }

    def _view(self, kind: str) -> None:
        target = self._target("admin", "user") or self.actor.person.user_id
        reply = self._request(kind, "GET", f"{self.centre_path}/{target}")
        if reply.status == 404:
            self.known.pop(target, None)

    def _view_self(self, kind: str) -> None:
        self._request(kind, "GET", f"{self.centre_path}/{self.actor.person.user_id}")

    def _me(self, kind: str) -> None:
        self._request(kind, "GET", "/me")

    def _services(self, kind: str) -> None:
        self._request(kind, "GET", "/me/services")

    # --- changes -------------------------------------------------------------------------

    def _invite(self, kind: str, account_type: str, permissions: list[str]) -> None:
        body = {
            "email": f"load.{uuid.uuid4().hex[:12]}@school-{self.actor.centre_id}.example",
            "first_name": "Lowri",
            "last_name": "Load",
            "language": self.rng.choice(("en", "cy")),
            "account_type": account_type,
            "permissions": permissions,
        }
        reply = self._change(kind, "POST", self.centre_path, body)
        if reply.status == SUCCESS[kind]:
            user_id = reply.body["user_id"]
            self.known[user_id] = account_type
            self.recorder.change(self.actor, kind, user_id)

    def _invite_user(self, kind: str) -> None:
        self._invite(kind, "user", self._some(USER_GRANTS))

    def _invite_admin(self, kind: str) -> None:
        self._invite(kind, "admin", self._some(ADMIN_GRANTS))

    def _some(self, grants: tuple[str, ...]) -> list[str]:
        return ["resources", *self.rng.sample(grants, self.rng.randint(0, len(grants)))]

    def _permissions(self, kind: str) -> None:
        target = self._target("admin", "user")
        if target is None:
            return self._list("list")
        grants = ADMIN_GRANTS if self.known[target] == "admin" else USER_GRANTS
        body = {"permissions": self._some(grants)}
        self._acted_on(
            kind,
            target,
            self._change(kind, "PUT", f"{self.centre_path}/{target}/permissions", body),
        )
        return None

    def _resend(self, kind: str) -> None:
        target = self._target("admin", "user")
        if target is None:
            return self._list("list")
        self._acted_on(
            kind, target, self._change(kind, "POST", f"{self.centre_path}/{target}/invite")
        )
        return None

    def _delete(self, kind: str) -> None:
        target = self._target("admin", "user")
        if target is None:
            return self._list("list")
        reply = self._change(kind, "DELETE", f"{self.centre_path}/{target}")
        self._acted_on(kind, target, reply)
        if reply.status in (204, 404):
            self.known.pop(target, None)
        return None

    def _acted_on(self, kind: str, target: str, reply: Reply) -> None:
        if reply.status == SUCCESS[kind]:
            self.recorder.change(self.actor, kind, target)
        elif reply.status == 404:
            self.known.pop(target, None)


# --- set-up --------------------------------------------------------------------------------


def _seats(clients: int, centre_ids: list[str]) -> dict[str, list[str]]:
    """The roles of each centre's clients, dealt round the centres in turn."""
    seats: dict[str, list[str]] = {centre_id: [] for centre_id in centre_ids}
    for index in range(clients):
        roles = seats[centre_ids[index % len(centre_ids)]]
        roles.append(SEATS[len(roles)] if len(roles) < len(SEATS) else "user")
    return seats


def _centre_with_clients(
    journeys: Journeys, board: Person, centre_id: str, roles: list[str]
) -> list[Actor]:
    """Board staff create the centre and its exams officer, who invites the other clients."""
    api = journeys.api
    domain = f"school-{centre_id}.example"
    body = {"centre_id": centre_id, "name": f"Load centre {centre_id}", "email_domains": [domain]}
    journeys.expect(api.call("POST", "/centres", body, token=board.access_token), 201, "centre")
    officer = Person(f"exams.officer@{domain}")
    invite = {"email": officer.email, "first_name": "Eira", "last_name": "Evans", "language": "en"}
    reply = api.call("PUT", f"/centres/{centre_id}/exams-officer", invite, token=board.access_token)
    officer.user_id = journeys.expect(reply, 201, "exams officer")["user_id"]
    actors = [Actor(journeys.first_sign_in_with_totp(officer), "exams_officer", centre_id)]
    for number, role in enumerate(roles[1:], start=1):
        person = Person(f"client{number}@{domain}")
        body = {
            "email": person.email,
            "first_name": "Cai",
            "last_name": "Client",
            "language": "en",
            "account_type": role,
            "permissions": ["resources", *(ADMIN_GRANTS if role == "admin" else ())],
        }
        reply = api.call(
            "POST", f"/centres/{centre_id}/users", body, token=actors[0].person.access_token
        )
        person.user_id = journeys.expect(reply, 201, "client invite")["user_id"]
        actors.append(Actor(journeys.first_sign_in_with_totp(person), role, centre_id))
    return actors


# --- reading the portal back ------------------------------------------------------------------


def _all_pages(api: Api, path: str, token: str, items: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = f"?limit=100&cursor={cursor}" if cursor else "?limit=100"
        reply = _call(api, "GET", path + query, token=token)
        if reply.status != 200:
            raise RuntimeError(f"GET {path}: {reply.status} {reply.body}")
        found += reply.body[items]
        cursor = reply.body["next_cursor"]
        if not cursor:
            return found


def _event_key(event: dict[str, Any]) -> tuple[str, ...]:
    details = repr(sorted(event["details"].items()))
    return (event["at"], event["actor"], event["action"], event["target"] or "", details)


@dataclass
class CentreState:
    members: list[dict[str, Any]]
    events: list[dict[str, Any]]
    counts: dict[str, int]

    @classmethod
    def read(cls, api: Api, centre_id: str, officer: Person, board: Person) -> CentreState:
        members = _all_pages(api, f"/centres/{centre_id}/users", officer.access_token, "users")
        events = _all_pages(api, f"/centres/{centre_id}/audit", board.access_token, "events")
        reply = _call(api, "GET", f"/centres/{centre_id}", token=board.access_token)
        if reply.status != 200:
            raise RuntimeError(f"GET /centres/{centre_id}: {reply.status} {reply.body}")
        return cls(members, events, dict(reply.body["member_counts"]))

    def types(self) -> Counter[str]:
        return Counter(member["account_type"] for member in self.members)


# --- the checks ---------------------------------------------------------------------------------


class Checks:
    """Compares what the clients saw with what the portal holds, centre by centre."""

    def __init__(
        self,
        api: Api,
        before: dict[str, CentreState],
        after: dict[str, CentreState],
        changes: list[Change],
        officers: dict[str, Person],
        *,
        history: list[str] | None = None,
    ) -> None:
        self.api = api
        self.before = before
        self.after = after
        self.changes = changes
        self.officers = officers
        self.history = history or []

    def explain(self, target: str) -> str:
        """What the clients did to this member, in order."""
        return "[" + "; ".join(line for line in self.history if target in line) + "]"

    def all(self, moto_url: str | None) -> list[Check]:
        checks: list[Callable[[], Check]] = [
            self.seats,
            self.counters,
            self.audit,
            self.membership,
            self.every_member_opens,
            self.permissions_follow_audit,
        ]
        found = [check() for check in checks]
        if moto_url:
            found.append(identities_match(moto_url))
        return found

    def _per_centre(self, name: str, problems: Iterator[str], passed_detail: str) -> Check:
        found = list(problems)
        return Check(name, not found, "; ".join(found[:5]) if found else passed_detail)

    def seats(self) -> Check:
        def problems() -> Iterator[str]:
            for centre_id, state in self.after.items():
                types = state.types()
                if types["exams_officer"] != 1 or types["admin"] > MAX_ADMINS:
                    yield f"{centre_id}: {dict(types)}"

        admins = [state.types()["admin"] for state in self.after.values()]
        return self._per_centre(
            "one exams officer and at most 3 admins per centre",
            problems(),
            f"admins per centre at the end: {admins}",
        )

    def counters(self) -> Check:
        def problems() -> Iterator[str]:
            for centre_id, state in self.after.items():
                listed = {kind: state.types()[kind] for kind in ("exams_officer", "admin", "user")}
                if listed != state.counts:
                    yield f"{centre_id}: counters {state.counts}, listed {listed}"

        return self._per_centre(
            "centre counters equal the members listed", problems(), "all centres"
        )

    def audit(self) -> Check:
        seen = Counter(self.changes)
        audited: Counter[Change] = Counter()
        for centre_id, state in self.after.items():
            earlier = Counter(_event_key(event) for event in self.before[centre_id].events)
            for event in state.events:
                key = _event_key(event)
                if earlier[key]:
                    earlier[key] -= 1
                else:
                    audited[
                        (centre_id, event["action"], event["target"] or "", event["actor"])
                    ] += 1
        missing, extra = seen - audited, audited - seen
        by_action = Counter(change[1] for change in seen.elements())
        problems = [
            f"not audited: {change} {self.explain(change[2])}" for change in missing.elements()
        ]
        problems += [
            f"audited but not seen: {event} {self.explain(event[2])}" for event in extra.elements()
        ]
        return Check(
            "one audit event per successful change, naming who made it",
            not problems,
            "; ".join(problems[:5]) if problems else f"events by action: {_counts(by_action)}",
        )

    def membership(self) -> Check:
        invited = {(c, target) for c, action, target, _ in self.changes if action == "invite"}
        deleted = {(c, target) for c, action, target, _ in self.changes if action == "delete"}

        def problems() -> Iterator[str]:
            for centre_id, state in self.after.items():
                expected = {m["user_id"] for m in self.before[centre_id].members}
                expected |= {target for c, target in invited if c == centre_id}
                expected -= {target for c, target in deleted if c == centre_id}
                listed = {member["user_id"] for member in state.members}
                if listed != expected:
                    yield (
                        f"{centre_id}: {len(listed - expected)} listed but not expected, "
                        f"{len(expected - listed)} expected but not listed"
                    )

        members = sum(len(state.members) for state in self.after.values())
        return self._per_centre(
            "members listed = before + invited - deleted",
            problems(),
            f"{members} members in all at the end",
        )

    def every_member_opens(self) -> Check:
        def problems() -> Iterator[str]:
            for centre_id, state in self.after.items():
                token = self.officers[centre_id].access_token
                for member in state.members:
                    path = f"/centres/{centre_id}/users/{member['user_id']}"
                    reply = _call(self.api, "GET", path, token=token)
                    if reply.status != 200 or reply.body != member:
                        yield f"{path}: {reply.status}"

        return self._per_centre(
            "every member listed opens, as listed", problems(), "all members opened"
        )

    def permissions_follow_audit(self) -> Check:
        def problems() -> Iterator[str]:
            for centre_id, state in self.after.items():
                latest: dict[str, list[str]] = {}
                for event in state.events:  # newest first
                    target = event["target"]
                    if target in latest or event["action"] not in ("invite", "set_permissions"):
                        continue
                    details = event["details"]
                    latest[target] = details.get("after", details.get("permissions"))
                for member in state.members:
                    if member["account_type"] == "exams_officer":
                        continue
                    if latest.get(member["user_id"]) != member["permissions"]:
                        yield f"{centre_id}/{member['user_id']}: {member['permissions']}"

        return self._per_centre(
            "each member holds the permissions of their last audited change",
            problems(),
            "all members",
        )


def identities_match(moto_url: str) -> Check:
    """Cognito's users, the member records and the email guards name the same people."""
    options: dict[str, Any] = {
        "endpoint_url": moto_url,
        "region_name": "eu-west-2",
        "aws_access_key_id": "inspect",
        "aws_secret_access_key": "inspect",
    }
    cognito = boto3.client("cognito-idp", **options)
    pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
    users: set[str] = set()
    for pool in pools:
        for page in cognito.get_paginator("list_users").paginate(UserPoolId=pool["Id"]):
            for user in page["Users"]:
                attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
                users.add(attributes["sub"])
    members: set[str] = set()
    guards: list[str] = []
    dynamodb = boto3.client("dynamodb", **options)
    for page in dynamodb.get_paginator("scan").paginate(TableName=TABLE_NAME):
        for item in page["Items"]:
            if item["sk"]["S"] == "MEMBER":
                members.add(item["user_id"]["S"])
            elif item["sk"]["S"] == "EMAIL":
                guards.append(item.get("user_id", {}).get("S", "(no owner)"))
    problems = []
    if users != members:
        problems.append(
            f"{len(users - members)} Cognito users without a record, "
            f"{len(members - users)} records without a Cognito user"
        )
    if sorted(guards) != sorted(members):
        problems.append(f"{len(guards)} email guards for {len(members)} members")
    return Check(
        "Cognito users = member records = email guards",
        not problems,
        "; ".join(problems) if problems else f"{len(users)} users in {len(pools)} pool(s)",
    )


# --- the run ------------------------------------------------------------------------------------


def run_load(
    base_url: str,
    clients: int = 20,
    seconds: float = 30.0,
    centres: int = 4,
    *,
    first_centre: int = FIRST_CENTRE,
    board: Person | None = None,
    moto_url: str | None = None,
    seed: int = 1,
) -> LoadReport:
    """Set up the centres and clients, run the mix for `seconds`, then check the portal.

    `board` is a signed-in board staff member; without one, the seeded board staff member of a
    fresh local run signs in for the first time from the invite email.
    """
    started = time.monotonic()
    api = Api(base_url)
    journeys = Journeys(api, MailReader(f"{base_url.rstrip('/')}/_local/outbox"))
    board = board or journeys.first_sign_in_with_totp(Person(BOARD_EMAIL))
    centre_ids = [str(first_centre + index) for index in range(centres)]
    seats = _seats(clients, centre_ids)
    with ThreadPoolExecutor(max_workers=centres) as pool:
        teams = list(
            pool.map(lambda c: _centre_with_clients(journeys, board, c, seats[c]), centre_ids)
        )
    actors = [actor for team in teams for actor in team]
    officers = {team[0].centre_id: team[0].person for team in teams}
    before = {c: CentreState.read(api, c, officers[c], board) for c in centre_ids}

    report = LoadReport(clients, centre_ids, setup_seconds=time.monotonic() - started)
    recorder = Recorder(report)
    actor_ids = frozenset(actor.person.user_id for actor in actors)
    workers = [
        Client(api, actor, actor_ids, recorder, seed * 1000 + index)
        for index, actor in enumerate(actors)
    ]
    began = recorder.began = time.monotonic()
    deadline, last_call = began + seconds, began + seconds * OVERTIME_FACTOR
    threads = [
        threading.Thread(target=worker.run, args=(deadline, last_call)) for worker in workers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report.seconds = time.monotonic() - began

    after = {c: CentreState.read(api, c, officers[c], board) for c in centre_ids}
    checks = Checks(api, before, after, recorder.changes, officers, history=recorder.history)
    report.checks = checks.all(moto_url)
    return report
