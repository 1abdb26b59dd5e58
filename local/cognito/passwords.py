"""Temporary passwords, invites and their resend, and forgot-password codes, as documented."""

from __future__ import annotations

import secrets
import string
from datetime import timedelta
from typing import Any

from moto.cognitoidp.exceptions import UsernameExistsException
from moto.cognitoidp.models import (
    CognitoIdpBackend,
    CognitoIdpUser,
    CognitoIdpUserPool,
    UserStatus,
)

from local.cognito.clock import clock
from local.cognito.errors import (
    CognitoError,
    code_mismatch,
    expired_code,
    invalid_parameter,
    not_authorized,
)
from local.cognito.existence import simulated_delivery, unknown_user_with_code
from local.cognito.lookup import pool_for_client
from local.cognito.messages import deliver, delivery_details
from local.cognito.patching import patcher
from local.cognito.state import request_parameters, user_state
from shared.settings import IDENTITY

FORGOT_PASSWORD_CODE_LIFETIME = timedelta(hours=IDENTITY.forgot_password_code_hours)
TEMPORARY_PASSWORD_EXPIRED = "Temporary password has expired and must be reset by an administrator."
_SYMBOLS = "^$*.[]{}()?-\"!@#%&/\\,><':;|_~`+="


def password_policy(pool: CognitoIdpUserPool) -> dict[str, Any]:
    """The pool's PasswordPolicy with Cognito's defaults filled in."""
    policy = {
        "MinimumLength": 8,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
        "TemporaryPasswordValidityDays": 7,
    }
    policy.update((pool.extended_config.get("Policies") or {}).get("PasswordPolicy") or {})
    return policy


def generate_temporary_password(pool: CognitoIdpUserPool) -> str:
    """A random password that meets the pool's policy, as Cognito generates for invites."""
    length = max(int(password_policy(pool)["MinimumLength"]), 12)
    required = [
        secrets.choice(string.ascii_uppercase),
        secrets.choice(string.ascii_lowercase),
        secrets.choice(string.digits),
        secrets.choice(_SYMBOLS),
    ]
    alphabet = string.ascii_letters + string.digits
    rest = [secrets.choice(alphabet) for _ in range(length - len(required))]
    characters = required + rest
    secrets.SystemRandom().shuffle(characters)
    return "".join(characters)


def code() -> str:
    """A six-digit one-time code."""
    return f"{secrets.randbelow(1_000_000):06d}"


def temporary_password_expired(pool: CognitoIdpUserPool, user: CognitoIdpUser) -> bool:
    """Whether a FORCE_CHANGE_PASSWORD user's temporary password is past its validity."""
    issued = user_state(user).temporary_password_issued_at
    if user.status is not UserStatus.FORCE_CHANGE_PASSWORD or issued is None:
        return False
    days = int(password_policy(pool)["TemporaryPasswordValidityDays"])
    return clock.now() >= issued + timedelta(days=days)


def check_temporary_password(pool: CognitoIdpUserPool, user: CognitoIdpUser) -> None:
    """NotAuthorizedException once TemporaryPasswordValidityDays have passed (Cognito's rule)."""
    if temporary_password_expired(pool, user):
        raise not_authorized(TEMPORARY_PASSWORD_EXPIRED)


def _invite(pool: CognitoIdpUserPool, user: CognitoIdpUser, password: str) -> None:
    """Send the invitation (CustomMessage_AdminCreateUser) by the requested media."""
    parameters = request_parameters()
    if parameters.get("MessageAction") == "SUPPRESS":
        return
    deliver(
        pool,
        user,
        trigger_source="CustomMessage_AdminCreateUser",
        purpose="invite",
        secret=password,
        secret_kind="temporary_password",
        mediums=parameters.get("DesiredDeliveryMediums") or ["SMS"],
        client_metadata=parameters.get("ClientMetadata"),
    )


def admin_create_user(  # noqa: PLR0917 - moto's signature
    self: CognitoIdpBackend,
    user_pool_id: str,
    username: str,
    message_action: str,
    temporary_password: str,
    attributes: list[dict[str, str]],
) -> CognitoIdpUser:
    """Create with a generated temporary password and send the invite; RESEND reissues it.

    Cognito's RESEND sends a new temporary password to the same user (no new user) and
    restarts the password's validity; it is only possible before the user signs in.
    """
    pool = self.describe_user_pool(user_pool_id)
    password = temporary_password or generate_temporary_password(pool)
    self._validate_password(user_pool_id, password)
    if message_action == "RESEND":
        user = self.admin_get_user(user_pool_id, username)
        if user.status is not UserStatus.FORCE_CHANGE_PASSWORD:
            raise CognitoError(
                "UnsupportedUserStateException",
                f"Resend not possible. {username} status is not FORCE_CHANGE_PASSWORD.",
            )
        user.password = password
        user_state(user).temporary_password_issued_at = clock.now()
        _invite(pool, user, password)
        return user
    if pool._get_user(username):
        raise UsernameExistsException("An account with the given email already exists.")
    original = patcher.original(CognitoIdpBackend, "admin_create_user")
    created: CognitoIdpUser = original(
        self, user_pool_id, username, message_action, password, attributes
    )
    user_state(created).temporary_password_issued_at = clock.now()
    _invite(pool, created, password)
    return created


