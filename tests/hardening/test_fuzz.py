"""Fuzzing every operation of the OpenAPI document with schemathesis, against the local run.

Schemathesis reads `/openapi.json` from the hardening suite's local run and sends requests built
from it (schema-valid and schema-invalid ones) to every operation, with all of its default
checks: no 5xx, and every status, content type, header and body as the document declares.

Two callers, each in a centre of their own so nothing here touches the matrix's actors: the
centre's exams officer and a user it invited. Some operations act on the caller's own sign-in
(sign-out, password and MFA changes); after any of them the caller is signed in again when the
token no longer works, and their preferred method set back to the authenticator app, so every
operation is fuzzed with a token that works.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from _pytest.junitxml import xml_key as junit_xml_key
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance, unsupported_method

from tests.e2e.client import Journeys, Person
from tests.hardening.conftest import World

FUZZ_CENTRE = "71901"
# Examples per operation and caller in the fuzzing phase, on top of the examples and coverage
# phases (which derive their cases from the document, about 30 per operation): 46 operations
# x 2 callers, about 3,400 requests, a few minutes on two cores.
MAX_EXAMPLES = 5
# Operations that change the caller's own sign-in: probe the token after each of them.
SELF_CHANGING = {"POST /auth/sign-out", "POST /me/password", "PUT /me/mfa"}

# Every default check but one. `unsupported_method` wants 405 for a method the document does
# not list on a path it does. The deployed API cannot give one: API Gateway answers a method a
# resource lacks as MISSING_AUTHENTICATION_TOKEN, which infra/api.py maps to the contract's
# 404 not_found, and the local gateway answers the same 404 so clients see one behaviour.
EXCLUDED_CHECKS = [unsupported_method, positive_data_acceptance]
# `positive_data_acceptance` is kept, narrowed: a schema-valid request may still be refused by
# a rule the document cannot carry, with the contract's code for it. A reset or verification
# code that is wrong, a password under ten characters (the handler names it password_too_short,
# so the model cannot refuse it first), `email` in PATCH /me (email_immutable), an address of
# the wrong domain or a personal one, a profile phone that is not a real number (invalid_phone);
# and a validation_error for a phone number that is not a real number (numbering plans, not a
# pattern), a cursor the portal did not issue, or text whose length falls short once the spaces
# around it are trimmed (see _trimmed).
RULE_CODES = {
    "invalid_code",
    "password_too_short",
    "email_immutable",
    "email_domain_not_allowed",
    "personal_email_not_allowed",
    "invalid_phone",
}
RULE_FIELDS = ("phone", "cursor")


def _trimmed(case: Any, named: str) -> bool:
    """Whether the named body field (`email_domains.1`) was sent with spaces around it.

    The portal trims text before checking its length, which a JSON schema cannot say: " " meets
    minLength 1 as sent, and is empty once trimmed.
    """
    value = case.body
    for part in named.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return False
    return isinstance(value, str) and value != value.strip()


def accepted_unless_a_rule_refuses(ctx: Any, response: Any, case: Any) -> bool | None:
    """positive_data_acceptance, letting through the contract's refusals listed above."""
    if response.status_code in (400, 422):
        try:
            error = response.json().get("error", {})
        except ValueError:
            error = {}
        code, message = error.get("code"), str(error.get("message", ""))
        if code in RULE_CODES:
            return None
        # The message ends with the field's name, in either language (the fuzzer may have set
        # the caller's language to Welsh through PATCH /me).
        named = message.rstrip(".").split(" ")[-1]
        if code == "validation_error" and (named in RULE_FIELDS or _trimmed(case, named)):
            return None
    result: bool | None = positive_data_acceptance(ctx, response, case)
    return result


officer_schema = schemathesis.pytest.from_fixture("officer_fuzz_schema")
user_schema = schemathesis.pytest.from_fixture("user_fuzz_schema")


