"""Sign-in flows and challenge answers, following Cognito's documented state machine."""

from __future__ import annotations

import json
from typing import Any

from moto.cognitoidp.exceptions import ResourceNotFoundError, UserNotConfirmedException
from moto.cognitoidp.models import (
    CognitoIdpBackend,
    CognitoIdpUser,
    CognitoIdpUserPool,
    CognitoIdpUserPoolClient,
    UserStatus,
)
from moto.cognitoidp.utils import check_secret_hash

from local.cognito import mfa
from local.cognito.clock import clock
from local.cognito.errors import (
    INCORRECT_CREDENTIALS,
    INVALID_SESSION,
    SESSION_EXPIRED,
    CognitoError,
    invalid_parameter,
    not_authorized,
)
from local.cognito.existence import unknown_user_at_sign_in
from local.cognito.lookup import pool_for_client
from local.cognito.passwords import check_temporary_password
from local.cognito.patching import patcher
from local.cognito.state import end_session, new_session, session_lifetime, sessions, user_state
from local.cognito.tokens import refresh

# Which ExplicitAuthFlows entry (new or legacy name) lets a client use each flow.
_FLOW_PERMISSIONS = {
    "USER_PASSWORD_AUTH": ("ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"),
    "ADMIN_USER_PASSWORD_AUTH": ("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"),
    "ADMIN_NO_SRP_AUTH": ("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"),
    "USER_SRP_AUTH": ("ALLOW_USER_SRP_AUTH",),
    "CUSTOM_AUTH": ("ALLOW_CUSTOM_AUTH", "CUSTOM_AUTH_FLOW_ONLY"),
    "REFRESH_TOKEN_AUTH": ("ALLOW_REFRESH_TOKEN_AUTH",),
    "REFRESH_TOKEN": ("ALLOW_REFRESH_TOKEN_AUTH",),
}
# Cognito's default when a client names no flows.
_DEFAULT_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
SRP_REFUSED = (
    "USER_SRP_AUTH is not supported by the local Cognito layer, which cannot check an SRP "
    "password proof; the portal signs in with USER_PASSWORD_AUTH."
)


def _check_flow(client: CognitoIdpUserPoolClient, flow: str, admin: bool) -> None:
    """InvalidParameterException for a flow the API or the app client does not allow."""
    admin_flows = {
        "ADMIN_USER_PASSWORD_AUTH",
        "ADMIN_NO_SRP_AUTH",
        "REFRESH_TOKEN_AUTH",
        "REFRESH_TOKEN",
    }
    user_flows = {
        "USER_PASSWORD_AUTH",
        "USER_SRP_AUTH",
        "CUSTOM_AUTH",
        "REFRESH_TOKEN_AUTH",
        "REFRESH_TOKEN",
    }
    if flow not in (admin_flows if admin else user_flows):
        raise invalid_parameter("Initiate Auth method not supported")
    allowed = client.extended_config.get("ExplicitAuthFlows") or _DEFAULT_FLOWS
    if not set(_FLOW_PERMISSIONS[flow]) & set(allowed):
        raise invalid_parameter(f"{flow} flow not enabled for this client")
    if flow == "USER_SRP_AUTH":
        raise invalid_parameter(SRP_REFUSED)
    if flow == "CUSTOM_AUTH":
        raise invalid_parameter("CUSTOM_AUTH is not supported by the local Cognito layer.")


def _check_secret_hash(client: CognitoIdpUserPoolClient, username: str, given: str | None) -> None:
    """A client with a secret must send SECRET_HASH."""
    if client.generate_secret and not check_secret_hash(client.secret, client.id, username, given):
        raise not_authorized(f"Unable to verify secret hash for client {client.id}")


def _new_password_challenge(
    pool: CognitoIdpUserPool, client_id: str, user: CognitoIdpUser
) -> dict[str, Any]:
    """NEW_PASSWORD_REQUIRED, with the user's attributes as JSON text as Cognito sends them."""
    session_id, _ = new_session(pool, client_id, user.username, "NEW_PASSWORD_REQUIRED")
    hidden = {"sub", "email_verified", "phone_number_verified"}
    attributes = {
        name: value for name, value in user.attribute_lookup.items() if name not in hidden
    }
    return {
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": session_id,
        "ChallengeParameters": {
            "USER_ID_FOR_SRP": user.username,
            "requiredAttributes": "[]",
            "userAttributes": json.dumps(attributes),
        },
    }


