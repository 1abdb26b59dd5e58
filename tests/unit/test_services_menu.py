"""The "All Services" menu for every account type and permission combination."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import combinations

import pytest

from shared.domain.accounts import ALL_PERMISSIONS, Permission, Role
from shared.domain.results import Series
from shared.domain.services import CATALOGUE, external_level, menu_for

P = Permission
# The portal's order (user guide, Quick Navigation) and the permission that opens each service.
ORDER = (
    ("a2c_keys", P.A2C_KEYS),
    ("results", P.ENTRIES_RESULTS),
    ("grade_boundaries", P.RESOURCES),
    ("item_level_data", P.ENTRIES_RESULTS),
    ("resources", P.RESOURCES),
    ("entries", P.ENTRIES_RESULTS),
    ("iamis", P.IAMIS),
    ("access_arrangements", P.ACCESS_ARRANGEMENTS),
    ("view_scripts", P.VIEW_SCRIPTS),
)
GRANTABLE_TO_USERS = (P.IAMIS, P.ACCESS_ARRANGEMENTS, P.ENTRIES_RESULTS, P.VIEW_SCRIPTS)
SUMMER = Series(
    "2026-summer", "Summer 2026", datetime(2026, 8, 12, 6, 0, tzinfo=UTC), date(2026, 8, 13)
)
WINTER = Series(
    "2027-january", "January 2027", datetime(2027, 3, 3, 9, 0, tzinfo=UTC), date(2027, 3, 4)
)


def subsets(permissions: tuple[Permission, ...]) -> list[frozenset[Permission]]:
    return [
        frozenset(chosen)
        for size in range(len(permissions) + 1)
        for chosen in combinations(permissions, size)
    ]


def expected(role: Role, held: frozenset[Permission]) -> list[str]:
    return [
        service
        for service, permission in ORDER
        if permission in held and not (service == "a2c_keys" and role is Role.USER)
    ]


@pytest.mark.parametrize("held", subsets(GRANTABLE_TO_USERS), ids=lambda h: "+".join(sorted(h)))
def test_a_user_sees_resources_and_what_was_granted(held: frozenset[Permission]) -> None:
    permissions = held | {P.RESOURCES}

    menu = menu_for(Role.USER, permissions, [])

    assert [entry.service.service for entry in menu] == expected(Role.USER, permissions)


@pytest.mark.parametrize("role", [Role.EXAMS_OFFICER, Role.ADMIN])
@pytest.mark.parametrize(
    "held",
    subsets(tuple(sorted(ALL_PERMISSIONS - {P.RESOURCES}))),
    ids=lambda h: "+".join(sorted(h)),
)
def test_exams_officers_and_admins_see_what_they_hold(
    role: Role, held: frozenset[Permission]
) -> None:
    permissions = held | {P.RESOURCES}

    menu = menu_for(role, permissions, [])

    assert [entry.service.service for entry in menu] == expected(role, permissions)


def test_a2c_keys_never_reach_a_user_even_if_the_record_says_so() -> None:
    menu = menu_for(Role.USER, ALL_PERMISSIONS, [])

    assert "a2c_keys" not in [entry.service.service for entry in menu]


def test_board_staff_have_no_centre_menu() -> None:
    assert menu_for(Role.BOARD_STAFF, ALL_PERMISSIONS, [SUMMER]) == []


@pytest.mark.parametrize(
    ("role", "levels"),
    [
        (
            Role.EXAMS_OFFICER,
            {"a2c_keys": "view", "results": "embargo", "entries": "make", "iamis": "submit"},
        ),
        (Role.ADMIN, {"a2c_keys": "view", "results": "embargo", "entries": "make"}),
        (
            Role.USER,
            {
                "results": "results_day",
                "item_level_data": "results_day",
                "entries": "view",
                "iamis": "submit",
                "access_arrangements": "manage",
                "view_scripts": "view",
                "resources": "view",
            },
        ),
    ],
)
def test_levels_follow_the_account_type(role: Role, levels: dict[str, str]) -> None:
    menu = {entry.service.service: entry.level for entry in menu_for(role, ALL_PERMISSIONS, [])}

    for service, level in levels.items():
        assert menu[service] == level


def test_every_entry_has_welsh_and_english_names_and_a_navigation_path() -> None:
    assert [service.service for service in CATALOGUE] == [name for name, _ in ORDER]
    for service in CATALOGUE:
        assert service.name_en and service.name_cy and service.path
    paths = {service.service: service.path for service in CATALOGUE}
    assert paths["a2c_keys"] == ("Centre Administration", "General")
    assert paths["results"] == ("Results", "Candidate Results")
    assert paths["grade_boundaries"] == ("Results", "Reports")
    assert paths["resources"] == ("Resources",)


@pytest.mark.parametrize(
    ("role", "summer_from", "winter_from"),
    [
        (Role.EXAMS_OFFICER, SUMMER.embargo_from, WINTER.embargo_from),
        (Role.ADMIN, SUMMER.embargo_from, WINTER.embargo_from),
        # 08:00 in London: BST in August, GMT in March.
        (
            Role.USER,
            datetime(2026, 8, 13, 7, 0, tzinfo=UTC),
            datetime(2027, 3, 4, 8, 0, tzinfo=UTC),
        ),
    ],
)
def test_results_carry_each_series_release_for_this_member(
    role: Role, summer_from: datetime, winter_from: datetime
) -> None:
    menu = menu_for(role, ALL_PERMISSIONS - {P.A2C_KEYS}, [WINTER, SUMMER])

    for entry in menu:
        if entry.service.service in ("results", "item_level_data"):
            assert entry.available_from == (
                ("2026-summer", summer_from),
                ("2027-january", winter_from),
            )
        else:
            assert entry.available_from is None


@pytest.mark.parametrize(
    ("role", "service", "held", "level"),
    [
        (Role.EXAMS_OFFICER, "entries", ALL_PERMISSIONS, "make"),
        (Role.ADMIN, "entries", ALL_PERMISSIONS, "make"),
        (Role.USER, "entries", frozenset({P.ENTRIES_RESULTS}), "view"),
        (Role.USER, "entries", frozenset({P.RESOURCES}), None),
        (Role.USER, "iamis", frozenset({P.IAMIS}), "submit"),
        (Role.USER, "access_arrangements", frozenset({P.ACCESS_ARRANGEMENTS}), "manage"),
        (Role.USER, "view_scripts", frozenset({P.VIEW_SCRIPTS}), "view"),
        (Role.ADMIN, "view_scripts", ALL_PERMISSIONS - {P.VIEW_SCRIPTS}, None),
        (Role.EXAMS_OFFICER, "a2c_keys", ALL_PERMISSIONS, None),
        (Role.BOARD_STAFF, "iamis", ALL_PERMISSIONS, None),
    ],
)
def test_external_levels(
    role: Role, service: str, held: frozenset[Permission], level: str | None
) -> None:
    assert external_level(role, held, service) == level
