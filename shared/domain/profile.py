"""The signed-in member's own profile: title, names, job role, language and phone.

DynamoDB holds the profile; Cognito mirrors the names, the locale (the language its messages
are worded in) and the phone number (SMS MFA and recovery). Both change together or neither:
the record is saved first, on the version it was read at, and put back if Cognito refuses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from shared.domain.errors import EmailImmutable, InvalidInput, InvalidPhone
from shared.domain.management import undo_on_failure
from shared.domain.members import Centre, Member, audit_event
from shared.domain.ports import Directory, Store

logger = logging.getLogger(__name__)

EDITABLE = ("title", "first_name", "middle_name", "surname", "job_role", "language", "phone")
REQUIRED = ("first_name", "surname", "language")
# The member's field and the Cognito attribute that mirrors it.
MIRRORED = {
    "first_name": "given_name",
    "middle_name": "middle_name",
    "surname": "family_name",
    "language": "locale",
    "phone": "phone_number",
}
# Board staff belong to no centre; their profile changes are audited under this partition.


def normalise_phone(number: str, country_code: str | None = None) -> str:
    """A phone number in E.164, from a full international number or a country code and number.

    `country_code` is the calling code (`+44`, `44`) or a region (`GB`); without it, a number
    without `+` is read as a UK number. InvalidPhone when it is not a number that can exist.
    """
    import phonenumbers  # noqa: PLC0415 - only a profile change needs it

    code = (country_code or "GB").strip().lstrip("+")
    region = phonenumbers.region_code_for_country_code(int(code)) if code.isdigit() else code
    try:
        parsed = phonenumbers.parse(number.strip(), region.upper())
    except phonenumbers.NumberParseException as error:
        raise InvalidPhone() from error
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhone()
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _mirror(member: Member, attributes: Mapping[str, str]) -> dict[str, str | None]:
    """The Cognito values `member` had for these attributes, to put back after a failed change.

    A number put back was verified before only if the member used it for SMS codes; any other
    old number comes back unverified, and the member verifies it again to use it for SMS.
    """
    fields = {attribute: field for field, attribute in MIRRORED.items()}
    previous: dict[str, str | None] = {
        name: getattr(member, fields[name]) for name in attributes if name in fields
    }
    if "phone_number_verified" in attributes and member.phone is not None:
        previous["phone_number_verified"] = "true" if "sms" in member.mfa_enabled else "false"
    return previous


class Profiles:
    """Reading and editing the caller's own profile."""

    def __init__(
        self, store: Store, directory: Directory, clock: Callable[[], datetime] = _utc_now
    ) -> None:
        self.store = store
        self.directory = directory
        self.clock = clock

    def me(self, caller: Member) -> tuple[Member, Centre | None]:
        """The caller with their centre; board staff have none."""
        centre = self.store.get_centre(caller.centre_id) if caller.centre_id else None
        return caller, centre

    def update(self, caller: Member, changes: Mapping[str, Any]) -> Member:
        """Apply `changes` (only the fields the member sent) to DynamoDB and Cognito together.

        `phone` is E.164 already, or a mapping with `country_code` and `number`; None removes it.
        """
        if "email" in changes:
            raise EmailImmutable()
        for key in REQUIRED:
            if key in changes and changes[key] is None:
                raise InvalidInput(field=key)
        wanted = {key: value for key, value in changes.items() if key in EDITABLE}
        if isinstance(wanted.get("phone"), Mapping):
            phone = wanted["phone"]
            wanted["phone"] = normalise_phone(phone["number"], phone.get("country_code"))
        elif isinstance(wanted.get("phone"), str):
            wanted["phone"] = normalise_phone(wanted["phone"])
        changed = {key: value for key, value in wanted.items() if getattr(caller, key) != value}
        if not changed:
            return caller

        after = caller.evolve(**changed)
        event = audit_event(
            caller,
            "update_profile",
            self.clock(),
            target=caller.user_id,
            # Which fields changed, not their values: a phone number is personal data.
            fields=sorted(changed),
        )
        attributes = {MIRRORED[key]: changed[key] for key in changed if key in MIRRORED}
        if "phone" in changed and changed["phone"] is not None:
            # A new number is unverified until the member proves they hold it.
            attributes["phone_number_verified"] = "false"
        updates = {name: value for name, value in attributes.items() if value is not None}
        removals = {name: value for name, value in attributes.items() if value is None}
        self.store.save_member(caller, after, event)
        with undo_on_failure() as undo:
            restored = replace(caller, version=after.version + 1)
            undo.append(lambda: self.store.remove_event(event))
            undo.append(lambda: self.store.save_member(after, restored, event))
            # Setting and deleting attributes are two Cognito requests: if the deletion fails,
            # the values already set are put back, so Cognito still mirrors the record.
            if updates:
                self.directory.update_attributes(caller.email, updates)
                undo.append(
                    lambda: self.directory.update_attributes(caller.email, _mirror(caller, updates))
                )
            if removals:
                self.directory.update_attributes(caller.email, removals)
        logger.info(
            "profile updated",
            extra={"user_id": caller.user_id, "fields": sorted(changed)},
        )
        return after
