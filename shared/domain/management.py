"""Use cases of centre member management: invite, list, permissions, resend, reset, delete.

Invites and deletions touch two stores, DynamoDB (membership) and Cognito (credentials).
Each use case orders its steps so the member-visible state never disagrees: the step that
can be undone goes first, and a failure after it runs the recorded undo steps in reverse.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from shared.domain.accounts import (
    Action,
    Permission,
    Role,
    Target,
    authorize,
    can_manage_centre,
    change_permissions,
    check_centre,
    invite_permissions,
)
from shared.domain.email_policy import check_centre_domains, check_centre_email
from shared.domain.errors import Conflict, Forbidden, NotFound
from shared.domain.invites import invite_expires_at
from shared.domain.members import (
    ACTIVE,
    INVITED,
    AuditEvent,
    Centre,
    Member,
    Page,
    audit_event,
)
from shared.domain.ports import Directory, Store
from shared.settings import BOARD_STAFF_GROUP

logger = logging.getLogger(__name__)


@contextmanager
def undo_on_failure() -> Iterator[list[Callable[[], Any]]]:
    """Collect undo steps; if the block fails, run them newest first, then re-raise."""
    steps: list[Callable[[], Any]] = []
    try:
        yield steps
    except BaseException:
        for step in reversed(steps):
            try:
                step()
            except Exception:
                # The original failure is what the caller must see; this one is for operators.
                logger.exception("compensation failed")
        raise


@dataclass(frozen=True)
class Invitation:
    email: str
    first_name: str
    surname: str
    language: str
    account_type: Role
    permissions: frozenset[Permission] | None = None


def _utc_now() -> datetime:
    return datetime.now(UTC)


class MemberManagement:
    """Every method takes the caller as read from DynamoDB on this request."""

    def __init__(
        self,
        store: Store,
        directory: Directory,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.store = store
        self.directory = directory
        self.clock = clock

    # --- helpers -------------------------------------------------------------------------

    def _event(
        self, centre_id: str, caller: Member, action: str, target: str | None, **details: Any
    ) -> AuditEvent:
        return audit_event(
            caller, action, self.clock(), centre_id=centre_id, target=target, **details
        )

    def _centre(self, centre_id: str) -> Centre:
        centre = self.store.get_centre(centre_id)
        if centre is None:
            raise NotFound()
        return centre

    def _member_in(self, caller: Member, centre_id: str, user_id: str) -> Member:
        """The member of this centre, after the caller's own centre is checked."""
        check_centre(caller.as_actor(), centre_id)
        member = self.store.get_member(user_id)
        if member is None or member.centre_id != centre_id:
            raise NotFound()
        return member

    # --- centres (board staff) -----------------------------------------------------------

    def create_centre(
        self, caller: Member, centre_id: str, name: str, domains: Iterable[str], subdomains: bool
    ) -> Centre:
        if caller.account_type is not Role.BOARD_STAFF:
            raise Forbidden()
        centre = Centre(centre_id, name, tuple(check_centre_domains(domains)), subdomains)
        event = self._event(centre_id, caller, "create_centre", None, name=name)
        self.store.create_centre(centre, event)
        return centre

    def get_centre(self, caller: Member, centre_id: str) -> Centre:
        check_centre(caller.as_actor(), centre_id)
        return self._centre(centre_id)

    def update_centre(
        self,
        caller: Member,
        centre_id: str,
        name: str | None,
        domains: Iterable[str] | None,
        subdomains: bool | None,
    ) -> Centre:
        if caller.account_type is not Role.BOARD_STAFF:
            raise Forbidden()
        centre = self._centre(centre_id)
        updated = replace(
            centre,
            name=centre.name if name is None else name,
            email_domains=centre.email_domains
            if domains is None
            else tuple(check_centre_domains(domains)),
            allow_subdomains=centre.allow_subdomains if subdomains is None else subdomains,
        )
        details = {"name": updated.name, "email_domains": list(updated.email_domains)}
        self.store.update_centre(
            updated, self._event(centre_id, caller, "update_centre", None, **details)
        )
        return updated

    # --- invites -------------------------------------------------------------------------

    def invite(self, caller: Member, centre_id: str, invitation: Invitation) -> Member:
        """Reserve the address and seat, create the Cognito account, then record the member."""
        actor = caller.as_actor()
        authorize(actor, Action.INVITE, Target(centre_id, invitation.account_type))
        centre = self._centre(centre_id)
        email = check_centre_email(
            invitation.email, centre.email_domains, allow_subdomains=centre.allow_subdomains
        )
        permissions = invite_permissions(actor, invitation.account_type, invitation.permissions)
        now = self.clock()
        draft = Member(
            user_id="",
            email=email,
            account_type=invitation.account_type,
            first_name=invitation.first_name,
            surname=invitation.surname,
            language=invitation.language,
            centre_id=centre_id,
            permissions=permissions,
            status=INVITED,
            invited_by=caller.user_id,
            invited_at=now,
            invite_expires_at=invite_expires_at(now),
        )
        self.store.reserve_invite(centre_id, email, invitation.account_type)
        with undo_on_failure() as undo:
            undo.append(lambda: self.store.release_invite(centre_id, email, draft.account_type))
            user_id = self.directory.create_user(
                draft, inviter_name=caller.display_name, centre_name=centre.name
            )
            undo.append(lambda: self.directory.delete_user(email))
            member = replace(draft, user_id=user_id)
            event = self._event(
                centre_id,
                caller,
                "invite",
                user_id,
                account_type=str(member.account_type),
                permissions=sorted(permissions),
            )
            self.store.commit_member(member, event)
        logger.info("member invited", extra={"centre_id": centre_id, "user_id": user_id})
        return member

    def resend_invite(self, caller: Member, centre_id: str, user_id: str) -> Member:
        member = self._member_in(caller, centre_id, user_id)
        authorize(caller.as_actor(), Action.RESEND_INVITE, member.as_target())
        if member.status == ACTIVE:
            raise Conflict("already_active")
        now = self.clock()
        renewed = member.evolve(invited_at=now, invite_expires_at=invite_expires_at(now))
        return self._change_then_tell_directory(
            caller,
            member,
            renewed,
            "resend_invite",
            self.directory.resend_invite,
            invite_expires_at=renewed.invite_expires_at.isoformat()
            if renewed.invite_expires_at
            else None,
        )

    def reset_sign_in(self, caller: Member, centre_id: str, user_id: str) -> Member:
        member = self._member_in(caller, centre_id, user_id)
        authorize(caller.as_actor(), Action.RESET_SIGN_IN, member.as_target())
        now = self.clock()
        reset = member.evolve(
            status=INVITED,
            invited_at=now,
            invite_expires_at=invite_expires_at(now),
            mfa_preferred=None,
            mfa_enabled=(),
            # The phone goes with the MFA: it is entered again when SMS is set up again.
            phone=None,
        )
        # A phone on the account goes with the MFA; a member without one costs no extra request.
        remove_phone = member.phone is not None or "sms" in member.mfa_enabled
        return self._change_then_tell_directory(
            caller,
            member,
            reset,
            "reset_sign_in",
            partial(self.directory.reset_sign_in, remove_phone=remove_phone),
        )

    def _change_then_tell_directory(
        self,
        caller: Member,
        before: Member,
        after: Member,
        action: str,
        directory_call: Callable[..., None],
        **details: Any,
    ) -> Member:
        """Save the record and its audit event, then call Cognito; undo the save if it fails."""
        centre_id = before.centre_id or ""
        centre = self.store.get_centre(centre_id)
        event = self._event(centre_id, caller, action, before.user_id, **details)
        self.store.save_member(before, after, event)
        with undo_on_failure() as undo:
            restored = replace(before, version=after.version + 1)
            # Undo runs newest first, and save_member writes the event again with the record:
            # the event's removal is appended first so that it runs last.
            undo.append(lambda: self.store.remove_event(event))
            undo.append(lambda: self.store.save_member(after, restored, event))
            directory_call(
                after,
                inviter_name=caller.display_name,
                centre_name=centre.name if centre else None,
            )
        return after

    # --- permissions, deletion -----------------------------------------------------------

    def set_permissions(
        self, caller: Member, centre_id: str, user_id: str, requested: Iterable[Permission]
    ) -> Member:
        member = self._member_in(caller, centre_id, user_id)
        permissions = change_permissions(
            caller.as_actor(), member.as_target(), member.permissions, requested
        )
        updated = member.evolve(permissions=permissions)
        event = self._event(
            centre_id,
            caller,
            "set_permissions",
            user_id,
            before=sorted(member.permissions),
            after=sorted(permissions),
        )
        self.store.save_member(member, updated, event)
        return updated

    def delete(self, caller: Member, centre_id: str, user_id: str) -> None:
        """Remove the record first (the member is refused from then on), then the account."""
        member = self._member_in(caller, centre_id, user_id)
        authorize(caller.as_actor(), Action.DELETE, member.as_target())
        event = self._event(
            centre_id, caller, "delete", user_id, account_type=str(member.account_type)
        )
        self.store.delete_member(member, event)
        with undo_on_failure() as undo:
            undo.append(lambda: self.store.restore_member(member, event))
            self.directory.delete_user(member.email)
        logger.info("member deleted", extra={"centre_id": centre_id, "user_id": user_id})

    def delete_exams_officer(self, caller: Member, centre_id: str) -> None:
        centre = self._centre(centre_id)
        if caller.account_type is not Role.BOARD_STAFF:
            raise Forbidden()
        if centre.exams_officer_id is None:
            raise NotFound()
        self.delete(caller, centre_id, centre.exams_officer_id)

    # --- bootstrap -------------------------------------------------------------------------

    def add_board_staff(
        self, email: str, first_name: str, surname: str, board_domains: Iterable[str]
    ) -> Member:
        """Invite a board staff member: the operator's way in, since nobody can sign up."""
        address = check_centre_email(email, board_domains)
        now = self.clock()
        draft = Member(
            user_id="",
            email=address,
            account_type=Role.BOARD_STAFF,
            first_name=first_name,
            surname=surname,
            invited_at=now,
            invite_expires_at=invite_expires_at(now),
        )
        user_id = self.directory.create_user(draft, inviter_name="", centre_name=None)
        with undo_on_failure() as undo:
            undo.append(lambda: self.directory.delete_user(address))
            self.directory.add_to_group(address, BOARD_STAFF_GROUP)
            member = replace(draft, user_id=user_id)
            self.store.add_board_staff(member)
        logger.info("board staff invited", extra={"user_id": user_id})
        return member

    # --- reads ---------------------------------------------------------------------------

    def view_member(self, caller: Member, centre_id: str, user_id: str) -> Member:
        member = self._member_in(caller, centre_id, user_id)
        authorize(caller.as_actor(), Action.VIEW, member.as_target())
        return member

    def list_members(self, caller: Member, centre_id: str, limit: int, cursor: str | None) -> Page:
        can_manage_centre(caller.as_actor(), centre_id)
        return self._existing(caller, centre_id, self.store.list_members(centre_id, limit, cursor))

    def list_audit(self, caller: Member, centre_id: str, limit: int, cursor: str | None) -> Page:
        can_manage_centre(caller.as_actor(), centre_id)
        return self._existing(caller, centre_id, self.store.list_audit(centre_id, limit, cursor))

    def _existing(self, caller: Member, centre_id: str, page: Page) -> Page:
        """An empty page for board staff may mean no such centre: only then read the centre.

        A member's own centre exists; board staff reach any centre id, and an unknown one is
        404. Checking only on an empty page keeps a listing at two requests in the usual case.
        """
        if caller.account_type is Role.BOARD_STAFF and not page.items:
            self._centre(centre_id)
        return page