@dataclass
class Caller:
    """A signed-in person the fuzzer acts as, kept signed in whatever the fuzzer does."""

    role: str
    person: Person
    journeys: Journeys
    requests: Counter[str] = field(default_factory=Counter)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.person.access_token}"}

    def keep_signed_in(self) -> None:
        """Make the authenticator app preferred again, signing in first if the token is revoked."""
        api, body = self.journeys.api, {"method": "totp"}
        reply = api.call("PUT", "/me/mfa", body, token=self.person.access_token)
        if reply.status == 401:
            self.sign_in()
            reply = api.call("PUT", "/me/mfa", body, token=self.person.access_token)
        assert reply.status == 204, reply

    def sign_in(self) -> None:
        """Password, then whichever challenge the portal asks for (email if the fuzzer chose it)."""
        mail, api, person = self.journeys.mail, self.journeys.api, self.person
        sent = mail.count(person.email)
        step = self.journeys.expect(
            api.call("POST", "/auth/sign-in", {"email": person.email, "password": person.password}),
            200,
            "POST /auth/sign-in",
        )
        challenge = step["challenge"]
        code = (
            self.journeys.totp(person)
            if challenge == "totp"
            else mail.code(person.email, after=sent)
        )
        done = self.journeys.answer(person, step["session"], challenge, code)
        person.access_token = done["tokens"]["access_token"]


def _invite_user(world: World, officer: Person) -> Person:
    person = Person(f"fuzz.user@school-{FUZZ_CENTRE}.example")
    body = {
        "email": person.email,
        "first_name": "Fflur",
        "last_name": "Fuzz",
        "language": "en",
        "account_type": "user",
        "permissions": ["resources", "iamis"],
    }
    reply = world.api.call(
        "POST", f"/centres/{FUZZ_CENTRE}/users", body, token=officer.access_token
    )
    person.user_id = world.journeys.expect(reply, 201, "POST /centres/{centre_id}/users")["user_id"]
    return world.journeys.first_sign_in_with_totp(person)


@pytest.fixture(scope="module")
def fuzz_callers(world: World) -> dict[str, Caller]:
    officer = world.centre_with_officer(FUZZ_CENTRE)
    user = _invite_user(world, officer)
    return {
        "exams_officer": Caller("exams_officer", officer, world.journeys),
        "user": Caller("user", user, world.journeys),
    }


def _schema(portal_url: str) -> Any:
    config = schemathesis.Config.from_dict({"generation": {"max-examples": MAX_EXAMPLES}})
    return schemathesis.openapi.from_url(f"{portal_url}/openapi.json", config=config)


@pytest.fixture(scope="module")
def officer_fuzz_schema(portal_url: str) -> Any:
    return _schema(portal_url)


@pytest.fixture(scope="module")
def user_fuzz_schema(portal_url: str) -> Any:
    return _schema(portal_url)


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    # schemathesis 4.32.5's lazy loader reads and rewrites `node._nodeid`, which pytest 9 no
    # longer has; give it one so each operation's subtest is reported under its own name.
    request.node._nodeid = request.node.nodeid


@pytest.fixture(scope="module", autouse=True)
def request_count_report(
    fuzz_callers: dict[str, Caller], request: pytest.FixtureRequest
) -> Iterator[None]:
    """The number of generated requests per caller, in the terminal summary and the junit XML."""
    started = time.monotonic()
    yield
    seconds = time.monotonic() - started
    counts = {caller.role: sum(caller.requests.values()) for caller in fuzz_callers.values()}
    operations = max(len(caller.requests) for caller in fuzz_callers.values())
    line = (
        f"schemathesis: {sum(counts.values())} generated requests over {operations} operations "
        f"({', '.join(f'{role} {count}' for role, count in counts.items())}) in {seconds:.0f} s"
    )
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        # Teardown output is captured and shown only on failure; this figure is for every run.
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\n{line}")
    xml = request.config.stash.get(junit_xml_key, None)
    if xml is not None:
        for role, count in counts.items():
            xml.add_global_property(f"fuzz_requests_{role}", str(count))


def _fuzz(case: Any, caller: Caller) -> None:
    operation = case.operation.label
    caller.requests[operation] += 1
    try:
        case.call_and_validate(
            headers=caller.headers,
            excluded_checks=EXCLUDED_CHECKS,
            additional_checks=[accepted_unless_a_rule_refuses],
        )
    finally:
        if operation in SELF_CHANGING:
            caller.keep_signed_in()


# No deadline and no health checks: on a shared two-core machine the time a request takes
# measures the machine, not the portal, and the callers are fixtures Hypothesis cannot see
# reset between examples (keep_signed_in does that). Derandomized: the same requests on every
# run, so `make test` cannot pass on one run and fail on the next; a finding is reproducible.
FUZZ_SETTINGS = settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@officer_schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_as_exams_officer(case: Any, fuzz_callers: dict[str, Caller]) -> None:
    _fuzz(case, fuzz_callers["exams_officer"])


@user_schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_as_user(case: Any, fuzz_callers: dict[str, Caller]) -> None:
    _fuzz(case, fuzz_callers["user"])
