"""Deployment settings, read once from CDK context into a frozen dataclass."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from shared.settings import DEFAULT_REGION

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
LAUNCH_URLS = ("iamis_url", "access_arrangements_url", "entries_url", "view_scripts_url")


@dataclass(frozen=True)
class PortalSettings:
    """What differs between one deployment of the portal and another."""

    region: str = DEFAULT_REGION
    portal_name: str = "Centre Portal"
    sign_in_url: str = "https://portal.example.org/sign-in"
    no_reply_email: str = "portal-no-reply@example.org"
    # Empty means the SES identity is the no-reply address's domain in this account and region.
    ses_identity_arn: str = ""
    board_email_domain: str = "example.org"
    allowed_origins: tuple[str, ...] = ("https://portal.example.org",)
    # Cognito threat protection (compromised credentials, adaptive authentication) needs the
    # Plus feature plan, which is charged per monthly active user; off unless asked for.
    threat_protection: bool = False
    # Where the external services the portal only authorizes are launched (Services issue).
    iamis_url: str = "https://iamis.example.org/"
    access_arrangements_url: str = "https://cap.example.org/"
    entries_url: str = "https://entries.example.org/"
    view_scripts_url: str = "https://scripts.example.org/"
    # Where alarm notifications are emailed (the topic exists either way; empty: no email).
    alarm_email: str = ""
    # Tests and quick synths skip the pip install; the asset then holds only our own code.
    skip_bundling: bool = False

    def __post_init__(self) -> None:
        """Reject settings that would deploy a portal nobody can reach or email from."""
        if self.no_reply_email.count("@") != 1 or not self.no_reply_domain:
            raise ValueError(f"no_reply_email is not an email address: {self.no_reply_email!r}")
        if not self.allowed_origins:
            raise ValueError("allowed_origins needs at least one origin")
        for origin in self.allowed_origins:
            if not origin.startswith("https://") or origin.endswith("/"):
                raise ValueError(f"an allowed origin is https://host without a path: {origin!r}")
        if self.alarm_email and self.alarm_email.count("@") != 1:
            raise ValueError(f"alarm_email is not an email address: {self.alarm_email!r}")
        for name in ("sign_in_url", *LAUNCH_URLS):
            if not str(getattr(self, name)).startswith("https://"):
                raise ValueError(f"{name} must be https: {getattr(self, name)!r}")

    @property
    def launch_environment(self) -> dict[str, str]:
        """The services function's environment variables for the external services."""
        return {name.upper(): str(getattr(self, name)) for name in LAUNCH_URLS}

    @property
    def no_reply_domain(self) -> str:
        """The domain the portal's email is sent from."""
        return self.no_reply_email.rpartition("@")[2]

    @classmethod
    def context_keys(cls) -> tuple[str, ...]:
        """The CDK context keys these settings are read from."""
        return tuple(field.name for field in fields(cls))

    @classmethod
    def from_context(cls, context: Mapping[str, Any]) -> PortalSettings:
        """Build settings from context values, falling back to the defaults for absent ones."""
        values: dict[str, Any] = {}
        for field in fields(cls):
            raw = context.get(field.name)
            if raw is None:
                continue
            if field.name == "allowed_origins":
                values[field.name] = _as_tuple(raw)
            elif field.name in {"skip_bundling", "threat_protection"}:
                values[field.name] = raw is True or str(raw).strip().lower() in TRUE_WORDS
            else:
                values[field.name] = str(raw).strip()
        return cls(**values)


def _as_tuple(raw: Any) -> tuple[str, ...]:
    """Accept a JSON list from cdk.json or a comma-separated string from `cdk -c`."""
    items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())
