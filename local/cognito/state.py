"""What the layer remembers beside moto's own objects, keyed so moto's resets drop it too."""

from __future__ import annotations

import contextvars
import secrets
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool

from local.cognito.clock import clock


@dataclass
class UserState:
    """Per-user secrets and timestamps that moto's user model has no place for."""

    temporary_password_issued_at: datetime | None = None
    totp_secret: str | None = None
    pending_totp_secret: str | None = None
    email_mfa_enabled: bool = False
    forgot_password_code: str | None = None
    forgot_password_code_sent_at: datetime | None = None
    attribute_codes: dict[str, tuple[str, datetime]] = field(default_factory=dict)


@dataclass
class PoolState:
    """Per-pool settings moto drops and the issue time of each refresh token."""

    email_mfa_config: dict[str, Any] | None = None
    refresh_token_issued_at: dict[str, datetime] = field(default_factory=dict)


@dataclass
class Session:
    """One step of a sign-in: who, through which client, which challenge and its code."""

    pool: CognitoIdpUserPool
    client_id: str
    username: str
    challenge: str
    created_at: datetime
    code: str | None = None
    code_sent_at: datetime | None = None
    totp_verified: bool = False
    # The MFA method that answering this challenge sets up (first sign-in), if any.
    enables: str | None = None


_users: weakref.WeakKeyDictionary[CognitoIdpUser, UserState] = weakref.WeakKeyDictionary()
_pools: weakref.WeakKeyDictionary[CognitoIdpUserPool, PoolState] = weakref.WeakKeyDictionary()
sessions: dict[str, Session] = {}

_request: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "cognito_request", default=None
)


def user_state(user: CognitoIdpUser) -> UserState:
    """The layer's state for a moto user, created on first use."""
    return _users.setdefault(user, UserState())


def pool_state(pool: CognitoIdpUserPool) -> PoolState:
    """The layer's state for a moto user pool, created on first use."""
    return _pools.setdefault(pool, PoolState())


def request_parameters() -> dict[str, Any]:
    """The JSON body of the Cognito request being served (moto's responses drop some fields)."""
    return _request.get() or {}


def set_request_parameters(parameters: dict[str, Any] | None) -> contextvars.Token[Any]:
    """Remember the current request's body; returns the token to reset it."""
    return _request.set(parameters)


def reset_request_parameters(token: contextvars.Token[Any]) -> None:
    """Forget the current request's body."""
    _request.reset(token)


def new_session(
    pool: CognitoIdpUserPool, client_id: str, username: str, challenge: str
) -> tuple[str, Session]:
    """Open a sign-in session; moto's backend also learns it so region routing still works."""
    session_id = secrets.token_urlsafe(96)
    session = Session(pool, client_id, username, challenge, clock.now())
    sessions[session_id] = session
    pool.backend.sessions[session_id] = (username, pool)
    return session_id, session


def end_session(session_id: str) -> None:
    """Close a sign-in session."""
    session = sessions.pop(session_id, None)
    if session is not None:
        session.pool.backend.sessions.pop(session_id, None)


def session_lifetime(pool: CognitoIdpUserPool, client_id: str) -> timedelta:
    """The client's AuthSessionValidity (minutes), Cognito's default 3 when unset."""
    client = pool.clients.get(client_id)
    minutes = client.extended_config.get("AuthSessionValidity", 3) if client else 3
    return timedelta(minutes=int(minutes))


def forget_all() -> None:
    """Drop every session and per-object state (on uninstall)."""
    for session_id in list(sessions):
        end_session(session_id)
    _users.clear()
    _pools.clear()
