"""No password, code, session, secret or token reaches the logs over whole sign-in journeys."""

from __future__ import annotations

import re
from typing import Any

from local.cognito import Outbox
from shared.domain.members import Member
from tests.functional.conftest import CapturedLogs
from tests.support.events import call
from tests.support.portal import Portal, claims
from tests.support.signin import (
    NEW_PASSWORD,
    PHONE,
    PHONE_E164,
    invite,
    post,
    to_mfa_setup,
    totp_code,
)


def secrets_in(body: Any) -> list[str]:
    """Every session, secret and token string in a reply body."""
    if not isinstance(body, dict):
        return []
    found = [str(body[key]) for key in ("session", "secret") if key in body]
    found += [str(value) for key, value in body.get("tokens", {}).items() if key != "expires_in"]
    return found


def test_a_full_journey_leaves_no_secret_in_the_logs(
    portal: Portal,
    exams_officer: Member,
    centre: str,
    outbox: Outbox,
    captured_logs: CapturedLogs,
) -> None:
    secrets: list[str] = [NEW_PASSWORD]
    codes: list[str] = []

    def step(path: str, **body: Any) -> dict[str, Any]:
        reply = post(path, **body)
        secrets.extend(secrets_in(reply.body))
        return dict(reply.body or {})

    # Given a member who signs in for the first time with an authenticator, mistyping once
    email, temporary = invite(exams_officer, centre, outbox)
    secrets.append(temporary)
    first = step("/auth/sign-in", email=email, password=temporary)
    setup = step(
        "/auth/new-password", email=email, session=first["session"], new_password=NEW_PASSWORD
    )
    totp = step("/auth/mfa-setup/totp", email=email, session=setup["session"])
    step("/auth/mfa", email=email, session=totp["session"], challenge="totp_setup", code="999999")
    codes.append(totp_code(totp["secret"]))
    signed_in = step(
        "/auth/mfa", email=email, session=totp["session"], challenge="totp_setup", code=codes[-1]
    )
    # And who refreshes, forgets their password, resets it and signs out
    tokens = signed_in["tokens"]
    step("/auth/refresh", refresh_token=tokens["refresh_token"])
    step("/auth/sign-in", email=email, password=f"{NEW_PASSWORD}x")
    step("/auth/forgot-password", email=email)
    codes.append(outbox.latest_code(email))
    secrets.append("reset passphrase 1")
    step("/auth/reset-password", email=email, code=codes[-1], new_password=secrets[-1])
    member = portal.store.member_by_email(email)
    assert member is not None
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    call("POST", "/auth/sign-out", claims=claims(member), headers=headers)

    # And a second member who sets up SMS codes
    other, other_temporary = invite(exams_officer, centre, outbox)
    secrets.append(other_temporary)
    session = to_mfa_setup(other, other_temporary)
    secrets.append(session)
    sms = step("/auth/mfa-setup/sms", email=other, session=session, phone=PHONE)
    codes.append(outbox.latest_code(PHONE_E164))
    done = step("/auth/mfa", email=other, session=sms["session"], challenge="sms", code=codes[-1])
    assert done["status"] == "signed_in"

    # Then none of the passwords, sessions, secrets, tokens or codes appears in any log line
    logs = captured_logs.text()
    assert '"message":"signed in"' in logs
    leaked = [secret for secret in secrets if secret and secret in logs]
    leaked += [code for code in codes if re.search(rf"(?<![0-9A-Za-z]){code}(?![0-9A-Za-z])", logs)]
    assert leaked == []
