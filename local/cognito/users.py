"""User lookups, sign-up and attribute verification, as the Cognito documentation describes."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from moto.cognitoidp.exceptions import AliasExistsException
from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUser, CognitoIdpUserPool

from local.cognito.clock import clock
from local.cognito.errors import code_mismatch, expired_code, invalid_parameter, not_authorized
from local.cognito.lookup import pool_for_client, user_for_access_token
from local.cognito.messages import deliver, delivery_details
from local.cognito.passwords import code
from local.cognito.patching import patcher
from local.cognito.state import request_parameters, user_state

# Cognito's attribute verification codes are valid for 24 hours.
ATTRIBUTE_CODE_LIFETIME = timedelta(hours=24)
_VERIFIABLE = {"email": "EMAIL", "phone_number": "SMS"}


def case_insensitive(pool: CognitoIdpUserPool) -> bool:
    """Whether the pool was created with UsernameConfiguration CaseSensitive false."""
    return (pool.extended_config.get("UsernameConfiguration") or {}).get("CaseSensitive") is False


def _get_user(self: CognitoIdpUserPool, username: str) -> CognitoIdpUser | None:
    """Find by user name or username attribute, ignoring case when the pool says so."""
    if not case_insensitive(self) or not username:
        found: CognitoIdpUser | None = patcher.original(CognitoIdpUserPool, "_get_user")(
            self, username
        )
        return found
    wanted = username.casefold()
    attribute_types = self.extended_config.get("UsernameAttributes") or []
    for user in self.users.values():
        for attribute_type in attribute_types:
            value = user.attribute_lookup.get(attribute_type)
            if value and str(value).casefold() == wanted:
                return user
    for name, user in self.users.items():
        if name.casefold() == wanted:
            return user
    return None


def _verify_email_is_not_used(
    self: CognitoIdpBackend, user_pool_id: str, email: str | None
) -> None:
    """Emails are unique in an email-username pool regardless of case."""
    pool = self.describe_user_pool(user_pool_id)
    if not email or "email" not in (pool.extended_config.get("UsernameAttributes") or []):
        return
    for user in pool.users.values():
        if str(user.attribute_lookup.get("email", "")).casefold() == email.casefold():
            raise AliasExistsException()


def sign_up(
    self: CognitoIdpBackend,
    client_id: str,
    username: str,
    password: str,
    attributes: list[dict[str, str]],
) -> tuple[CognitoIdpUser, Any]:
    """SignUp is refused when AllowAdminCreateUserOnly is set (only administrators create)."""
    pool, _ = pool_for_client(self, client_id)
    if (pool.extended_config.get("AdminCreateUserConfig") or {}).get("AllowAdminCreateUserOnly"):
        raise not_authorized("SignUp is not permitted for this user pool")
    result: tuple[CognitoIdpUser, Any] = patcher.original(CognitoIdpBackend, "sign_up")(
        self, client_id, username, password, attributes
    )
    return result


def send_attribute_code(
    pool: CognitoIdpUserPool,
    user: CognitoIdpUser,
    attribute: str,
    trigger_source: str,
    client_id: str | None = None,
) -> dict[str, str]:
    """Send a verification code for email or phone_number; its CodeDeliveryDetails."""
    medium = _VERIFIABLE.get(attribute)
    address = user.attribute_lookup.get(attribute)
    if medium is None or not address:
        raise invalid_parameter(f"Invalid attribute name for verification: {attribute}")
    verification_code = code()
    user_state(user).attribute_codes[attribute] = (verification_code, clock.now())
    deliver(
        pool,
        user,
        trigger_source=trigger_source,
        purpose="verify",
        secret=verification_code,
        secret_kind="code",
        mediums=[medium],
        client_id=client_id,
        client_metadata=request_parameters().get("ClientMetadata"),
    )
    return delivery_details(medium, str(address))


def update_with_verification(
    backend: CognitoIdpBackend,
    pool: CognitoIdpUserPool,
    user: CognitoIdpUser,
    attributes: list[dict[str, str]],
) -> list[dict[str, str]]:
    """Change attributes; a changed email or phone becomes unverified and gets a code.

    Cognito sends the code when the attribute is auto-verified in the pool, unless the same
    request marks it verified (which only an administrator can do).
    """
    new = {attribute["Name"]: attribute["Value"] for attribute in attributes}
    backend._verify_email_is_not_used(pool.id, new.get("email"))
    changed = [
        name for name in _VERIFIABLE if name in new and new[name] != user.attribute_lookup.get(name)
    ]
    updates = list(attributes)
    for name in changed:
        if f"{name}_verified" not in new:
            updates.append({"Name": f"{name}_verified", "Value": "false"})
    user.update_attributes(updates)
    auto_verified = pool.extended_config.get("AutoVerifiedAttributes") or []
    return [
        send_attribute_code(pool, user, name, "CustomMessage_UpdateUserAttribute")
        for name in changed
        if name in auto_verified and new.get(f"{name}_verified") != "true"
    ]


def update_user_attributes(
    self: CognitoIdpBackend, access_token: str, attributes: list[dict[str, str]]
) -> list[dict[str, str]]:
    """UpdateUserAttributes with Cognito's verification of a changed email or phone."""
    pool, user = user_for_access_token(access_token)
    return update_with_verification(self, pool, user, attributes)


def admin_update_user_attributes(
    self: CognitoIdpBackend, user_pool_id: str, username: str, attributes: list[dict[str, str]]
) -> None:
    """AdminUpdateUserAttributes with the same verification rule."""
    pool = self.describe_user_pool(user_pool_id)
    update_with_verification(self, pool, self.admin_get_user(user_pool_id, username), attributes)


def verify_user_attribute(access_token: str, attribute: str, given_code: str) -> None:
    """VerifyUserAttribute: the right, unexpired code marks the attribute verified."""
    _, user = user_for_access_token(access_token)
    sent = user_state(user).attribute_codes.get(attribute)
    if sent is None:
        raise expired_code()
    expected, sent_at = sent
    if clock.now() >= sent_at + ATTRIBUTE_CODE_LIFETIME:
        raise expired_code()
    if not secrets.compare_digest(expected, given_code or ""):
        raise code_mismatch("Invalid verification code provided, please try again.")
    del user_state(user).attribute_codes[attribute]
    user.update_attributes([{"Name": f"{attribute}_verified", "Value": "true"}])


def get_user_attribute_verification_code(access_token: str, attribute: str) -> dict[str, str]:
    """GetUserAttributeVerificationCode: send a fresh code (CustomMessage_VerifyUserAttribute)."""
    pool, user = user_for_access_token(access_token)
    return send_attribute_code(pool, user, attribute, "CustomMessage_VerifyUserAttribute")


def install() -> None:
    """Apply the user corrections."""
    patcher.replace(CognitoIdpUserPool, "_get_user", _get_user)
    patcher.replace(CognitoIdpBackend, "_verify_email_is_not_used", _verify_email_is_not_used)
    patcher.replace(CognitoIdpBackend, "sign_up", sign_up)
    patcher.replace(CognitoIdpBackend, "update_user_attributes", update_user_attributes)
    patcher.replace(CognitoIdpBackend, "admin_update_user_attributes", admin_update_user_attributes)
