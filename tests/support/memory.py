"""In-memory Store and Directory with DynamoDB's and Cognito's semantics, for property tests."""

from __future__ import annotations

import itertools
from dataclasses import replace

from shared.domain.accounts import MAX_ADMINS_PER_CENTRE, Role
from shared.domain.errors import (
    AdminLimitReached,
    Conflict,
    ExamsOfficerExists,
    NotFound,
    UserExists,
)
from shared.domain.members import AuditEvent, Centre, Member, Page


class MemoryStore:
    """Each method is atomic and applies the same conditions as the DynamoDB store."""

    def __init__(self) -> None:
        self.members: dict[str, Member] = {}
        self.centres: dict[str, Centre] = {}
        self.emails: dict[str, str | None] = {}
        self.events: list[AuditEvent] = []

    def get_member(self, user_id: str) -> Member | None:
        return self.members.get(user_id)

    def get_centre(self, centre_id: str) -> Centre | None:
        return self.centres.get(centre_id)

    def create_centre(self, centre: Centre, event: AuditEvent) -> None:
        if centre.centre_id in self.centres:
            raise Conflict("centre_exists")
        self.centres[centre.centre_id] = centre
        self.events.append(event)

    def update_centre(self, centre: Centre, event: AuditEvent) -> None:
        self.centres[centre.centre_id] = centre
        self.events.append(event)

    def _seat(self, centre_id: str, account_type: Role, delta: int) -> None:
        centre = self.centres[centre_id]
        if account_type is Role.EXAMS_OFFICER:
            self.centres[centre_id] = replace(
                centre, exams_officer_id="pending" if delta > 0 else None
            )
        elif account_type is Role.ADMIN:
            self.centres[centre_id] = replace(centre, admin_count=centre.admin_count + delta)
        else:
            self.centres[centre_id] = replace(centre, user_count=centre.user_count + delta)

    def reserve_invite(self, centre_id: str, email: str, account_type: Role) -> None:
        centre = self.centres.get(centre_id)
        if email in self.emails:
            raise UserExists()
        if centre is None:
            raise NotFound()
        if account_type is Role.EXAMS_OFFICER and centre.exams_officer_id is not None:
            raise ExamsOfficerExists()
        if account_type is Role.ADMIN and centre.admin_count >= MAX_ADMINS_PER_CENTRE:
            raise AdminLimitReached()
        self.emails[email] = None
        self._seat(centre_id, account_type, +1)

    def release_invite(self, centre_id: str, email: str, account_type: Role) -> None:
        self.emails.pop(email, None)
        self._seat(centre_id, account_type, -1)

    def commit_member(self, member: Member, event: AuditEvent) -> None:
        self.members[member.user_id] = member
        self.emails[member.email] = member.user_id
        if member.account_type is Role.EXAMS_OFFICER and member.centre_id:
            centre = self.centres[member.centre_id]
            self.centres[member.centre_id] = replace(centre, exams_officer_id=member.user_id)
        self.events.append(event)

    def save_member(self, before: Member, after: Member, event: AuditEvent) -> None:
        current = self.members.get(before.user_id)
        if current is None or current.version != before.version:
            raise Conflict()
        self.members[after.user_id] = after
        self.events.append(event)

    def delete_member(self, member: Member, event: AuditEvent) -> None:
        current = self.members.get(member.user_id)
        if current is None or current.version != member.version:
            raise Conflict()
        del self.members[member.user_id]
        self.emails.pop(member.email, None)
        if member.centre_id:
            self._seat(member.centre_id, member.account_type, -1)
        self.events.append(event)

    def restore_member(self, member: Member, event: AuditEvent) -> None:
        self.members[member.user_id] = member
        self.emails[member.email] = member.user_id
        if member.centre_id:
            self._seat(member.centre_id, member.account_type, +1)
        self.remove_event(event)

    def remove_event(self, event: AuditEvent) -> None:
        self.events = [e for e in self.events if e.event_id != event.event_id]

    def add_board_staff(self, member: Member) -> None:
        if member.email in self.emails:
            raise UserExists()
        self.emails[member.email] = member.user_id
        self.members[member.user_id] = member

    def list_members(self, centre_id: str, limit: int, cursor: str | None) -> Page:
        members = [m for m in self.members.values() if m.centre_id == centre_id]
        return Page(members[:limit], None)

    def list_audit(self, centre_id: str, limit: int, cursor: str | None) -> Page:
        events = [e for e in reversed(self.events) if e.centre_id == centre_id]
        return Page(events[:limit], None)


class MemoryDirectory:
    """Accounts by email; Cognito refuses a second account for the same address."""

    def __init__(self) -> None:
        self.users: dict[str, str] = {}
        self._ids = itertools.count(1)

    def create_user(self, member: Member, *, inviter_name: str, centre_name: str | None) -> str:
        if member.email in self.users:
            raise UserExists()
        user_id = f"sub-{next(self._ids)}"
        self.users[member.email] = user_id
        return user_id

    def resend_invite(self, member: Member, *, inviter_name: str, centre_name: str | None) -> None:
        if member.email not in self.users:
            raise NotFound()

    def reset_sign_in(
        self, member: Member, *, inviter_name: str, centre_name: str | None, remove_phone: bool
    ) -> None:
        self.resend_invite(member, inviter_name=inviter_name, centre_name=centre_name)

    def delete_user(self, email: str) -> None:
        self.users.pop(email, None)

    def add_to_group(self, email: str, group: str) -> None:
        if email not in self.users:
            raise NotFound()
