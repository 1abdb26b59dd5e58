"""Input limits and headers over HTTP, against the same local run as the matrix.

Whatever a client sends, the portal answers with a 4xx it can explain and never a 5xx:
oversized and deeply nested bodies, the wrong content type, markup and control characters in
names. Unicode names are kept intact, and answers carrying tokens or secrets are never cached.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.e2e.client import PASSWORD, Person, Reply
from tests.hardening.conftest import CENTRE_A, World


def _raw(
    world: World, method: str, path: str, data: bytes, content_type: str, token: str = ""
) -> Reply:
    """Send bytes as they are: bodies json.dumps could not or would not produce."""
    headers = {"Accept": "application/json", "Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(  # noqa: S310 - the local run's own URL
        world.api.base_url + path, data=data, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local run
            raw, status, got = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        raw, status, got = error.read(), error.code, dict(error.headers)
    body: Any = json.loads(raw) if raw.startswith(b"{") else raw.decode(errors="replace")
    return Reply(status, body, got)


@pytest.fixture(scope="module")
def member(world: World) -> Person:
    """A user of centre A of their own, so profile changes here touch nobody else."""
    return world.signed_in_member(CENTRE_A)


def test_a_body_over_one_megabyte_is_refused_with_413(world: World, member: Person) -> None:
    # Given a body just over 1 MB
    data = json.dumps({"job_role": "x" * (1024 * 1024 + 10)}).encode()
    # When it is sent to a public and to an authenticated route
    public = _raw(world, "POST", "/auth/sign-in", data, "application/json")
    private = _raw(world, "PATCH", "/me", data, "application/json", member.access_token)
    # Then both are refused as too large
    assert public.status == 413, public
    assert private.status == 413, private


@pytest.mark.parametrize(
    "depth",
    [100, 900, 1000, 5000],
)
def test_deeply_nested_json_is_a_400(world: World, member: Person, depth: int) -> None:
    # Given JSON nested thousands of levels deep (still far under the size limit)
    data = ("[" * depth + "]" * depth).encode()
    nested_object = ('{"a":' * depth + "1" + "}" * depth).encode()
    # When it is sent as a body
    replies = [
        _raw(world, "POST", "/auth/sign-in", data, "application/json"),
        _raw(world, "POST", "/auth/sign-in", nested_object, "application/json"),
        _raw(world, "PATCH", "/me", nested_object, "application/json", member.access_token),
    ]
    # Then each is a validation error, not a server error
    for reply in replies:
        assert reply.status == 400, reply


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
    ],
)
def test_a_body_of_the_wrong_content_type_is_refused(
    world: World, member: Person, content_type: str
) -> None:
    # Given a body that is not JSON, declared as such
    data = b"email=a@b.example&password=x"
    # When it is sent
    public = _raw(world, "POST", "/auth/sign-in", data, content_type)
    private = _raw(world, "PATCH", "/me", data, content_type, member.access_token)
    # Then it is refused as a client error (400 or 415), never a 5xx
    assert public.status in {400, 415}, public
    assert private.status in {400, 415}, private


def test_a_non_utf8_body_is_a_400(world: World, member: Person) -> None:
    # Given bytes that are not UTF-8, declared as JSON
    data = b'{"job_role": "\xff\xfe"}'
    # When they are sent
    reply = _raw(world, "PATCH", "/me", data, "application/json", member.access_token)
    # Then they are refused, not a 5xx
    assert reply.status == 400, reply


@pytest.mark.parametrize(
    "name",
    ["Gwenllïan", "Siôn Ŵyn", "Ó Súilleabháin", "Zoë-Chloé", "李小龍", "Åsa 🙂", "O'Brien"],
)
def test_unicode_names_are_accepted_and_returned_intact(
    world: World, member: Person, name: str
) -> None:
    # Given a name outside ASCII (Welsh, Irish, CJK, emoji, apostrophe)
    # When the member changes their first name to it and reads their profile back
    changed = world.api.call("PATCH", "/me", {"first_name": name}, token=member.access_token)
    read = world.api.call("GET", "/me", token=member.access_token)
    # Then it is accepted and comes back exactly as sent
    assert changed.status == 200, changed
    assert changed.body["first_name"] == name
    assert read.body["first_name"] == name


def test_an_invite_keeps_a_unicode_name(world: World) -> None:
    # Given an invitation to a member with a Welsh name
    body = {
        "email": "gwenllian.unicode@school-71001.example",
        "first_name": "Gwenllïan",
        "last_name": "Ŵyn",
        "language": "cy",
        "account_type": "user",
        "permissions": ["resources"],
    }
    # When the exams officer sends it and reads the member back
    reply = world.api.call(
        "POST", f"/centres/{CENTRE_A}/users", body, token=world.officer.access_token
    )
    assert reply.status == 201, reply
    read = world.api.call(
        "GET",
        f"/centres/{CENTRE_A}/users/{reply.body['user_id']}",
        token=world.officer.access_token,
    )
    # Then the names are intact
    assert (read.body["first_name"], read.body["surname"]) == ("Gwenllïan", "Ŵyn")


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "Jane\r\nSet-Cookie: session=stolen",
        "Jane\nBcc: everyone@example.org",
        "Jane\rX",
        "Jane\x00",
        "Jane\x1b[31m",
    ],
)
def test_markup_and_control_characters_in_names_are_refused(
    world: World, member: Person, name: str
) -> None:
    # Given a name carrying markup or a header-injection attempt (CR/LF, NUL, escape)
    # When it is set on the member's profile and on an invitation
    profile = world.api.call("PATCH", "/me", {"surname": name}, token=member.access_token)
    invite = world.api.call(
        "POST",
        f"/centres/{CENTRE_A}/users",
        {
            "email": "refused.name@school-71001.example",
            "first_name": name,
            "last_name": "Jones",
            "language": "en",
            "account_type": "user",
            "permissions": ["resources"],
        },
        token=world.officer.access_token,
    )
    # Then both are refused as validation errors, and nothing was stored
    assert profile.status == 400 and profile.error_code == "validation_error", profile
    assert invite.status == 400 and invite.error_code == "validation_error", invite
    assert world.api.call("GET", "/me", token=member.access_token).body["surname"] != name


@pytest.mark.parametrize(
    "value", ["Robert'); DROP TABLE members;--", "1' OR '1'='1", '" OR ""="', "${jndi:x}"]
)
def test_sql_like_text_is_plain_text(world: World, member: Person, value: str) -> None:
    # Given text that would matter to a SQL database or a template engine
    # When it is stored as a job role
    reply = world.api.call("PATCH", "/me", {"job_role": value}, token=member.access_token)
    # Then it is stored and returned as plain text (or refused), never a server error
    assert reply.status in {200, 400}, reply
    if reply.status == 200:
        assert world.api.call("GET", "/me", token=member.access_token).body["job_role"] == value


@pytest.mark.parametrize(
    "path",
    ["/centres/7100'1/users", "/centres/%3Cscript%3E", "/reports/grade-boundaries/..%2F..%2Fx"],
)
def test_hostile_path_parameters_are_client_errors(world: World, member: Person, path: str) -> None:
    # Given path parameters that are not ids
    # When a member calls them
    reply = world.api.call("GET", path, token=member.access_token)
    # Then the answer is a client error
    assert 400 <= reply.status < 500, reply


def test_every_answer_carrying_tokens_or_secrets_is_not_cached(world: World) -> None:
    # Given a newly invited member
    person = world.invite(CENTRE_A)
    temporary = world.journeys.mail.temporary_password(person.email)
    api = world.api
    # When they sign in for the first time, step by step, and set up a new authenticator
    first = api.call("POST", "/auth/sign-in", {"email": person.email, "password": temporary})
    changed = api.call(
        "POST",
        "/auth/new-password",
        {"email": person.email, "session": first.body["session"], "new_password": PASSWORD},
    )
    setup = api.call(
        "POST", "/auth/mfa-setup/totp", {"email": person.email, "session": changed.body["session"]}
    )
    person.totp_secret = setup.body["secret"]
    done = api.call(
        "POST",
        "/auth/mfa",
        {
            "email": person.email,
            "session": setup.body["session"],
            "challenge": "totp_setup",
            "code": world.journeys.totp(person),
        },
    )
    assert done.body["status"] == "signed_in", done
    tokens = done.body["tokens"]
    refreshed = api.call("POST", "/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    new_secret = api.call("POST", "/me/mfa/totp", {}, token=tokens["access_token"])
    # Then every answer carrying a session, a token or a secret says Cache-Control: no-store
    for reply in (first, changed, setup, done, refreshed, new_secret):
        assert reply.status == 200, reply
        assert "no-store" in reply.headers.get("Cache-Control", ""), reply.headers
