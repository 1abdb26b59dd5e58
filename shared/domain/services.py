"""The "All Services" menu: what each service is called, where it sits and who may open it.

The catalogue is data, in the portal's order, read against the user guide's Quick Navigation.
`menu_for` decides from the member's record as read on this request; it never fetches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from shared.domain.accounts import Permission, Role
from shared.domain.results import Series, results_available_from

CENTRE_MANAGERS = frozenset({Role.EXAMS_OFFICER, Role.ADMIN})
CENTRE_MEMBERS = frozenset({Role.EXAMS_OFFICER, Role.ADMIN, Role.USER})

# Results are seen under embargo by exams officers and admins, from 08:00 on results day by users.
RESULTS_LEVELS = {Role.EXAMS_OFFICER: "embargo", Role.ADMIN: "embargo", Role.USER: "results_day"}


@dataclass(frozen=True)
class Service:
    """One entry of the menu. `levels` names the level of each account type that may open it."""

    service: str
    name_en: str
    name_cy: str
    path: tuple[str, ...]
    permission: Permission
    levels: dict[Role, str]
    # Results and item level data carry each series' release time for the member.
    released_by_series: bool = False

    def level_for(self, role: Role, held: Iterable[Permission]) -> str | None:
        """The level at which this account opens the service, or None when it cannot."""
        if self.permission not in frozenset(held):
            return None
        return self.levels.get(role)


def _same(level: str, roles: frozenset[Role] = CENTRE_MEMBERS) -> dict[Role, str]:
    return dict.fromkeys(roles, level)


CATALOGUE: tuple[Service, ...] = (
    Service(
        "a2c_keys",
        "A2C Keys",
        "Allweddi A2C",
        ("Centre Administration", "General"),
        Permission.A2C_KEYS,
        _same("view", CENTRE_MANAGERS),
    ),
    Service(
        "results",
        "Download Results File",
        "Lawrlwytho Ffeil Canlyniadau",
        ("Results", "Candidate Results"),
        Permission.ENTRIES_RESULTS,
        RESULTS_LEVELS,
        released_by_series=True,
    ),
    Service(
        "grade_boundaries",
        "Grade Boundaries",
        "Ffiniau Graddau",
        ("Results", "Reports"),
        Permission.RESOURCES,
        _same("view"),
    ),
    Service(
        "item_level_data",
        "Item Level Data",
        "Data Lefel Eitem",
        ("Results", "Reports"),
        Permission.ENTRIES_RESULTS,
        RESULTS_LEVELS,
        released_by_series=True,
    ),
    Service(
        "resources",
        "Past Papers & Marking Schemes",
        "Cyn-bapurau a Chynlluniau Marcio",
        ("Resources",),
        Permission.RESOURCES,
        _same("view"),
    ),
    Service(
        "entries",
        "Entries",
        "Cofrestriadau",
        ("Entries",),
        Permission.ENTRIES_RESULTS,
        {Role.EXAMS_OFFICER: "make", Role.ADMIN: "make", Role.USER: "view"},
    ),
    Service(
        "iamis",
        "IAMIS",
        "IAMIS",
        ("IAMIS",),
        Permission.IAMIS,
        _same("submit"),
    ),
    Service(
        "access_arrangements",
        "Access Arrangements (CAP)",
        "Trefniadau Mynediad (CAP)",
        ("Access Arrangements",),
        Permission.ACCESS_ARRANGEMENTS,
        _same("manage"),
    ),
    Service(
        "view_scripts",
        "View Scripts",
        "Gweld Sgriptiau",
        ("View Scripts",),
        Permission.VIEW_SCRIPTS,
        _same("view"),
    ),
)

BY_NAME = {entry.service: entry for entry in CATALOGUE}

# Services that run elsewhere: the portal says who may open them, and where.
EXTERNAL = ("entries", "iamis", "access_arrangements", "view_scripts")


@dataclass(frozen=True)
class MenuEntry:
    service: Service
    level: str
    # (series_id, first instant this member may download), for services released by series.
    available_from: tuple[tuple[str, datetime], ...] | None = None


def menu_for(role: Role, held: Iterable[Permission], series: Iterable[Series]) -> list[MenuEntry]:
    """The services this account can open, in the catalogue's order.

    Board staff belong to no centre and hold no centre permissions: their menu is empty, and
    they publish through the board routes instead.
    """
    held = frozenset(held)
    series = sorted(series, key=lambda each: each.results_day)
    entries = []
    for service in CATALOGUE:
        level = service.level_for(role, held)
        if level is None:
            continue
        available = None
        if service.released_by_series:
            available = tuple((s.series_id, results_available_from(role, s)) for s in series)
        entries.append(MenuEntry(service, level, available))
    return entries


def external_level(role: Role, held: Iterable[Permission], service: str) -> str | None:
    """The level at which this account opens an external service, None when it cannot."""
    if service not in EXTERNAL:
        return None
    return BY_NAME[service].level_for(role, held)
