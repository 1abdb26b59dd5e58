"""The account model, cell by cell, against the portal user guide."""

from __future__ import annotations

import pytest

from shared.domain.accounts import (
    ALL_PERMISSIONS,
    DEFAULT_PERMISSIONS,
    Action,
    Actor,
    Permission,
    Role,
    Target,
    access_level,
    authorize,
    can_manage_centre,
    change_permissions,
    invite_permissions,
)
from shared.domain.errors import CannotDeleteSelf, CannotGrant, Forbidden, NotFound

BS, EO, AD, US = Role.BOARD_STAFF, Role.EXAMS_OFFICER, Role.ADMIN, Role.USER
P = Permission

# Written by hand from the user guide and the contract; Y = allowed, - = refused (403).
# Columns: invite, resend_invite, delete, set_permissions, reset_sign_in, view
EXPECTED = """
actor          target         inv res del perm reset view
board_staff    exams_officer   Y   Y   Y   -    Y     Y
board_staff    admin           -   -   -   -    Y     Y
board_staff    user            -   -   -   -    Y     Y
exams_officer  exams_officer   -   -   -   -    -     Y
exams_officer  admin           Y   Y   Y   Y    Y     Y
exams_officer  user            Y   Y   Y   Y    Y     Y
admin          exams_officer   -   -   -   -    -     Y
admin          admin           Y   Y   Y   Y    Y     Y
admin          user            Y   Y   Y   Y    Y     Y
user           exams_officer   -   -   -   -    -     -
user           admin           -   -   -   -    -     -
user           user            -   -   -   -    -     -
"""
ACTIONS = [
    Action.INVITE,
    Action.RESEND_INVITE,
    Action.DELETE,
    Action.SET_PERMISSIONS,
    Action.RESET_SIGN_IN,
    Action.VIEW,
]


def _cells() -> list[tuple[Role, Role, Action, bool]]:
    cells = []
    for line in EXPECTED.strip().splitlines()[1:]:
        actor, target, *marks = line.split()
        for action, mark in zip(ACTIONS, marks, strict=True):
            cells.append((Role(actor), Role(target), action, mark == "Y"))
    return cells


def actor(role: Role, centre_id: str | None = "68001", **kwargs: object) -> Actor:
    centre = None if role is BS else centre_id
    permissions = kwargs.pop("permissions", DEFAULT_PERMISSIONS.get(role, frozenset()))
    return Actor(user_id=f"{role}-1", role=role, centre_id=centre, permissions=permissions)  # type: ignore[arg-type]


@pytest.mark.parametrize(("actor_role", "target_type", "action", "allowed"), _cells())
def test_every_actor_target_action_cell(
    actor_role: Role, target_type: Role, action: Action, allowed: bool
) -> None:
    # Given an actor and another account of the given type in the same centre
    target = Target(centre_id="68001", account_type=target_type, user_id="someone-else")

    # When the actor attempts the action, Then it is allowed or refused as the guide says
    if allowed:
        authorize(actor(actor_role), action, target)
    else:
        with pytest.raises(Forbidden):
            authorize(actor(actor_role), action, target)


def test_the_table_covers_every_cell() -> None:
    assert len(_cells()) == 4 * 3 * len(Action)


@pytest.mark.parametrize("role", [EO, AD, US])
@pytest.mark.parametrize("action", list(Action))
def test_nobody_acts_on_themself_except_to_view(role: Role, action: Action) -> None:
    me = actor(role)
    target = Target(centre_id="68001", account_type=role, user_id=me.user_id)

    if action is Action.VIEW:
        authorize(me, action, target)
    elif action is Action.DELETE:
        with pytest.raises(CannotDeleteSelf):
            authorize(me, action, target)
    else:
        with pytest.raises(Forbidden):
            authorize(me, action, target)


@pytest.mark.parametrize("role", [EO, AD, US])
@pytest.mark.parametrize("action", list(Action))
def test_another_centre_does_not_exist_for_a_member(role: Role, action: Action) -> None:
    target = Target(centre_id="99999", account_type=US, user_id="theirs")

    with pytest.raises(NotFound):
        authorize(actor(role), action, target)


def test_board_staff_reach_every_centre() -> None:
    authorize(actor(BS), Action.VIEW, Target(centre_id="99999", account_type=US, user_id="x"))


@pytest.mark.parametrize(
    ("role", "centre_id", "error"),
    [
        (BS, "68001", None),
        (EO, "68001", None),
        (AD, "68001", None),
        (US, "68001", Forbidden),
        (EO, "99999", NotFound),
        (US, "99999", NotFound),
    ],
)
def test_who_lists_members_and_reads_the_audit_log(
    role: Role, centre_id: str, error: type[Exception] | None
) -> None:
    if error is None:
        can_manage_centre(actor(role), centre_id)
    else:
        with pytest.raises(error):
            can_manage_centre(actor(role), centre_id)


# --- permissions ---------------------------------------------------------------------------


def test_default_permissions_per_type() -> None:
    assert DEFAULT_PERMISSIONS[EO] == ALL_PERMISSIONS
    assert DEFAULT_PERMISSIONS[AD] == ALL_PERMISSIONS
    assert DEFAULT_PERMISSIONS[US] == {P.RESOURCES}


