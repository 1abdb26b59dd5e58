"""Multi-factor authentication as Cognito documents it: set-up, challenges, codes, settings."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from typing import Any

import pyotp
from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUser, CognitoIdpUserPool

from local.cognito.clock import clock
from local.cognito.errors import (
    INVALID_SESSION,
    SESSION_EXPIRED,
    CognitoError,
    code_mismatch,
    expired_code,
    invalid_parameter,
    not_authorized,
)
from local.cognito.lookup import user_for_access_token
from local.cognito.messages import deliver, delivery_details
from local.cognito.passwords import code
from local.cognito.patching import patcher
from local.cognito.state import (
    Session,
    end_session,
    new_session,
    pool_state,
    request_parameters,
    session_lifetime,
    sessions,
    user_state,
)
from local.cognito.tokens import issue_tokens
from shared.settings import IDENTITY

SMS, TOTP, EMAIL = "SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"
MFA_CODE_LIFETIME = timedelta(minutes=IDENTITY.mfa_code_minutes)
_RESPONSE_KEYS = {SMS: "SMS_MFA_CODE", TOTP: "SOFTWARE_TOKEN_MFA_CODE", EMAIL: "EMAIL_OTP_CODE"}


def json_list(values: list[str]) -> str:
    """A list as the compact JSON text Cognito puts in ChallengeParameters."""
    return json.dumps(values, separators=(",", ":"))


def pool_methods(pool: CognitoIdpUserPool) -> list[str]:
    """The MFA methods the pool offers, in Cognito's order."""
    methods = []
    if pool.sms_mfa_config:
        methods.append(SMS)
    if (pool.token_mfa_config or {}).get("Enabled"):
        methods.append(TOTP)
    if pool_state(pool).email_mfa_config is not None:
        methods.append(EMAIL)
    return methods


def enabled_methods(user: CognitoIdpUser) -> list[str]:
    """The MFA methods the user has turned on, in Cognito's order."""
    methods = []
    if user.sms_mfa_enabled:
        methods.append(SMS)
    if user.software_token_mfa_enabled:
        methods.append(TOTP)
    if user_state(user).email_mfa_enabled:
        methods.append(EMAIL)
    return methods


def _enable(user: CognitoIdpUser, method: str) -> None:
    """Turn a method on after the user proved it at sign-in; the first one becomes preferred."""
    if method == SMS:
        user.sms_mfa_enabled = True
        user.update_attributes([{"Name": "phone_number_verified", "Value": "true"}])
    elif method == TOTP:
        user.software_token_mfa_enabled = True
    else:
        user_state(user).email_mfa_enabled = True
    if not user.preferred_mfa_setting:
        user.preferred_mfa_setting = method


def _challenge(
    name: str, session_id: str, parameters: dict[str, str] | None = None
) -> dict[str, Any]:
    """A challenge answer in the shape InitiateAuth and RespondToAuthChallenge return."""
    return {"ChallengeName": name, "Session": session_id, "ChallengeParameters": parameters or {}}


def start_challenge(
    pool: CognitoIdpUserPool,
    client_id: str,
    user: CognitoIdpUser,
    method: str,
    enables: str | None = None,
) -> dict[str, Any]:
    """Open a session for an MFA challenge, sending the code first for SMS and email."""
    session_id, session = new_session(pool, client_id, user.username, method)
    session.enables = enables
    if method == TOTP:
        return _challenge(TOTP, session_id)
    medium = "SMS" if method == SMS else "EMAIL"
    address = str(user.attribute_lookup.get("phone_number" if method == SMS else "email", ""))
    session.code = code()
    session.code_sent_at = clock.now()
    deliver(
        pool,
        user,
        trigger_source="CustomMessage_Authentication",
        purpose="mfa",
        secret=session.code,
        secret_kind="code",
        mediums=[medium],
        client_id=client_id,
        client_metadata=request_parameters().get("ClientMetadata"),
        email_mfa_config=pool_state(pool).email_mfa_config,
    )
    details = delivery_details(medium, address)
    return _challenge(
        method,
        session_id,
        {
            "CODE_DELIVERY_DELIVERY_MEDIUM": details["DeliveryMedium"],
            "CODE_DELIVERY_DESTINATION": details["Destination"],
        },
    )