def _password_sign_in(
    pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, parameters: dict[str, str]
) -> dict[str, Any]:
    """USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH: password, then the next challenge."""
    username = parameters.get("USERNAME") or ""
    user = pool._get_user(username) if username else None
    if user is None:
        raise unknown_user_at_sign_in(client)
    _check_secret_hash(client, username, parameters.get("SECRET_HASH"))
    if user.password != parameters.get("PASSWORD"):
        raise not_authorized(INCORRECT_CREDENTIALS)
    if not user.enabled:
        raise not_authorized("User is disabled.")
    if user.status is UserStatus.RESET_REQUIRED:
        raise CognitoError("PasswordResetRequiredException", "Password reset required for the user")
    if user.status is UserStatus.UNCONFIRMED:
        raise UserNotConfirmedException("User is not confirmed.")
    if user.status is UserStatus.FORCE_CHANGE_PASSWORD:
        check_temporary_password(pool, user)
        return _new_password_challenge(pool, client.id, user)
    return mfa.next_step(pool, client.id, user)


def initiate_auth(
    self: CognitoIdpBackend, client_id: str, auth_flow: str, auth_parameters: dict[str, str]
) -> dict[str, Any]:
    """InitiateAuth with the client's allowed flows, MFA and token rules enforced."""
    pool, client = pool_for_client(self, client_id)
    return _start(pool, client, auth_flow, auth_parameters, admin=False)


def admin_initiate_auth(
    self: CognitoIdpBackend,
    user_pool_id: str,
    client_id: str,
    auth_flow: str,
    auth_parameters: dict[str, str],
) -> dict[str, Any]:
    """AdminInitiateAuth: the same rules, MFA included (administrators do not skip it)."""
    pool = self.describe_user_pool(user_pool_id)
    client = pool.clients.get(client_id)
    if client is None:
        raise ResourceNotFoundError(client_id)
    return _start(pool, client, auth_flow, auth_parameters, admin=True)


def _start(
    pool: CognitoIdpUserPool,
    client: CognitoIdpUserPoolClient,
    auth_flow: str,
    auth_parameters: dict[str, str] | None,
    *,
    admin: bool,
) -> dict[str, Any]:
    """Both flavours of InitiateAuth: the flow allowed, then refresh or password sign-in."""
    _check_flow(client, auth_flow, admin=admin)
    if auth_flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        return refresh(pool, client, auth_parameters or {})
    return _password_sign_in(pool, client, auth_parameters or {})


def _answer_new_password(
    session_id: str,
    pool: CognitoIdpUserPool,
    client_id: str,
    user: CognitoIdpUser,
    responses: dict[str, str],
) -> dict[str, Any]:
    """NEW_PASSWORD_REQUIRED: a policy-conforming password, then MFA as required."""
    check_temporary_password(pool, user)
    new_password = responses.get("NEW_PASSWORD")
    if not new_password:
        raise invalid_parameter("Missing required parameter NEW_PASSWORD")
    pool.backend._validate_password(pool.id, new_password)
    attributes = [
        {"Name": name.removeprefix("userAttributes."), "Value": value}
        for name, value in responses.items()
        if name.startswith("userAttributes.")
    ]
    if attributes:
        user.update_attributes(attributes)
    user.password = new_password
    user.status = UserStatus.CONFIRMED
    user_state(user).temporary_password_issued_at = None
    end_session(session_id)
    return mfa.next_step(pool, client_id, user)


def respond_to_auth_challenge(
    self: CognitoIdpBackend,
    session: str,
    client_id: str,
    challenge_name: str,
    challenge_responses: dict[str, str],
) -> dict[str, Any]:
    """Answer a challenge: live session, right user, right code; a wrong code keeps the session."""
    if challenge_name == "PASSWORD_VERIFIER":
        raise invalid_parameter(SRP_REFUSED)
    state = sessions.get(session or "")
    if state is None or state.client_id != client_id:
        raise not_authorized(INVALID_SESSION)
    if clock.now() >= state.created_at + session_lifetime(state.pool, client_id):
        end_session(session)
        raise not_authorized(SESSION_EXPIRED)
    responses = challenge_responses or {}
    if not responses.get("USERNAME"):
        raise invalid_parameter("Missing required parameter USERNAME")
    user = state.pool._get_user(responses["USERNAME"])
    if user is None or user.username != state.username:
        raise not_authorized(INVALID_SESSION)
    client = state.pool.clients[client_id]
    _check_secret_hash(client, responses["USERNAME"], responses.get("SECRET_HASH"))
    if challenge_name != state.challenge:
        raise invalid_parameter(
            f"Invalid challenge name {challenge_name}; expected {state.challenge}"
        )
    if challenge_name == "NEW_PASSWORD_REQUIRED":
        return _answer_new_password(session, state.pool, client_id, user, responses)
    if challenge_name == "MFA_SETUP":
        return mfa.answer_setup(session, state, user, responses)
    if challenge_name == "SELECT_MFA_TYPE":
        return mfa.answer_select(session, state, user, responses)
    return mfa.answer_code(session, state, user, responses)


def install() -> None:
    """Apply the sign-in corrections."""
    patcher.replace(CognitoIdpBackend, "initiate_auth", initiate_auth)
    patcher.replace(CognitoIdpBackend, "admin_initiate_auth", admin_initiate_auth)
    patcher.replace(CognitoIdpBackend, "respond_to_auth_challenge", respond_to_auth_challenge)
