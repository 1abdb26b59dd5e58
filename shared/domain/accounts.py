"""Account types, permissions and who may do what to whom, as the portal user guide sets out.

The rules are tables: a reviewer can read them against the guide line by line, and the tests
walk every cell. Functions here decide; they never fetch. Callers pass the actor and target as
read from DynamoDB on this request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from shared.domain.errors import CannotDeleteSelf, CannotGrant, Forbidden, NotFound

MAX_ADMINS_PER_CENTRE = 3


class Role(StrEnum):
    """Who is acting: the three centre account types, and the board's own staff."""

    BOARD_STAFF = "board_staff"
    EXAMS_OFFICER = "exams_officer"
    ADMIN = "admin"
    USER = "user"


ACCOUNT_TYPES = (Role.EXAMS_OFFICER, Role.ADMIN, Role.USER)


class Permission(StrEnum):
    """The services a centre member can reach."""

    ACCESS_ARRANGEMENTS = "access_arrangements"
    IAMIS = "iamis"
    VIEW_SCRIPTS = "view_scripts"
    ENTRIES_RESULTS = "entries_results"
    A2C_KEYS = "a2c_keys"
    RESOURCES = "resources"


ALL_PERMISSIONS = frozenset(Permission)

# Everyone in a centre can reach past papers, marking schemes and resources.
ALWAYS_HELD = frozenset({Permission.RESOURCES})

DEFAULT_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.EXAMS_OFFICER: ALL_PERMISSIONS,
    Role.ADMIN: ALL_PERMISSIONS,
    Role.USER: ALWAYS_HELD,
}

# Permissions a type may never hold, whoever grants them.
NEVER_HELD: dict[Role, frozenset[Permission]] = {
    Role.EXAMS_OFFICER: frozenset(),
    Role.ADMIN: frozenset(),
    Role.USER: frozenset({Permission.A2C_KEYS}),
}


class Action(StrEnum):
    """What one account does to another."""

    INVITE = "invite"
    RESEND_INVITE = "resend_invite"
    DELETE = "delete"
    SET_PERMISSIONS = "set_permissions"
    RESET_SIGN_IN = "reset_sign_in"
    VIEW = "view"


_CENTRE_MANAGERS = frozenset({Role.ADMIN, Role.USER})
_EVERY_TYPE = frozenset(ACCOUNT_TYPES)
_NONE: frozenset[Role] = frozenset()

# RULES[action][actor role] = the account types that actor may act on.
RULES: dict[Action, dict[Role, frozenset[Role]]] = {
    # Board staff invite exams officers (one per centre); EOs and admins invite the rest.
    Action.INVITE: {
        Role.BOARD_STAFF: frozenset({Role.EXAMS_OFFICER}),
        Role.EXAMS_OFFICER: _CENTRE_MANAGERS,
        Role.ADMIN: _CENTRE_MANAGERS,
        Role.USER: _NONE,
    },
    Action.RESEND_INVITE: {
        Role.BOARD_STAFF: frozenset({Role.EXAMS_OFFICER}),
        Role.EXAMS_OFFICER: _CENTRE_MANAGERS,
        Role.ADMIN: _CENTRE_MANAGERS,
        Role.USER: _NONE,
    },
    # "Can only be invited/deleted by" the board; admins "cannot delete EO account".
    Action.DELETE: {
        Role.BOARD_STAFF: frozenset({Role.EXAMS_OFFICER}),
        Role.EXAMS_OFFICER: _CENTRE_MANAGERS,
        Role.ADMIN: _CENTRE_MANAGERS,
        Role.USER: _NONE,
    },
    # The EO assigns to all accounts; admins to admins and users; the EO's own never change.
    Action.SET_PERMISSIONS: {
        Role.BOARD_STAFF: _NONE,
        Role.EXAMS_OFFICER: _CENTRE_MANAGERS,
        Role.ADMIN: _CENTRE_MANAGERS,
        Role.USER: _NONE,
    },
    # A locked-out EO goes to the board, as the guide's helpdesk route says.
    Action.RESET_SIGN_IN: {
        Role.BOARD_STAFF: _EVERY_TYPE,
        Role.EXAMS_OFFICER: _CENTRE_MANAGERS,
        Role.ADMIN: _CENTRE_MANAGERS,
        Role.USER: _NONE,
    },
    Action.VIEW: {
        Role.BOARD_STAFF: _EVERY_TYPE,
        Role.EXAMS_OFFICER: _EVERY_TYPE,
        Role.ADMIN: _EVERY_TYPE,
        Role.USER: _NONE,
    },
}

