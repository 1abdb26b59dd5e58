"""A client of the portal over HTTP only, as the web front end or a script would be."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pyotp
import pytest

from tests.support.events import Reply

PASSWORD = "correct horse battery staple"


class Api:
    """JSON over HTTP to a base URL: the local run by default, or a deployed stage."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        data = None if body is None else json.dumps(body).encode()
        all_headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(  # noqa: S310 - the portal's own URL
            self.base_url + path, data=data, method=method, headers=all_headers | (headers or {})
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our URL
                raw, status, got = response.read(), response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            raw, status, got = error.read(), error.code, dict(error.headers)
        text = raw.decode() if raw else ""
        parsed: Any = None
        if text:
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = text
        return Reply(status, parsed, got)


class MailReader:
    """Reads what the portal sent from the outbox (GET /_local/outbox on the local run)."""

    def __init__(self, outbox_url: str) -> None:
        self.outbox_url = outbox_url

    def messages(self, to: str) -> list[dict[str, Any]]:
        request = urllib.request.Request(  # noqa: S310 - the portal's own URL
            f"{self.outbox_url}?{urlencode({'to': to})}", headers={"Accept": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our URL
            return list(json.loads(response.read())["messages"])

    def count(self, to: str) -> int:
        return len(self.messages(to))

    def newest(self, to: str, pattern: str, after: int = 0, part: str = "text") -> str:
        """The first group of `pattern` in the newest message to `to` beyond the first `after`."""
        deadline = time.monotonic() + 5
        while True:
            messages = self.messages(to)
            if len(messages) > after:
                found = re.search(pattern, messages[0][part] or "", flags=re.DOTALL)
                if found:
                    return found.group(1)
            if time.monotonic() > deadline:
                raise AssertionError(f"no new message to {to} matching {pattern!r}")
            time.sleep(0.05)

    def temporary_password(self, to: str, after: int = 0) -> str:
        """Read from the HTML part, where the password stands verbatim inside <strong>.

        The plain-text part is derived from the HTML by stripping tags, so a password holding
        `<` or `>` (Cognito's symbol set has both) comes out of it mangled.
        """
        label = r"(?:Temporary password|Cyfrinair dros dro): <strong[^>]*>(.*?)</strong>"
        return self.newest(to, label, after, part="html")

    def code(self, to: str, after: int = 0) -> str:
        return self.newest(to, r"\b(\d{6})\b", after)


@dataclass
class Person:
    """Someone with an account: what they know and hold, as they would."""

    email: str
    password: str = ""
    totp_secret: str | None = None
    phone: str | None = None
    access_token: str = ""
    user_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def require_implemented(reply: Reply, route: str) -> Reply:
    """Skip, naming the route, when the portal answers that the route has not landed yet."""
    if reply.status == 501 and reply.error_code == "not_implemented":
        pytest.skip(f"{route} answers 501 not_implemented: its issue has not landed yet")
    return reply


class Journeys:
    """The steps of the portal user guide, each as a client performs it."""

    def __init__(self, api: Api, mail: MailReader) -> None:
        self.api = api
        self.mail = mail

    def expect(self, reply: Reply, status: int, route: str) -> Any:
        require_implemented(reply, route)
        assert reply.status == status, f"{route}: {reply.status} {reply.body}"
        return reply.body

    def first_sign_in_with_totp(self, person: Person) -> Person:
        """From the invite email: new password, then an authenticator app."""
        step = self._start_first_sign_in(person)
        assert step["challenge"] == "mfa_setup", step
        assert set(step["mfa_options"]) >= {"totp", "sms", "email"}
        setup = self.expect(
            self.api.call(
                "POST",
                "/auth/mfa-setup/totp",
                {"email": person.email, "session": step["session"]},
            ),
            200,
            "POST /auth/mfa-setup/totp",
        )
        assert setup["challenge"] == "totp_setup"
        assert setup["otpauth_uri"].startswith("otpauth://totp/")
        person.totp_secret = setup["secret"]
        done = self.answer(person, setup["session"], "totp_setup", self.totp(person))
        return self._signed_in(person, done)

    def first_sign_in_with_sms(self, person: Person, phone: str) -> Person:
        """From the invite email: new password, then codes by text message."""
        step = self._start_first_sign_in(person)
        sent = self.mail.count(phone)
        challenge = self.expect(
            self.api.call(
                "POST",
                "/auth/mfa-setup/sms",
                {"email": person.email, "session": step["session"], "phone": phone},
            ),
            200,
            "POST /auth/mfa-setup/sms",
        )
        assert challenge["challenge"] == "sms"
        person.phone = phone
        code = self.mail.code(phone, after=sent)
        done = self.answer(person, challenge["session"], "sms", code)
        return self._signed_in(person, done)

    def sign_in(self, person: Person) -> Person:
        """A returning member: password, then the MFA challenge of their preferred method."""
        sent = self.mail.count(person.phone) if person.phone else 0
        step = self.expect(
            self.api.call(
                "POST", "/auth/sign-in", {"email": person.email, "password": person.password}
            ),
            200,
            "POST /auth/sign-in",
        )
        assert step["status"] == "challenge", step
        if step["challenge"] == "totp":
            code = self.totp(person)
        else:
            assert step["challenge"] == "sms", step
            code = self.mail.code(str(person.phone), after=sent)
        return self._signed_in(
            person, self.answer(person, step["session"], step["challenge"], code)
        )

    def answer(self, person: Person, session: str, challenge: str, code: str) -> dict[str, Any]:
        body = {"email": person.email, "session": session, "challenge": challenge, "code": code}
        reply: dict[str, Any] = self.expect(
            self.api.call("POST", "/auth/mfa", body), 200, "POST /auth/mfa"
        )
        return reply

    @staticmethod
    def totp(person: Person) -> str:
        assert person.totp_secret
        return pyotp.TOTP(person.totp_secret).now()

    def _start_first_sign_in(self, person: Person) -> dict[str, Any]:
        temporary = self.mail.temporary_password(person.email)
        step = self.expect(
            self.api.call("POST", "/auth/sign-in", {"email": person.email, "password": temporary}),
            200,
            "POST /auth/sign-in",
        )
        assert step["challenge"] == "new_password_required", step
        person.password = PASSWORD
        step = self.expect(
            self.api.call(
                "POST",
                "/auth/new-password",
                {"email": person.email, "session": step["session"], "new_password": PASSWORD},
            ),
            200,
            "POST /auth/new-password",
        )
        assert step["challenge"] == "mfa_setup", step
        result: dict[str, Any] = step
        return result

    @staticmethod
    def _signed_in(person: Person, step: dict[str, Any]) -> Person:
        assert step["status"] == "signed_in", step
        person.access_token = step["tokens"]["access_token"]
        return person