def next_step(pool: CognitoIdpUserPool, client_id: str, user: CognitoIdpUser) -> dict[str, Any]:
    """After the password: tokens, or the MFA step Cognito requires of this user.

    With MFA required every sign-in flow is challenged: a user with no method set up gets
    MFA_SETUP (or SMS_MFA when SMS is offered and the user has a phone number); one method
    gives its challenge; several give the preferred one, or SELECT_MFA_TYPE without one.
    """
    enabled = [method for method in enabled_methods(user) if method in pool_methods(pool)]
    if pool.mfa_config == "OFF" or (pool.mfa_config == "OPTIONAL" and not enabled):
        return issue_tokens(pool, client_id, user)
    if not enabled:
        offered = pool_methods(pool)
        if SMS in offered and user.attribute_lookup.get("phone_number"):
            return start_challenge(pool, client_id, user, SMS, enables=SMS)
        session_id, _ = new_session(pool, client_id, user.username, "MFA_SETUP")
        return _challenge("MFA_SETUP", session_id, {"MFAS_CAN_SETUP": json_list(offered)})
    if len(enabled) == 1:
        return start_challenge(pool, client_id, user, enabled[0])
    if user.preferred_mfa_setting in enabled:
        return start_challenge(pool, client_id, user, user.preferred_mfa_setting)
    session_id, _ = new_session(pool, client_id, user.username, "SELECT_MFA_TYPE")
    return _challenge("SELECT_MFA_TYPE", session_id, {"MFAS_CAN_CHOOSE": json_list(enabled)})


def answer_select(
    session_id: str, session: Session, user: CognitoIdpUser, responses: dict[str, str]
) -> dict[str, Any]:
    """SELECT_MFA_TYPE: ANSWER names one of the user's enabled methods."""
    answer = responses.get("ANSWER", "")
    if answer not in enabled_methods(user):
        raise invalid_parameter(f"Invalid MFA type: {answer}")
    end_session(session_id)
    return start_challenge(session.pool, session.client_id, user, answer)


def answer_setup(
    session_id: str, session: Session, user: CognitoIdpUser, responses: dict[str, str]
) -> dict[str, Any]:
    """MFA_SETUP: finish a verified TOTP, or answer with EMAIL (or a new phone) for a code."""
    offered = pool_methods(session.pool)
    if session.totp_verified:
        _enable(user, TOTP)
        end_session(session_id)
        return issue_tokens(session.pool, session.client_id, user)
    if EMAIL in offered and responses.get("EMAIL"):
        email = str(user.attribute_lookup.get("email", ""))
        if responses["EMAIL"].casefold() != email.casefold():
            # A guess: the portal's email is the username, so a different address is refused.
            raise invalid_parameter("EMAIL must be the user's email address.")
        end_session(session_id)
        return start_challenge(session.pool, session.client_id, user, EMAIL, enables=EMAIL)
    if SMS in offered and user.attribute_lookup.get("phone_number"):
        end_session(session_id)
        return start_challenge(session.pool, session.client_id, user, SMS, enables=SMS)
    raise invalid_parameter("MFA has not been set up for the user.")


def answer_code(
    session_id: str, session: Session, user: CognitoIdpUser, responses: dict[str, str]
) -> dict[str, Any]:
    """SMS_MFA, EMAIL_OTP or SOFTWARE_TOKEN_MFA: check the code; a wrong one may be retried."""
    method = session.challenge
    given = responses.get(_RESPONSE_KEYS[method]) or ""
    if method == TOTP:
        if not verify_totp(user_state(user).totp_secret, given):
            raise code_mismatch()
    else:
        sent_at = session.code_sent_at
        if session.code is None or sent_at is None or clock.now() >= sent_at + MFA_CODE_LIFETIME:
            raise expired_code()
        if not secrets.compare_digest(session.code, given):
            raise code_mismatch()
    if session.enables:
        _enable(user, session.enables)
    end_session(session_id)
    return issue_tokens(session.pool, session.client_id, user)