@pytest.mark.parametrize(
    ("inviter_perms", "account_type", "requested", "expected"),
    [
        # A full-access inviter gives what is asked, plus resources, which everyone holds.
        (ALL_PERMISSIONS, US, {P.IAMIS}, {P.IAMIS, P.RESOURCES}),
        (ALL_PERMISSIONS, US, set(), {P.RESOURCES}),
        (ALL_PERMISSIONS, AD, {P.A2C_KEYS}, {P.A2C_KEYS, P.RESOURCES}),
        # Omitted permissions: the type's defaults, limited to what the inviter holds.
        (ALL_PERMISSIONS, AD, None, ALL_PERMISSIONS),
        ({P.RESOURCES, P.IAMIS}, AD, None, {P.RESOURCES, P.IAMIS}),
        (ALL_PERMISSIONS, US, None, {P.RESOURCES}),
    ],
)
def test_invite_permissions(
    inviter_perms: set[Permission],
    account_type: Role,
    requested: set[Permission] | None,
    expected: set[Permission],
) -> None:
    inviter = actor(AD, permissions=frozenset(inviter_perms))

    assert invite_permissions(inviter, account_type, requested) == expected


@pytest.mark.parametrize(
    ("inviter_perms", "account_type", "requested"),
    [
        (ALL_PERMISSIONS, US, {P.A2C_KEYS}),  # a2c_keys never goes to a user
        ({P.RESOURCES}, US, {P.IAMIS}),  # nobody grants what they do not hold
        ({P.RESOURCES, P.IAMIS}, AD, {P.IAMIS, P.VIEW_SCRIPTS}),
    ],
)
def test_invite_refuses_grants_the_inviter_cannot_make(
    inviter_perms: set[Permission], account_type: Role, requested: set[Permission]
) -> None:
    inviter = actor(EO, permissions=frozenset(inviter_perms))

    with pytest.raises(CannotGrant):
        invite_permissions(inviter, account_type, requested)


def test_board_staff_inviting_an_exams_officer_gives_every_permission() -> None:
    assert invite_permissions(actor(BS), EO, None) == ALL_PERMISSIONS


@pytest.mark.parametrize(
    ("actor_role", "actor_perms", "target_type", "current", "requested", "outcome"),
    [
        (EO, ALL_PERMISSIONS, US, {P.RESOURCES}, {P.IAMIS}, {P.IAMIS, P.RESOURCES}),
        (EO, ALL_PERMISSIONS, AD, ALL_PERMISSIONS, {P.IAMIS}, {P.IAMIS, P.RESOURCES}),
        (AD, ALL_PERMISSIONS, AD, {P.RESOURCES}, ALL_PERMISSIONS, ALL_PERMISSIONS),
        # Removing a permission the actor lacks is allowed; adding one is not.
        (AD, {P.RESOURCES}, US, {P.RESOURCES, P.IAMIS}, {P.RESOURCES}, {P.RESOURCES}),
        (AD, {P.RESOURCES}, US, {P.RESOURCES}, {P.IAMIS}, CannotGrant),
        # Keeping a permission the actor lacks is not a grant.
        (AD, {P.RESOURCES}, US, {P.IAMIS}, {P.IAMIS}, {P.IAMIS, P.RESOURCES}),
        (EO, ALL_PERMISSIONS, US, {P.RESOURCES}, {P.A2C_KEYS}, CannotGrant),
        # The exams officer's permissions never change, whoever asks.
        (AD, ALL_PERMISSIONS, EO, ALL_PERMISSIONS, {P.RESOURCES}, Forbidden),
        (BS, frozenset(), EO, ALL_PERMISSIONS, {P.RESOURCES}, Forbidden),
        (US, {P.RESOURCES}, US, {P.RESOURCES}, {P.RESOURCES}, Forbidden),
    ],
)
def test_permission_changes(
    actor_role: Role,
    actor_perms: frozenset[Permission],
    target_type: Role,
    current: set[Permission],
    requested: set[Permission],
    outcome: set[Permission] | type[Exception],
) -> None:
    changer = actor(actor_role, permissions=frozenset(actor_perms))
    target = Target(centre_id="68001", account_type=target_type, user_id="target")

    if isinstance(outcome, type):
        with pytest.raises(outcome):
            change_permissions(changer, target, current, requested)
    else:
        assert change_permissions(changer, target, current, requested) == outcome


@pytest.mark.parametrize(
    ("role", "permission", "level"),
    [
        (EO, P.ENTRIES_RESULTS, "make"),
        (AD, P.ENTRIES_RESULTS, "make"),
        (US, P.ENTRIES_RESULTS, "view"),
        (US, P.IAMIS, "submit"),
        (US, P.ACCESS_ARRANGEMENTS, "manage"),
        (US, P.VIEW_SCRIPTS, "view"),
        (AD, P.A2C_KEYS, "view"),
        (US, P.A2C_KEYS, None),
        (US, P.RESOURCES, "view"),
    ],
)
def test_access_level_per_type_and_service(
    role: Role, permission: Permission, level: str | None
) -> None:
    assert access_level(role, permission, ALL_PERMISSIONS) == level


def test_no_access_level_without_the_permission() -> None:
    assert access_level(AD, P.IAMIS, {P.RESOURCES}) is None
