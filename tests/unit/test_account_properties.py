"""Property-based: no sequence of invites, grants, removals and deletions breaks the rules.

Hypothesis drives the real use cases (MemberManagement) over an in-memory store that applies
the DynamoDB store's conditions, and checks after every step that no centre has more than 3
admins or more than one exams officer, no user holds a2c_keys, and every permission a member
gained was held by whoever granted it.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from shared.domain.accounts import MAX_ADMINS_PER_CENTRE, Permission, Role
from shared.domain.errors import PortalError
from shared.domain.management import Invitation, MemberManagement
from shared.domain.members import ACTIVE, Member
from tests.support.memory import MemoryDirectory, MemoryStore

CENTRES = ("68001", "68002")
DOMAIN = {"68001": "one.example", "68002": "two.example"}
PERMISSION_SETS = st.frozensets(st.sampled_from(list(Permission)))
INVITABLE = st.sampled_from([Role.ADMIN, Role.USER])


class CentreLife(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = MemoryStore()
        self.directory = MemoryDirectory()
        self.portal = MemberManagement(
            self.store, self.directory, clock=lambda: datetime(2026, 9, 1, tzinfo=UTC)
        )
        self.board = Member("board", "b@board.example", Role.BOARD_STAFF, "B", "S", status=ACTIVE)
        self.store.add_board_staff(self.board)
        self.directory.users[self.board.email] = self.board.user_id
        for centre_id in CENTRES:
            self.portal.create_centre(self.board, centre_id, centre_id, [DOMAIN[centre_id]], False)
        self.serial = 0
        # Each member's permissions, as granted so far; checked against the grantor each step.
        self.violations: list[str] = []

    def _someone(self, data: st.DataObject) -> Member:
        people = [self.board, *self.store.members.values()]
        return data.draw(st.sampled_from(sorted(people, key=lambda m: m.user_id)))

    def _check_grant(self, actor: Member, before: frozenset, after: frozenset) -> None:
        added = after - before - {Permission.RESOURCES}
        if actor.account_type is not Role.BOARD_STAFF and not added <= actor.permissions:
            self.violations.append(f"{actor.user_id} granted {sorted(added)} without holding it")

    @rule(data=st.data(), centre=st.sampled_from(CENTRES))
    def invite_exams_officer(self, data: st.DataObject, centre: str) -> None:
        self.serial += 1
        invitation = Invitation(
            f"eo{self.serial}@{DOMAIN[centre]}", "E", "O", "en", Role.EXAMS_OFFICER
        )
        with contextlib.suppress(PortalError):
            self.portal.invite(self.board, centre, invitation)

    @rule(
        data=st.data(),
        centre=st.sampled_from(CENTRES),
        account_type=INVITABLE,
        permissions=st.none() | PERMISSION_SETS,
    )
    def invite(
        self, data: st.DataObject, centre: str, account_type: Role, permissions: frozenset | None
    ) -> None:
        actor = self._someone(data)
        self.serial += 1
        invitation = Invitation(
            f"m{self.serial}@{DOMAIN[centre]}", "M", "N", "cy", account_type, permissions
        )
        try:
            member = self.portal.invite(actor, centre, invitation)
        except PortalError:
            return
        self._check_grant(actor, frozenset(), member.permissions)

    @precondition(lambda self: bool(self.store.members))
    @rule(data=st.data(), permissions=PERMISSION_SETS)
    def set_permissions(self, data: st.DataObject, permissions: frozenset) -> None:
        actor = self._someone(data)
        target = self._someone(data)
        if target.centre_id is None:
            return
        try:
            updated = self.portal.set_permissions(
                actor, target.centre_id, target.user_id, permissions
            )
        except PortalError:
            return
        self._check_grant(actor, target.permissions, updated.permissions)

    @precondition(lambda self: bool(self.store.members))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        actor = self._someone(data)
        target = self._someone(data)
        if target.centre_id is None:
            return
        with contextlib.suppress(PortalError):
            self.portal.delete(actor, target.centre_id, target.user_id)

    @invariant()
    def at_most_three_admins_and_one_exams_officer(self) -> None:
        for centre in CENTRES:
            members = [m for m in self.store.members.values() if m.centre_id == centre]
            assert sum(m.account_type is Role.ADMIN for m in members) <= MAX_ADMINS_PER_CENTRE
            assert sum(m.account_type is Role.EXAMS_OFFICER for m in members) <= 1

    @invariant()
    def no_user_holds_a2c_keys(self) -> None:
        for member in self.store.members.values():
            if member.account_type is Role.USER:
                assert Permission.A2C_KEYS not in member.permissions

    @invariant()
    def every_gain_was_granted_by_a_holder(self) -> None:
        assert self.violations == []

    @invariant()
    def every_account_has_a_record_and_every_record_an_account(self) -> None:
        recorded = {m.email for m in self.store.members.values()}
        assert recorded == set(self.directory.users)


CentreLife.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCentreLife = CentreLife.TestCase