def admin_set_user_password(
    self: CognitoIdpBackend, user_pool_id: str, username: str, password: str, permanent: bool
) -> None:
    """A non-permanent password is a new temporary password, valid from now."""
    patcher.original(CognitoIdpBackend, "admin_set_user_password")(
        self, user_pool_id, username, password, permanent
    )
    user = self.admin_get_user(user_pool_id, username)
    user_state(user).temporary_password_issued_at = None if permanent else clock.now()


def recovery_medium(pool: CognitoIdpUserPool, user: CognitoIdpUser) -> str | None:
    """EMAIL or SMS by AccountRecoverySetting; MFA by the same channel disqualifies it.

    Cognito: SMS is not a recovery method for a user with SMS MFA, nor email for a user with
    email MFA. With no setting, the legacy order (phone, then email) applies.
    """
    setting = (pool.extended_config.get("AccountRecoverySetting") or {}).get("RecoveryMechanisms")
    mechanisms = sorted(
        setting
        or [
            {"Name": "verified_phone_number", "Priority": 1},
            {"Name": "verified_email", "Priority": 2},
        ],
        key=lambda mechanism: mechanism["Priority"],
    )
    attributes = user.attribute_lookup
    for mechanism in mechanisms:
        name = mechanism["Name"]
        if name == "admin_only":
            raise not_authorized("Contact administrator to reset password.")
        if (
            name == "verified_email"
            and attributes.get("email")
            and attributes.get("email_verified") == "true"
            and not user_state(user).email_mfa_enabled
        ):
            return "EMAIL"
        if (
            name == "verified_phone_number"
            and attributes.get("phone_number")
            and attributes.get("phone_number_verified") == "true"
            and not user.sms_mfa_enabled
        ):
            return "SMS"
    return None


def send_reset_code(
    pool: CognitoIdpUserPool, user: CognitoIdpUser, client_id: str | None
) -> dict[str, str]:
    """Issue a password-reset code by the recovery medium; its CodeDeliveryDetails."""
    medium = recovery_medium(pool, user)
    if medium is None:
        raise invalid_parameter(
            "Cannot reset password for the user as there is no registered/verified email or "
            "phone_number"
        )
    reset_code = code()
    state = user_state(user)
    state.forgot_password_code = reset_code
    state.forgot_password_code_sent_at = clock.now()
    deliver(
        pool,
        user,
        trigger_source="CustomMessage_ForgotPassword",
        purpose="verify",
        secret=reset_code,
        secret_kind="code",
        mediums=[medium],
        client_id=client_id,
        client_metadata=request_parameters().get("ClientMetadata"),
    )
    address = user.attribute_lookup["email" if medium == "EMAIL" else "phone_number"]
    return delivery_details(medium, address)


def forgot_password(
    self: CognitoIdpBackend, client_id: str, username: str
) -> tuple[str | None, dict[str, Any]]:
    """Send a real reset code (and only by a qualifying channel); simulate for unknown users."""
    pool, client = pool_for_client(self, client_id)
    user = pool._get_user(username)
    if user is None:
        if client.extended_config.get("PreventUserExistenceErrors") == "ENABLED":
            return None, {"CodeDeliveryDetails": simulated_delivery(pool, username)}
        raise unknown_user_with_code(client)
    if not user.enabled:
        raise not_authorized("User is disabled.")
    if user.status is UserStatus.FORCE_CHANGE_PASSWORD:
        raise not_authorized("User password cannot be reset in the current state.")
    return None, {"CodeDeliveryDetails": send_reset_code(pool, user, client_id)}


def confirm_forgot_password(
    self: CognitoIdpBackend, client_id: str, username: str, password: str, confirmation_code: str
) -> None:
    """Check the code (wrong, expired after an hour, or never sent) and the password policy."""
    pool, client = pool_for_client(self, client_id)
    user = pool._get_user(username)
    if user is None:
        raise unknown_user_with_code(client)
    state = user_state(user)
    sent_at = state.forgot_password_code_sent_at
    if state.forgot_password_code is None or sent_at is None:
        raise expired_code()
    if clock.now() >= sent_at + FORGOT_PASSWORD_CODE_LIFETIME:
        state.forgot_password_code = None
        raise expired_code()
    if not secrets.compare_digest(state.forgot_password_code, confirmation_code or ""):
        raise code_mismatch("Invalid verification code provided, please try again.")
    self._validate_password(pool.id, password)
    user.password = password
    user.status = UserStatus.CONFIRMED
    state.forgot_password_code = None
    state.forgot_password_code_sent_at = None
    state.temporary_password_issued_at = None


def admin_reset_user_password(self: CognitoIdpBackend, user_pool_id: str, username: str) -> None:
    """AdminResetUserPassword also sends the user a reset code, as Cognito does."""
    patcher.original(CognitoIdpBackend, "admin_reset_user_password")(self, user_pool_id, username)
    pool = self.describe_user_pool(user_pool_id)
    send_reset_code(pool, self.admin_get_user(user_pool_id, username), None)


def install() -> None:
    """Apply the password corrections."""
    patcher.replace(CognitoIdpBackend, "admin_create_user", admin_create_user)
    patcher.replace(CognitoIdpBackend, "admin_set_user_password", admin_set_user_password)
    patcher.replace(CognitoIdpBackend, "forgot_password", forgot_password)
    patcher.replace(CognitoIdpBackend, "confirm_forgot_password", confirm_forgot_password)
    patcher.replace(CognitoIdpBackend, "admin_reset_user_password", admin_reset_user_password)
