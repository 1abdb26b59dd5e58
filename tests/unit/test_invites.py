"""Invite validity: two calendar months, across month ends and leap years."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from shared.domain.invites import invite_expired, invite_expires_at
from shared.settings import IDENTITY


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sent", "expires"),
    [
        (utc(2026, 1, 15, 9, 30), utc(2026, 3, 15, 9, 30)),
        (utc(2026, 12, 31, 23, 59), utc(2027, 2, 28, 23, 59)),  # clamped to February's end
        (utc(2027, 12, 31, 12, 0), utc(2028, 2, 29, 12, 0)),  # leap year
        (utc(2026, 8, 31, 8, 0), utc(2026, 10, 31, 8, 0)),
        (utc(2026, 7, 31, 8, 0), utc(2026, 9, 30, 8, 0)),
        (utc(2026, 11, 1, 0, 0), utc(2027, 1, 1, 0, 0)),  # across the year end
    ],
)
def test_invite_expires_two_calendar_months_after_sending(
    sent: datetime, expires: datetime
) -> None:
    assert invite_expires_at(sent) == expires


def test_expiry_is_computed_in_utc_from_any_offset() -> None:
    sent = datetime(2026, 3, 31, 23, 30, tzinfo=timezone(timedelta(hours=-1)))

    assert invite_expires_at(sent) == utc(2026, 6, 1, 0, 30)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        invite_expires_at(datetime(2026, 1, 1))  # noqa: DTZ001


def test_an_invite_is_expired_from_its_expiry_instant() -> None:
    expires = utc(2026, 3, 15, 9, 30)

    assert not invite_expired(expires, expires - timedelta(seconds=1))
    assert invite_expired(expires, expires)


def test_cognitos_backstop_outlasts_the_longest_two_months() -> None:
    # July + August (or December + January) is the longest pair of months: 62 days.
    longest = max((invite_expires_at(utc(2026, m, 1)) - utc(2026, m, 1)).days for m in range(1, 13))
    assert longest <= IDENTITY.temporary_password_validity_days
