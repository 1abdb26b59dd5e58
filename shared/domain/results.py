"""When each account type may see a series' results.

Exams officers and admins see results under embargo, from the series' `embargo_from`. Users
see them from 08:00 UK time on results day; UK time is GMT in winter and BST in summer, so the
instant comes from Europe/London's rules for that date, never from a fixed offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from shared.domain.accounts import Role
from shared.domain.errors import Embargoed, InvalidInput

UK = ZoneInfo("Europe/London")
USERS_RELEASE_TIME = time(8, 0)


@dataclass(frozen=True)
class Series:
    series_id: str
    name: str
    embargo_from: datetime
    results_day: date

    def __post_init__(self) -> None:
        if self.embargo_from.tzinfo is None:
            raise InvalidInput(field="embargo_from")
        if self.embargo_from > users_release(self.results_day):
            raise InvalidInput(field="embargo_from")


def users_release(results_day: date) -> datetime:
    """08:00 Europe/London on results day, as a UTC instant."""
    return datetime.combine(results_day, USERS_RELEASE_TIME, tzinfo=UK).astimezone(UTC)


def results_available_from(role: Role, series: Series) -> datetime:
    """The first instant this account type may see the series' results, in UTC."""
    if role in (Role.EXAMS_OFFICER, Role.ADMIN, Role.BOARD_STAFF):
        return series.embargo_from.astimezone(UTC)
    return users_release(series.results_day)


def check_released(role: Role, series: Series, now: datetime) -> None:
    """Raise Embargoed, carrying `available_from`, until the results are released to `role`."""
    available_from = results_available_from(role, series)
    if now < available_from:
        raise Embargoed(available_from=available_from)
