"""Sign-in and recovery: the portal's rules around the identity provider's challenge flow.

Every step answers either tokens or the next challenge. The portal adds what Cognito cannot
know: an invite's exact expiry, its password rules with their own messages, and the member
record that becomes `active`, with its MFA method, once the first sign-in completes.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote, urlencode

from shared.domain.errors import Forbidden, InvalidInput, Unauthorized
from shared.domain.members import ACTIVE, EXPIRED, Member
from shared.domain.ports import Clock
from shared.settings import IDENTITY

MFA_OPTIONS = ("totp", "sms", "email")
NEW_PASSWORD_REQUIRED, MFA_SETUP, TOTP_SETUP = "new_password_required", "mfa_setup", "totp_setup"


@dataclass(frozen=True)
class Tokens:
    """What a completed sign-in or a refresh returns; `repr` never shows a token."""

    access_token: str = field(repr=False)
    id_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: int
    user_id: str
    # The id token's phone_number: what a first sign-in with SMS codes set up, for the record.
    phone: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Challenge:
    """The next step: its portal name, the opaque session and what the client must show."""

    name: str
    session: str = field(repr=False)
    details: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class SignedIn:
    tokens: Tokens
    member: Member | None


Step = SignedIn | Challenge
ProviderStep = Tokens | Challenge


class IdentityProvider(Protocol):
    """The identity provider's sign-in API, in the portal's terms."""

    def sign_in(self, email: str, password: str) -> ProviderStep: ...
    def new_password(self, email: str, session: str, new_password: str) -> ProviderStep: ...
    def start_totp(self, session: str) -> tuple[str, str]: ...
    def finish_totp(self, email: str, session: str, code: str) -> ProviderStep: ...
    def set_phone(self, email: str, phone: str) -> None: ...
    def answer_setup(self, email: str, session: str, method: str) -> ProviderStep: ...
    def answer(self, email: str, session: str, challenge: str, code: str) -> ProviderStep: ...
    def select(self, email: str, session: str, method: str) -> ProviderStep: ...
    def refresh(self, refresh_token: str) -> Tokens: ...
    def forgot_password(self, email: str) -> None: ...
    def reset_password(self, email: str, code: str, new_password: str) -> None: ...
    def sign_out(self, access_token: str) -> None: ...


class SignInRecords(Protocol):
    """What sign-in reads and writes in the portal's own table."""

    def get_member(self, user_id: str) -> Member | None: ...
    def member_by_email(self, email: str) -> Member | None: ...
    def record_sign_in(
        self, member: Member, method: str | None, phone: str | None = None
    ) -> None: ...
    def remember_setup_session(self, email: str, digest: str) -> None: ...
    def setup_session_matches(self, email: str, digest: str) -> bool: ...


def check_new_password(password: str) -> None:
    """The portal's password rules, checked before the identity provider is asked."""
    if len(password) < IDENTITY.password_min_length:
        raise InvalidInput("password_too_short", min_length=IDENTITY.password_min_length)
    # Cognito refuses outer whitespace; trimming silently would set a password nobody typed.
    if password != password.strip():
        raise InvalidInput("password_has_outer_spaces")


def session_digest(session: str) -> str:
    """What the table keeps of a session: enough to recognise it, useless to replay."""
    return hashlib.sha256(session.encode()).hexdigest()


