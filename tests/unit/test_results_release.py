"""Results release: under embargo for exams officers and admins, 08:00 UK time for users."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from shared.domain.accounts import Role
from shared.domain.errors import Embargoed, InvalidInput
from shared.domain.results import Series, check_released, results_available_from

SUMMER = date(2026, 8, 13)  # BST: 08:00 in London is 07:00 UTC
WINTER = date(2027, 1, 14)  # GMT: 08:00 in London is 08:00 UTC


def series(results_day: date) -> Series:
    embargo = datetime.combine(results_day - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    return Series("s1", "Summer", embargo_from=embargo, results_day=results_day)


@pytest.mark.parametrize(
    ("results_day", "users_from"),
    [
        (SUMMER, datetime(2026, 8, 13, 7, 0, tzinfo=UTC)),
        (WINTER, datetime(2027, 1, 14, 8, 0, tzinfo=UTC)),
        # The last Sunday of March (the clock goes forward at 01:00 UTC).
        (date(2027, 3, 28), datetime(2027, 3, 28, 7, 0, tzinfo=UTC)),
        # The last Sunday of October (the clock goes back at 01:00 UTC).
        (date(2026, 10, 25), datetime(2026, 10, 25, 8, 0, tzinfo=UTC)),
    ],
)
def test_users_see_results_from_eight_uk_time(results_day: date, users_from: datetime) -> None:
    assert results_available_from(Role.USER, series(results_day)) == users_from


@pytest.mark.parametrize("role", [Role.EXAMS_OFFICER, Role.ADMIN])
@pytest.mark.parametrize("results_day", [SUMMER, WINTER])
def test_exams_officers_and_admins_see_results_under_embargo(role: Role, results_day: date) -> None:
    s = series(results_day)

    check_released(role, s, s.embargo_from)
    with pytest.raises(Embargoed):
        check_released(role, s, s.embargo_from - timedelta(seconds=1))


@pytest.mark.parametrize("results_day", [SUMMER, WINTER])
def test_a_user_is_embargoed_until_the_second_of_release(results_day: date) -> None:
    s = series(results_day)
    release = results_available_from(Role.USER, s)

    with pytest.raises(Embargoed) as refused:
        check_released(Role.USER, s, release - timedelta(seconds=1))
    check_released(Role.USER, s, release)

    assert refused.value.params["available_from"] == release


def test_an_embargo_after_the_users_release_is_invalid() -> None:
    with pytest.raises(InvalidInput):
        Series("s1", "Summer", datetime(2026, 8, 13, 9, 0, tzinfo=UTC), SUMMER)


def test_a_naive_embargo_is_invalid() -> None:
    with pytest.raises(InvalidInput):
        Series("s1", "Summer", datetime(2026, 8, 12, 9, 0), SUMMER)  # noqa: DTZ001
