"""The Directory port on Cognito: accounts, temporary passwords, MFA reset and sign-out."""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from contextlib import suppress
from typing import Any

from shared.adapters.aws import client, config
from shared.domain.errors import UserExists
from shared.domain.members import Member


def _metadata(member: Member, inviter_name: str, centre_name: str | None) -> dict[str, str]:
    """What the custom message trigger words the invite with (Cognito passes it through)."""
    metadata = {"inviter_name": inviter_name, "account_type": str(member.account_type)}
    if member.centre_id:
        metadata["centre_id"] = member.centre_id
    if centre_name:
        metadata["centre_name"] = centre_name
    return metadata


# Symbols Cognito accepts that also survive HTML email, copy and paste and URL-encoding
# unchanged: no <, >, &, quotes or spaces, which a mail client could render or mangle.
TEMPORARY_PASSWORD_SYMBOLS = "^$*.!@#%-_=+"


def temporary_password(length: int = 20) -> str:
    """A password that meets any Cognito policy: each character class at least once."""
    classes = [
        string.ascii_lowercase,
        string.ascii_uppercase,
        string.digits,
        TEMPORARY_PASSWORD_SYMBOLS,
    ]
    chars = [secrets.choice(group) for group in classes]
    alphabet = "".join(classes)
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


class CognitoDirectory:
    """Every call names the pool explicitly; usernames are the member's email address."""

    def __init__(self, user_pool_id: str | None = None) -> None:
        self._pool = user_pool_id or config().user_pool_id

    @property
    def _idp(self) -> Any:
        return client("cognito-idp")

    def create_user(self, member: Member, *, inviter_name: str, centre_name: str | None) -> str:
        """Create the account; Cognito emails the temporary password through the trigger."""
        attributes = [
            {"Name": "email", "Value": member.email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "locale", "Value": member.language},
            {"Name": "given_name", "Value": member.first_name},
            {"Name": "family_name", "Value": member.surname},
        ]
        try:
            created = self._idp.admin_create_user(
                UserPoolId=self._pool,
                Username=member.email,
                # Chosen here rather than by Cognito, whose symbols include < > & that an HTML
                # invite email can swallow; the member sees it only in that email.
                TemporaryPassword=temporary_password(),
                UserAttributes=attributes,
                DesiredDeliveryMediums=["EMAIL"],
                ClientMetadata=_metadata(member, inviter_name, centre_name),
            )
        except self._idp.exceptions.UsernameExistsException as error:
            raise UserExists() from error
        values = {a["Name"]: a["Value"] for a in created["User"].get("Attributes", [])}
        return str(values.get("sub") or created["User"]["Username"])

    def resend_invite(self, member: Member, *, inviter_name: str, centre_name: str | None) -> None:
        """A fresh temporary password for the same account, and a fresh Cognito validity."""
        self._idp.admin_create_user(
            UserPoolId=self._pool,
            Username=member.email,
            MessageAction="RESEND",
            TemporaryPassword=temporary_password(),
            DesiredDeliveryMediums=["EMAIL"],
            ClientMetadata=_metadata(member, inviter_name, centre_name),
        )

    def reset_sign_in(
        self, member: Member, *, inviter_name: str, centre_name: str | None, remove_phone: bool
    ) -> None:
        """Back to first sign-in: a temporary password emailed; MFA, phone and sessions cleared.

        Setting a non-permanent password puts the account in FORCE_CHANGE_PASSWORD, the state
        in which Cognito will resend an invite; the password set here is never shown to anyone,
        because the resend replaces it with the one that is emailed.
        """
        self._idp.admin_set_user_password(
            UserPoolId=self._pool,
            Username=member.email,
            Password=temporary_password(),
            Permanent=False,
        )
        self._idp.admin_set_user_mfa_preference(
            UserPoolId=self._pool,
            Username=member.email,
            SMSMfaSettings={"Enabled": False, "PreferredMfa": False},
            SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False},
            EmailMfaSettings={"Enabled": False, "PreferredMfa": False},
        )
        if remove_phone:
            self._remove_phone(member.email)
        self._idp.admin_user_global_sign_out(UserPoolId=self._pool, Username=member.email)
        self.resend_invite(member, inviter_name=inviter_name, centre_name=centre_name)

    def _remove_phone(self, email: str) -> None:
        """Remove the account's phone, so that Cognito asks for MFA set-up, not an SMS code.

        While a number is on the account, Cognito sends SMS codes to it: a member who lost that
        phone would stay locked out. The request names only a standard attribute, so the one way
        it is invalid is a number already removed by an earlier attempt of the same reset.
        """
        with suppress(self._idp.exceptions.InvalidParameterException):
            self._idp.admin_delete_user_attributes(
                UserPoolId=self._pool, Username=email, UserAttributeNames=["phone_number"]
            )

    def add_to_group(self, email: str, group: str) -> None:
        self._idp.admin_add_user_to_group(UserPoolId=self._pool, Username=email, GroupName=group)

    def update_attributes(self, email: str, attributes: Mapping[str, str | None]) -> None:
        """Set the attributes with a value and delete the ones given as None."""
        updates = [{"Name": n, "Value": v} for n, v in attributes.items() if v is not None]
        removals = [name for name, value in attributes.items() if value is None]
        if updates:
            self._idp.admin_update_user_attributes(
                UserPoolId=self._pool, Username=email, UserAttributes=updates
            )
        if removals:
            self._idp.admin_delete_user_attributes(
                UserPoolId=self._pool, Username=email, UserAttributeNames=removals
            )

    def delete_user(self, email: str) -> None:
        """Sign the account out everywhere and delete it; an account already gone is fine."""
        try:
            self._idp.admin_user_global_sign_out(UserPoolId=self._pool, Username=email)
            self._idp.admin_delete_user(UserPoolId=self._pool, Username=email)
        except self._idp.exceptions.UserNotFoundException:
            return