def otpauth_uri(issuer: str, email: str, secret: str) -> str:
    """The Key URI authenticator apps read: the portal's name as issuer, the email as account."""
    label = f"{quote(issuer, safe='')}:{quote(email, safe='@')}"
    query = urlencode({"secret": secret, "issuer": issuer, "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{query}"


def qr_svg(text: str) -> str:
    """`text` as a standalone SVG QR code."""
    import segno  # noqa: PLC0415 - only the TOTP set-up route draws one

    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False)
    return buffer.getvalue().decode()


class SignInFlow:
    """The use cases behind /auth/*; each method is one step of a sign-in or a recovery."""

    def __init__(
        self, provider: IdentityProvider, records: SignInRecords, clock: Clock, issuer: str
    ) -> None:
        self._provider = provider
        self._records = records
        self._clock = clock
        self._issuer = issuer

    def sign_in(self, email: str, password: str) -> Step:
        email = email.lower()
        try:
            step = self._provider.sign_in(email, password)
        except Unauthorized as refused:
            # Cognito refuses an expired temporary password as it refuses a wrong one.
            if refused.code == "invalid_credentials" and self._invite_expired(email):
                raise Forbidden("invite_expired") from refused
            raise
        is_invite = isinstance(step, Challenge) and step.name == NEW_PASSWORD_REQUIRED
        if is_invite and self._invite_expired(email):
            raise Forbidden("invite_expired")
        return self._next(email, step, None)

    def new_password(self, email: str, session: str, new_password: str) -> Step:
        check_new_password(new_password)
        email = email.lower()
        return self._next(email, self._provider.new_password(email, session, new_password), None)

    def set_up_totp(self, email: str, session: str) -> Challenge:
        secret, session = self._provider.start_totp(session)
        uri = otpauth_uri(self._issuer, email.lower(), secret)
        details = {"secret": secret, "otpauth_uri": uri, "qr_svg": qr_svg(uri)}
        return Challenge(TOTP_SETUP, session, details)

    def set_up_sms(self, email: str, session: str, phone: str) -> Step:
        email = email.lower()
        # The phone is changed before Cognito sees the session, so the portal checks it first:
        # only the holder of this address's set-up session may give it a phone number.
        if not self._records.setup_session_matches(email, session_digest(session)):
            raise Unauthorized("session_expired")
        self._provider.set_phone(email, phone)
        return self._next(email, self._provider.answer_setup(email, session, "sms"), None)

    def set_up_email(self, email: str, session: str) -> Step:
        email = email.lower()
        return self._next(email, self._provider.answer_setup(email, session, "email"), None)

    def answer(self, email: str, session: str, challenge: str, code: str) -> Step:
        email = email.lower()
        if challenge == TOTP_SETUP:
            return self._next(email, self._provider.finish_totp(email, session, code), "totp")
        step = self._provider.answer(email, session, challenge, code)
        return self._next(email, step, challenge)

    def select(self, email: str, session: str, method: str) -> Step:
        email = email.lower()
        return self._next(email, self._provider.select(email, session, method), None)

    def refresh(self, refresh_token: str) -> Tokens:
        return self._provider.refresh(refresh_token)

    def forgot_password(self, email: str) -> None:
        self._provider.forgot_password(email.lower())

    def reset_password(self, email: str, code: str, new_password: str) -> None:
        check_new_password(new_password)
        self._provider.reset_password(email.lower(), code, new_password)

    def sign_out(self, access_token: str) -> None:
        self._provider.sign_out(access_token)

    def _invite_expired(self, email: str) -> bool:
        member = self._records.member_by_email(email)
        return member is not None and member.status_at(self._clock()) == EXPIRED

    def _next(self, email: str, step: ProviderStep, method: str | None) -> Step:
        """Pass a challenge on; on tokens, mark the member active with a newly set-up method."""
        if isinstance(step, Challenge):
            if step.name == MFA_SETUP:
                self._records.remember_setup_session(email, session_digest(step.session))
            return step
        member = self._records.get_member(step.user_id)
        newly_set_up = (
            method is not None and member is not None and method not in member.mfa_enabled
        )
        if member is not None and (member.status != ACTIVE or newly_set_up):
            # SMS set up at sign-in: the member record holds the phone the codes now go to,
            # as a change from Profile does, so Profile shows it and a later switch keeps it.
            phone = step.phone if method == "sms" and newly_set_up else None
            self._records.record_sign_in(member, method, phone)
        return SignedIn(step, member)
