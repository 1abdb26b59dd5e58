"""Every message the local Cognito sends, readable by tests and by a person at /_local/outbox."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Kind = Literal["email", "sms"]
SecretKind = Literal["code", "temporary_password"]


@dataclass(frozen=True)
class Message:
    """One email or SMS as delivered; the secret it carries is kept aside for test helpers."""

    kind: Kind
    to: str
    subject: str | None
    text: str
    html: str | None
    sent_at: datetime
    trigger_source: str
    secret_kind: SecretKind = field(repr=False)
    secret: str = field(repr=False)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape served at /_local/outbox (no separate secret: it is in the text)."""
        return {
            "kind": self.kind,
            "to": self.to,
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
            "sent_at": self.sent_at.isoformat().replace("+00:00", "Z"),
        }


class Outbox:
    """The messages sent since the last clear, newest first."""

    def __init__(self) -> None:
        self._messages: list[Message] = []
        self._lock = threading.Lock()

    def record(self, message: Message) -> None:
        """Add a delivered message."""
        with self._lock:
            self._messages.append(message)

    def messages(self, to: str | None = None) -> list[Message]:
        """Messages sent to `to` (any case; all when None), newest first."""
        with self._lock:
            found = list(reversed(self._messages))
        if to is None:
            return found
        wanted = to.casefold()
        return [message for message in found if message.to.casefold() == wanted]

    def as_json(self, to: str | None = None) -> dict[str, list[dict[str, Any]]]:
        """`{"messages": [...]}`, newest first, ready for json.dumps."""
        return {"messages": [message.as_dict() for message in self.messages(to)]}

    def latest(self, to: str, secret_kind: SecretKind | None = None) -> Message:
        """The newest message to `to` carrying a secret of that kind; LookupError if none."""
        for message in self.messages(to):
            if secret_kind is None or message.secret_kind == secret_kind:
                return message
        raise LookupError(f"no {secret_kind or 'message'} sent to {to}")

    def latest_code(self, to: str) -> str:
        """The newest one-time code (MFA, reset, verification) sent to an address or phone."""
        return self.latest(to, "code").secret

    def latest_temporary_password(self, to: str) -> str:
        """The newest temporary password sent to an address or phone."""
        return self.latest(to, "temporary_password").secret

    def clear(self) -> None:
        """Forget every message."""
        with self._lock:
            self._messages.clear()


outbox = Outbox()
