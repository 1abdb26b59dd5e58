"""The signed-in member's own credentials: password, authenticator app, SMS phone, MFA method.

Each change is made in Cognito with the member's access token, then written to the member
record (the MFA methods every read of the portal shows) with an audit event, in one request.
Reads never call Cognito: the record is kept in step on every change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from shared.domain.errors import Conflict
from shared.domain.members import AuditEvent, Member, audit_event
from shared.domain.signin import MFA_OPTIONS, check_new_password, otpauth_uri, qr_svg
from shared.settings import IDENTITY

# Board staff belong to no centre; their changes are audited here, as their profile changes are.


class MfaNotSetUp(Conflict):
    code = "mfa_not_set_up"


@dataclass(frozen=True)
class MfaSettings:
    preferred: str | None
    enabled: tuple[str, ...]
    options: tuple[str, ...]


@dataclass(frozen=True)
class AuthenticatorSetup:
    """A new authenticator's secret, its Key URI and the QR code of that URI; never logged."""

    secret: str = field(repr=False)
    otpauth_uri: str = field(repr=False)
    qr_svg: str = field(repr=False)


class CredentialProvider(Protocol):
    """The identity provider's API for a signed-in user, called with their access token."""

    def change_password(self, access_token: str, current: str, new: str) -> None: ...
    def associate_authenticator(self, access_token: str) -> str: ...
    def verify_authenticator(self, access_token: str, code: str) -> None: ...
    def change_phone(self, access_token: str, phone: str) -> str: ...
    def confirm_phone(self, access_token: str, code: str) -> str: ...
    def prefer_mfa(self, access_token: str, method: str) -> None: ...


class CredentialRecords(Protocol):
    """What these changes write to the portal's own table."""

    def record_mfa(self, member: Member, event: AuditEvent) -> None: ...
    def record_event(self, event: AuditEvent) -> None: ...


class Credentials:
    """The use cases behind /me/password and /me/mfa*, each on the caller's own account."""

    def __init__(
        self,
        provider: CredentialProvider,
        records: CredentialRecords,
        clock: Callable[[], datetime],
        issuer: str,
    ) -> None:
        self._provider = provider
        self._records = records
        self._clock = clock
        self._issuer = issuer

    def mfa(self, member: Member) -> MfaSettings:
        options = tuple(method for method in MFA_OPTIONS if method in IDENTITY.mfa_methods)
        return MfaSettings(member.mfa_preferred, member.mfa_enabled, options)

    def change_password(self, member: Member, access_token: str, current: str, new: str) -> None:
        check_new_password(new)
        self._provider.change_password(access_token, current, new)
        self._records.record_event(self._event(member, "change_password", {}))

    def start_authenticator(self, member: Member, access_token: str) -> AuthenticatorSetup:
        secret = self._provider.associate_authenticator(access_token)
        uri = otpauth_uri(self._issuer, member.email, secret)
        return AuthenticatorSetup(secret, uri, qr_svg(uri))

    def verify_authenticator(self, member: Member, access_token: str, code: str) -> None:
        self._provider.verify_authenticator(access_token, code)
        self._prefer(member, access_token, "totp", member.phone)

    def start_sms(self, member: Member, access_token: str, phone: str) -> str:
        """Send a code to `phone`; the masked destination it went to."""
        return self._provider.change_phone(access_token, phone)

    def verify_sms(self, member: Member, access_token: str, code: str) -> None:
        phone = self._provider.confirm_phone(access_token, code)
        self._prefer(member, access_token, "sms", phone)

    def switch(self, member: Member, access_token: str, method: str) -> None:
        """Make an already set-up method (or email, which needs none) the preferred one."""
        if method != "email" and method not in member.mfa_enabled:
            raise MfaNotSetUp()
        self._prefer(member, access_token, method, member.phone)

    def _prefer(self, member: Member, access_token: str, method: str, phone: str | None) -> None:
        self._provider.prefer_mfa(access_token, method)
        enabled = (
            member.mfa_enabled if method in member.mfa_enabled else (*member.mfa_enabled, method)
        )
        after = member.evolve(mfa_preferred=method, mfa_enabled=enabled, phone=phone)
        # The method, never the phone number: the audit log is read by the centre's staff.
        details = {"method": method, "phone_changed": phone != member.phone}
        self._records.record_mfa(after, self._event(member, "change_mfa", details))

    def _event(self, member: Member, action: str, details: dict[str, Any]) -> AuditEvent:
        return audit_event(member, action, self._clock(), target=member.user_id, **details)
