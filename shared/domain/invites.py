"""Invite validity: two calendar months from sending; a resend starts a new period."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

from shared.settings import IDENTITY


def add_months(moment: datetime, months: int) -> datetime:
    """The same wall-clock time `months` calendar months later, clamped to the month's end."""
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def invite_expires_at(sent_at: datetime) -> datetime:
    """When an invite sent at `sent_at` (timezone-aware) stops working."""
    if sent_at.tzinfo is None:
        raise ValueError("sent_at must be timezone-aware")
    return add_months(sent_at.astimezone(UTC), IDENTITY.invite_validity_months)


def invite_expired(expires_at: datetime, now: datetime) -> bool:
    return now >= expires_at
