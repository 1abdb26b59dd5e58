"""Steps of the sign-in journey through the real handlers, for the functional tests."""

from __future__ import annotations

import uuid
from typing import Any

import pyotp

from local.cognito import Outbox
from local.cognito import clock as layer_clock
from shared.domain.members import Member
from tests.support.events import Reply, call
from tests.support.portal import DOMAIN, claims

NEW_PASSWORD = "a long new passphrase"
PHONE, PHONE_E164 = "07911 123456", "+447911123456"


def post(path: str, **body: Any) -> Reply:
    return call("POST", path, body=body)


def totp_code(secret: str) -> str:
    """The authenticator's code now, by the layer's clock (which tests may freeze)."""
    return str(pyotp.TOTP(secret).at(layer_clock.now()))


def invite(inviter: Member, centre: str, outbox: Outbox) -> tuple[str, str]:
    """A new user invited by `inviter`: their email and the temporary password from the outbox."""
    email = f"nia.{uuid.uuid4().hex[:8]}@{DOMAIN}"
    body = {"email": email, "first_name": "Nia", "last_name": "Evans", "account_type": "user"}
    reply = call("POST", f"/centres/{centre}/users", claims=claims(inviter), body=body)
    assert reply.status == 201, reply.body
    return email, outbox.latest_temporary_password(email)


def to_mfa_setup(email: str, temporary_password: str) -> str:
    """Temporary password, then a new one: the session of the MFA set-up challenge."""
    reply = post("/auth/sign-in", email=email, password=temporary_password)
    assert (reply.status, reply.body["challenge"]) == (200, "new_password_required"), reply.body
    reply = post(
        "/auth/new-password", email=email, session=reply.body["session"], new_password=NEW_PASSWORD
    )
    assert (reply.status, reply.body["challenge"]) == (200, "mfa_setup"), reply.body
    return str(reply.body["session"])


def set_up_totp(email: str, session: str) -> tuple[str, Reply]:
    """TOTP set-up to the end: the authenticator's secret and the signed-in reply."""
    setup = post("/auth/mfa-setup/totp", email=email, session=session)
    assert setup.status == 200, setup.body
    secret = setup.body["secret"]
    reply = post(
        "/auth/mfa",
        email=email,
        session=setup.body["session"],
        challenge="totp_setup",
        code=totp_code(secret),
    )
    return secret, reply


def active_totp_member(inviter: Member, centre: str, outbox: Outbox) -> tuple[str, str, Reply]:
    """An invited member who has signed in once with TOTP: email, secret, signed-in reply."""
    email, temporary = invite(inviter, centre, outbox)
    secret, reply = set_up_totp(email, to_mfa_setup(email, temporary))
    assert reply.body["status"] == "signed_in", reply.body
    return email, secret, reply
