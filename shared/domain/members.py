"""Centre members, centres and audit events: the records the portal keeps in DynamoDB."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from shared.domain.accounts import Actor, Permission, Role, Target
from shared.domain.invites import invite_expired

INVITED, EXPIRED, ACTIVE = "invited", "expired", "active"


@dataclass(frozen=True)
class Member:
    """A centre's member or a board staff member, keyed by their Cognito `sub`."""

    user_id: str
    email: str
    account_type: Role
    first_name: str
    surname: str
    language: str = "en"
    centre_id: str | None = None
    permissions: frozenset[Permission] = frozenset()
    status: str = INVITED
    title: str | None = None
    middle_name: str | None = None
    job_role: str | None = None
    phone: str | None = None
    invited_by: str | None = None
    invited_at: datetime | None = None
    invite_expires_at: datetime | None = None
    mfa_preferred: str | None = None
    mfa_enabled: tuple[str, ...] = ()
    version: int = 1

    def status_at(self, now: datetime) -> str:
        """`expired` is never stored: it is an invite whose validity has run out."""
        expires = self.invite_expires_at
        if self.status == INVITED and expires is not None and invite_expired(expires, now):
            return EXPIRED
        return self.status

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.surname}".strip()

    def as_actor(self) -> Actor:
        return Actor(
            user_id=self.user_id,
            role=self.account_type,
            centre_id=self.centre_id,
            permissions=self.permissions,
        )

    def as_target(self) -> Target:
        return Target(
            centre_id=self.centre_id or "", account_type=self.account_type, user_id=self.user_id
        )

    def evolve(self, **changes: Any) -> Member:
        """A copy with the changes applied and the optimistic-locking version bumped."""
        return replace(self, version=self.version + 1, **changes)


@dataclass(frozen=True)
class Centre:
    centre_id: str
    name: str
    email_domains: tuple[str, ...]
    allow_subdomains: bool = False
    exams_officer_id: str | None = None
    admin_count: int = 0
    user_count: int = 0


@dataclass(frozen=True)
class AuditEvent:
    centre_id: str
    at: datetime
    actor: str
    action: str
    target: str | None
    event_id: str
    details: dict[str, Any] = field(default_factory=dict)


# Board staff belong to no centre: their own changes are audited under this partition.
BOARD_AUDIT = "board"


def audit_event(
    actor: Member,
    action: str,
    at: datetime,
    *,
    centre_id: str | None = None,
    target: str | None = None,
    **details: Any,
) -> AuditEvent:
    """An audit event by `actor`, in the given centre or else the actor's own (or the board's)."""
    return AuditEvent(
        centre_id=centre_id or actor.centre_id or BOARD_AUDIT,
        at=at,
        actor=actor.user_id,
        action=action,
        target=target,
        event_id=uuid.uuid4().hex,
        details=details,
    )


@dataclass(frozen=True)
class Page:
    """One page of a listing and the opaque cursor of the next, None at the end."""

    items: list[Any]
    next_cursor: str | None