def verify_totp(secret: str | None, given: str) -> bool:
    """Check a TOTP code with one 30-second step of clock skew either side, as Cognito does."""
    if not secret or not given.isdigit():
        return False
    return bool(pyotp.TOTP(secret).verify(given, for_time=clock.now(), valid_window=1))


def _live_setup_session(session_id: str) -> Session:
    """The MFA_SETUP session named in an AssociateSoftwareToken or VerifySoftwareToken call."""
    session = sessions.get(session_id)
    if session is None or session.challenge != "MFA_SETUP":
        raise not_authorized(INVALID_SESSION)
    if clock.now() >= session.created_at + session_lifetime(session.pool, session.client_id):
        end_session(session_id)
        raise not_authorized(SESSION_EXPIRED)
    return session


def _user_for(
    access_token: str | None, session_id: str | None
) -> tuple[CognitoIdpUser, Session | None]:
    """The user named by a setup session, or by an access token."""
    if session_id:
        session = _live_setup_session(session_id)
        user = session.pool._get_user(session.username)
        if user is None:
            raise not_authorized(INVALID_SESSION)
        return user, session
    _, user = user_for_access_token(access_token or "")
    return user, None


def associate_software_token(
    self: CognitoIdpBackend, access_token: str, session: str
) -> dict[str, str]:
    """A new random 160-bit base32 secret for this user (never a shared constant)."""
    user, setup = _user_for(access_token, session)
    secret = pyotp.random_base32(32)
    user_state(user).pending_totp_secret = secret
    return {"SecretCode": secret, "Session": session} if setup else {"SecretCode": secret}


def verify_software_token(
    self: CognitoIdpBackend,
    access_token: str,
    session: str,
    user_code: str,
    friendly_device_name: str,
) -> dict[str, str]:
    """Check the first code against the pending secret; success makes it the user's secret."""
    user, setup = _user_for(access_token, session)
    state = user_state(user)
    if state.pending_totp_secret is None:
        raise CognitoError(
            "SoftwareTokenMFANotFoundException", "Software Token MFA not associated."
        )
    if not verify_totp(state.pending_totp_secret, user_code or ""):
        raise CognitoError(
            "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA"
        )
    state.totp_secret, state.pending_totp_secret = state.pending_totp_secret, None
    user.token_verified = True
    if setup is not None:
        setup.totp_verified = True
        return {"Status": "SUCCESS", "Session": session}
    return {"Status": "SUCCESS"}


def _apply_setting(user: CognitoIdpUser, method: str, settings: dict[str, bool] | None) -> None:
    """Turn one method on or off and set or clear it as preferred."""
    if not settings:
        return
    enabled = bool(settings.get("Enabled"))
    if method == TOTP:
        if enabled and not user_state(user).totp_secret:
            raise invalid_parameter("User has not verified software token mfa")
        user.software_token_mfa_enabled = enabled
    elif method == SMS:
        if enabled and not user.attribute_lookup.get("phone_number"):
            raise invalid_parameter("User does not have delivery config set to turn on SMS_MFA")
        user.sms_mfa_enabled = enabled
    else:
        if enabled and not user.attribute_lookup.get("email"):
            raise invalid_parameter("User does not have delivery config set to turn on EMAIL_OTP")
        user_state(user).email_mfa_enabled = enabled
    if settings.get("PreferredMfa") and enabled:
        user.preferred_mfa_setting = method
    elif user.preferred_mfa_setting == method:
        user.preferred_mfa_setting = ""