# Actions a member may take on their own account, whatever the table says.
SELF_ALLOWED = frozenset({Action.VIEW})
# Acting on yourself with these is a conflict the caller can understand, not a bare 403.
SELF_CONFLICT = {Action.DELETE: CannotDeleteSelf}


@dataclass(frozen=True)
class Actor:
    """The caller, as read from their DynamoDB record on this request."""

    user_id: str
    role: Role
    centre_id: str | None = None
    permissions: frozenset[Permission] = frozenset()

    @property
    def is_board_staff(self) -> bool:
        return self.role is Role.BOARD_STAFF

    @property
    def manages_centre(self) -> bool:
        """Exams officers and admins manage their centre's members."""
        return self.role in (Role.EXAMS_OFFICER, Role.ADMIN)


@dataclass(frozen=True)
class Target:
    """The account acted upon (or, for an invite, the one about to exist)."""

    centre_id: str
    account_type: Role
    user_id: str | None = None


def check_centre(actor: Actor, centre_id: str) -> None:
    """A member sees only their own centre; anything else does not exist for them."""
    if not actor.is_board_staff and actor.centre_id != centre_id:
        raise NotFound()


def can_manage_centre(actor: Actor, centre_id: str) -> None:
    """Listing members and reading the audit log: the EO, admins and board staff."""
    check_centre(actor, centre_id)
    if not (actor.is_board_staff or actor.manages_centre):
        raise Forbidden()


def authorize(actor: Actor, action: Action, target: Target) -> None:
    """Raise unless the actor may take this action on this target."""
    check_centre(actor, target.centre_id)
    if target.user_id is not None and target.user_id == actor.user_id:
        if action in SELF_ALLOWED:
            return
        raise SELF_CONFLICT.get(action, Forbidden)()
    if target.account_type not in RULES[action][actor.role]:
        raise Forbidden()


def resolve_permissions(
    actor: Actor,
    account_type: Role,
    requested: Iterable[Permission],
    current: Iterable[Permission] = (),
) -> frozenset[Permission]:
    """The permission set an account ends with, or CannotGrant.

    Nobody grants what they do not hold; removing a permission needs no such check. Permissions
    every member holds are added, never refused.
    """
    wanted = frozenset(requested) | ALWAYS_HELD
    if account_type is Role.EXAMS_OFFICER:
        return DEFAULT_PERMISSIONS[Role.EXAMS_OFFICER]
    forbidden = wanted & NEVER_HELD[account_type]
    if forbidden:
        raise CannotGrant(permissions=sorted(forbidden))
    added = wanted - frozenset(current)
    not_held = added - actor.permissions - ALWAYS_HELD
    if not_held:
        raise CannotGrant(permissions=sorted(not_held))
    return wanted


def invite_permissions(
    actor: Actor, account_type: Role, requested: Iterable[Permission] | None
) -> frozenset[Permission]:
    """Permissions for a new account: as asked, or the type's defaults the inviter can give."""
    if requested is None:
        requested = DEFAULT_PERMISSIONS[account_type] - NEVER_HELD[account_type]
        if not actor.is_board_staff:
            requested = requested & actor.permissions
    return resolve_permissions(actor, account_type, requested)


def change_permissions(
    actor: Actor, target: Target, current: Iterable[Permission], requested: Iterable[Permission]
) -> frozenset[Permission]:
    """Authorize and resolve a change to an existing member's permissions."""
    authorize(actor, Action.SET_PERMISSIONS, target)
    return resolve_permissions(actor, target.account_type, requested, current)


# The level at which each account type uses a service it holds (api-contract.md, Vocabulary).
ACCESS_LEVELS: dict[Permission, dict[Role, str]] = {
    Permission.ENTRIES_RESULTS: {Role.EXAMS_OFFICER: "make", Role.ADMIN: "make", Role.USER: "view"},
    Permission.IAMIS: {Role.EXAMS_OFFICER: "submit", Role.ADMIN: "submit", Role.USER: "submit"},
    Permission.ACCESS_ARRANGEMENTS: {
        Role.EXAMS_OFFICER: "manage",
        Role.ADMIN: "manage",
        Role.USER: "manage",
    },
    Permission.VIEW_SCRIPTS: {Role.EXAMS_OFFICER: "view", Role.ADMIN: "view", Role.USER: "view"},
    Permission.A2C_KEYS: {Role.EXAMS_OFFICER: "view", Role.ADMIN: "view"},
    Permission.RESOURCES: {Role.EXAMS_OFFICER: "view", Role.ADMIN: "view", Role.USER: "view"},
}


def access_level(role: Role, permission: Permission, held: Iterable[Permission]) -> str | None:
    """The level this account has on a service, or None when it cannot open it."""
    if permission not in frozenset(held):
        return None
    return ACCESS_LEVELS[permission].get(role)
