"""A fidelity layer that makes moto's Cognito keep the promises AWS documents.

`install()` patches moto (pinned in requirements-dev.txt) at runtime and `uninstall()` puts
every original back; nothing on disk changes. Each module holds one family of corrections,
each patch's docstring names the Cognito behaviour it restores:

- `messages`: the custom message trigger and delivery (email via SES, SMS to the outbox)
- `passwords`: temporary passwords, their expiry and resend; forgot-password codes
- `mfa`: TOTP, SMS and email codes, MFA set-up and selection, MFA settings
- `auth`: the sign-in state machine (flows, sessions, challenges, MFA on every flow)
- `existence`: PreventUserExistenceErrors
- `users`: case-insensitive lookups, sign-up refusal, attribute verification
- `tokens`: token lifetimes, revocation, the signing key loaded once
- `api`: request bodies moto drops and operations moto lacks
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from local.cognito import api, auth, mfa, passwords, tokens, users
from local.cognito.clock import Clock, clock
from local.cognito.messages import LambdaContext, Trigger, triggers
from local.cognito.outbox import Message, Outbox, outbox
from local.cognito.patching import patcher
from local.cognito.pool import PortalPool, create_portal_pool
from local.cognito.state import forget_all

__all__ = [
    "Clock",
    "LambdaContext",
    "Message",
    "Outbox",
    "PortalPool",
    "Trigger",
    "clock",
    "cognito_layer",
    "create_portal_pool",
    "install",
    "installed",
    "outbox",
    "uninstall",
]


def installed() -> bool:
    """Whether the layer is on."""
    return patcher.active


def install(trigger: Trigger | None = None) -> None:
    """Turn the layer on; `trigger` plays the CustomMessage Lambda (default: the project's)."""
    if installed():
        raise RuntimeError("the local Cognito layer is already installed")
    triggers.trigger = trigger
    for family in (tokens, users, passwords, mfa, auth, api):
        family.install()


def uninstall() -> None:
    """Turn the layer off and forget its sessions and per-user state."""
    patcher.restore()
    triggers.trigger = None
    forget_all()


@contextmanager
def cognito_layer(trigger: Trigger | None = None) -> Iterator[None]:
    """The layer on for the duration of a with-block."""
    install(trigger)
    try:
        yield
    finally:
        uninstall()