def admin_set_user_mfa_preference(
    self: CognitoIdpBackend,
    user_pool_id: str,
    username: str,
    software_token_mfa_settings: dict[str, bool],
    sms_mfa_settings: dict[str, bool],
) -> None:
    """Record TOTP, SMS and email MFA settings (moto drops EmailMfaSettings)."""
    user = self.admin_get_user(user_pool_id, username)
    _apply_setting(user, SMS, sms_mfa_settings)
    _apply_setting(user, TOTP, software_token_mfa_settings)
    _apply_setting(user, EMAIL, request_parameters().get("EmailMfaSettings"))


def set_user_mfa_preference(
    self: CognitoIdpBackend,
    access_token: str,
    software_token_mfa_settings: dict[str, bool],
    sms_mfa_settings: dict[str, bool],
) -> None:
    """SetUserMFAPreference: the same rules for the signed-in user."""
    pool, user = user_for_access_token(access_token)
    admin_set_user_mfa_preference(
        self, pool.id, user.username, software_token_mfa_settings, sms_mfa_settings
    )


def user_to_json(
    self: CognitoIdpUser,
    extended: bool = False,
    attributes_key: str = "Attributes",
    attributes_to_get: list[str] | None = None,
) -> dict[str, Any]:
    """UserMFASettingList includes EMAIL_OTP; PreferredMfaSetting is absent when unset."""
    original = patcher.original(CognitoIdpUser, "to_json")
    data: dict[str, Any] = original(self, extended, attributes_key, attributes_to_get)
    if extended:
        data["UserMFASettingList"] = enabled_methods(self)
        if not self.preferred_mfa_setting:
            data.pop("PreferredMfaSetting", None)
        if not data["UserMFASettingList"]:
            data.pop("UserMFASettingList")
    return data


def set_user_pool_mfa_config(
    self: CognitoIdpBackend,
    user_pool_id: str,
    sms_config: dict[str, Any],
    token_config: dict[str, bool],
    mfa_config: str,
) -> dict[str, Any]:
    """Keep EmailMfaConfiguration, which moto's responses drop."""
    pool = self.describe_user_pool(user_pool_id)
    parameters = request_parameters()
    if "EmailMfaConfiguration" in parameters:
        pool_state(pool).email_mfa_config = parameters["EmailMfaConfiguration"]
    original = patcher.original(CognitoIdpBackend, "set_user_pool_mfa_config")
    original(self, user_pool_id, sms_config, token_config, mfa_config)
    return get_user_pool_mfa_config(self, user_pool_id)


def get_user_pool_mfa_config(self: CognitoIdpBackend, user_pool_id: str) -> dict[str, Any]:
    """Report EmailMfaConfiguration beside moto's SMS and TOTP settings."""
    original = patcher.original(CognitoIdpBackend, "get_user_pool_mfa_config")
    config: dict[str, Any] = original(self, user_pool_id)
    email = pool_state(self.describe_user_pool(user_pool_id)).email_mfa_config
    if email is not None:
        config["EmailMfaConfiguration"] = email
    return {key: value for key, value in config.items() if value is not None}


def install() -> None:
    """Apply the MFA corrections."""
    patcher.replace(CognitoIdpBackend, "associate_software_token", associate_software_token)
    patcher.replace(CognitoIdpBackend, "verify_software_token", verify_software_token)
    patcher.replace(
        CognitoIdpBackend, "admin_set_user_mfa_preference", admin_set_user_mfa_preference
    )
    patcher.replace(CognitoIdpBackend, "set_user_mfa_preference", set_user_mfa_preference)
    patcher.replace(CognitoIdpBackend, "set_user_pool_mfa_config", set_user_pool_mfa_config)
    patcher.replace(CognitoIdpBackend, "get_user_pool_mfa_config", get_user_pool_mfa_config)
    patcher.replace(CognitoIdpUser, "to_json", user_to_json)
