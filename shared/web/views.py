"""Records as the contract shows them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shared.domain.members import AuditEvent, Centre, Member


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def member_view(member: Member, now: datetime) -> dict[str, Any]:
    return {
        "user_id": member.user_id,
        "centre_id": member.centre_id,
        "email": member.email,
        "title": member.title,
        "first_name": member.first_name,
        "middle_name": member.middle_name,
        "surname": member.surname,
        "job_role": member.job_role,
        "language": member.language,
        "phone": member.phone,
        "account_type": str(member.account_type),
        "permissions": sorted(str(p) for p in member.permissions),
        "status": member.status_at(now),
        "invited_by": member.invited_by,
        "invited_at": iso(member.invited_at),
        "invite_expires_at": iso(member.invite_expires_at),
        "mfa": {"preferred": member.mfa_preferred, "enabled": list(member.mfa_enabled)},
    }


def centre_view(centre: Centre) -> dict[str, Any]:
    return {
        "centre_id": centre.centre_id,
        "name": centre.name,
        "email_domains": list(centre.email_domains),
        "allow_subdomains": centre.allow_subdomains,
        "member_counts": {
            "exams_officer": 1 if centre.exams_officer_id else 0,
            "admin": centre.admin_count,
            "user": centre.user_count,
        },
    }


def event_view(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": iso(event.at),
        "actor": event.actor,
        "action": event.action,
        "target": event.target,
        "details": event.details,
    }
