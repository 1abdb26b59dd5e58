"""The IdentityProvider port on Cognito's public sign-in API (USER_PASSWORD_AUTH).

Cognito's error codes become the portal's errors here, and its challenge names the portal's.
Nothing here logs: every argument is a password, a code, a session or a token.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from typing import Any

from shared.adapters.aws import client, config
from shared.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    PortalError,
    TooManyRequests,
    Unauthorized,
)
from shared.domain.signin import Challenge, ProviderStep, Tokens
from shared.settings import IDENTITY

# botocore logs request parameters and response bodies at DEBUG; here those are passwords,
# codes, sessions and tokens, so a function-wide DEBUG level must not reach them.
logging.getLogger("botocore").setLevel(logging.INFO)

# Cognito's names and the portal's, both ways.
CHALLENGES = {
    "NEW_PASSWORD_REQUIRED": "new_password_required",
    "MFA_SETUP": "mfa_setup",
    "SOFTWARE_TOKEN_MFA": "totp",
    "SMS_MFA": "sms",
    "EMAIL_OTP": "email",
    "SELECT_MFA_TYPE": "select_mfa",
}
COGNITO_CHALLENGE = {"totp": "SOFTWARE_TOKEN_MFA", "sms": "SMS_MFA", "email": "EMAIL_OTP"}
CODE_KEY = {"totp": "SOFTWARE_TOKEN_MFA_CODE", "sms": "SMS_MFA_CODE", "email": "EMAIL_OTP_CODE"}
PORTAL_METHOD = {cognito: portal for portal, cognito in COGNITO_CHALLENGE.items()}
THROTTLED = {"TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException"}
TEMPORARY_PASSWORD_EXPIRED = "Temporary password has expired"

Refusals = dict[str, Callable[[str], PortalError]]


def _password_too_short(_: str) -> PortalError:
    return InvalidInput("password_too_short", min_length=IDENTITY.password_min_length)


def _sign_in_refused(message: str) -> PortalError:
    if TEMPORARY_PASSWORD_EXPIRED in message:
        return Forbidden("invite_expired")
    return Unauthorized("invalid_credentials")


SIGN_IN_REFUSALS: Refusals = {
    "NotAuthorizedException": _sign_in_refused,
    "UserNotFoundException": lambda _: Unauthorized("invalid_credentials"),
    "UserNotConfirmedException": lambda _: Unauthorized("invalid_credentials"),
    "PasswordResetRequiredException": lambda _: Forbidden("password_reset_required"),
}
CHALLENGE_REFUSALS: Refusals = {
    "CodeMismatchException": lambda _: Unauthorized("invalid_code"),
    "ExpiredCodeException": lambda _: Unauthorized("invalid_code"),
    "EnableSoftwareTokenMFAException": lambda _: Unauthorized("invalid_code"),
    "NotAuthorizedException": lambda _: Unauthorized("session_expired"),
    "UserNotFoundException": lambda _: Unauthorized("session_expired"),
    "InvalidPasswordException": _password_too_short,
    "SoftwareTokenMFANotFoundException": lambda _: InvalidInput(field="challenge"),
    "InvalidParameterException": lambda _: InvalidInput(field="session"),
}
RESET_REFUSALS: Refusals = {
    "CodeMismatchException": lambda _: InvalidInput("invalid_code"),
    "ExpiredCodeException": lambda _: InvalidInput("invalid_code"),
    "UserNotFoundException": lambda _: InvalidInput("invalid_code"),
    "NotAuthorizedException": lambda _: InvalidInput("invalid_code"),
    "InvalidPasswordException": _password_too_short,
}
TOKEN_REFUSALS: Refusals = {"NotAuthorizedException": lambda _: Unauthorized()}


def _caller_refused(message: str) -> PortalError:
    """A signed-in call refused: the access token, too many attempts, or a wrong password."""
    # ChangePassword answers NotAuthorizedException both for a dead token and a wrong password.
    if "access token" in message.lower():
        return Unauthorized()
    if "attempts exceeded" in message.lower():
        return TooManyRequests()
    return Unauthorized("invalid_credentials")


CALLER_REFUSALS: Refusals = {
    "NotAuthorizedException": _caller_refused,
    "UserNotFoundException": lambda _: Unauthorized(),
    "InvalidPasswordException": _password_too_short,
    "CodeMismatchException": lambda _: Unauthorized("invalid_code"),
    "ExpiredCodeException": lambda _: Unauthorized("invalid_code"),
    "EnableSoftwareTokenMFAException": lambda _: Unauthorized("invalid_code"),
    "SoftwareTokenMFANotFoundException": lambda _: Conflict("mfa_not_set_up"),
}
PHONE_REFUSALS: Refusals = CALLER_REFUSALS | {
    "InvalidParameterException": lambda _: InvalidInput(field="phone"),
    "AliasExistsException": lambda _: InvalidInput(field="phone"),
}
# SetUserMFAPreference refuses a method whose delivery or secret is not (yet) verified.
PREFERENCE_REFUSALS: Refusals = CALLER_REFUSALS | {
    "InvalidParameterException": lambda _: Conflict("mfa_not_set_up"),
}
MFA_SETTINGS = {
    "totp": "SoftwareTokenMfaSettings",
    "sms": "SMSMfaSettings",
    "email": "EmailMfaSettings",
}


def _claims(id_token: str) -> dict[str, Any]:
    """The claims of an id token Cognito has just issued to this function (no need to verify)."""
    payload = id_token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


def _methods(parameter: str | None) -> list[str]:
    """Cognito's JSON list of MFA methods as the portal's names, in the portal's order."""
    offered = {
        PORTAL_METHOD[name] for name in json.loads(parameter or "[]") if name in PORTAL_METHOD
    }
    return [method for method in ("totp", "sms", "email") if method in offered]


def _step(answer: dict[str, Any], refresh_token: str | None = None) -> ProviderStep:
    """Tokens or the next challenge, from an InitiateAuth or RespondToAuthChallenge answer."""
    result = answer.get("AuthenticationResult")
    if result:
        claims = _claims(result["IdToken"])
        return Tokens(
            access_token=result["AccessToken"],
            id_token=result["IdToken"],
            refresh_token=result.get("RefreshToken") or refresh_token or "",
            expires_in=int(result["ExpiresIn"]),
            user_id=str(claims["sub"]),
            phone=claims.get("phone_number"),
        )
    name = CHALLENGES[answer["ChallengeName"]]
    parameters = answer.get("ChallengeParameters") or {}
    details: dict[str, Any] = {}
    if name == "mfa_setup":
        details["mfa_options"] = _methods(parameters.get("MFAS_CAN_SETUP"))
    elif name == "select_mfa":
        details["mfa_options"] = _methods(parameters.get("MFAS_CAN_CHOOSE"))
    elif name in ("sms", "email"):
        details["destination"] = parameters.get("CODE_DELIVERY_DESTINATION")
    return Challenge(name, answer["Session"], details)


class CognitoAuth:
    """Sign-in on the portal's app client; usernames are email addresses."""

    @property
    def _idp(self) -> Any:
        return client("cognito-idp")

    def _verify_software_token(self, code: str, refusals: Refusals, **proof: str) -> Any:
        """Check an authenticator's first code, for a set-up session or a signed-in member."""
        verified = self._call(
            "verify_software_token",
            refusals,
            UserCode=code,
            FriendlyDeviceName=config().portal_name[:64],
            **proof,
        )
        if verified.get("Status") != "SUCCESS":
            raise Unauthorized("invalid_code")
        return verified

    def _call(self, operation: str, refusals: Refusals, **arguments: Any) -> Any:
        """Call Cognito, turning its refusals into the portal's errors."""
        from botocore.exceptions import ClientError  # noqa: PLC0415 - keep cold start small

        try:
            return getattr(self._idp, operation)(**arguments)
        except ClientError as error:
            details = error.response.get("Error", {})
            code, message = details.get("Code", ""), details.get("Message", "")
            if code in refusals:
                raise refusals[code](message) from None
            if code in THROTTLED:
                raise TooManyRequests() from None
            raise

    def _respond(self, email: str, session: str, challenge: str, **responses: str) -> ProviderStep:
        answer = self._call(
            "respond_to_auth_challenge",
            CHALLENGE_REFUSALS,
            ClientId=config().user_pool_client_id,
            ChallengeName=challenge,
            Session=session,
            ChallengeResponses={"USERNAME": email, **responses},
        )
        return _step(answer)

    def sign_in(self, email: str, password: str) -> ProviderStep:
        answer = self._call(
            "initiate_auth",
            SIGN_IN_REFUSALS,
            ClientId=config().user_pool_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
        return _step(answer)

    def new_password(self, email: str, session: str, new_password: str) -> ProviderStep:
        return self._respond(email, session, "NEW_PASSWORD_REQUIRED", NEW_PASSWORD=new_password)

    def start_totp(self, session: str) -> tuple[str, str]:
        """A new authenticator secret for the set-up session, and the session to go on with."""
        answer = self._call("associate_software_token", CHALLENGE_REFUSALS, Session=session)
        return str(answer["SecretCode"]), str(answer.get("Session") or session)

    def finish_totp(self, email: str, session: str, code: str) -> ProviderStep:
        """Prove the authenticator with its first code, then complete MFA set-up."""
        verified = self._verify_software_token(code, CHALLENGE_REFUSALS, Session=session)
        return self._respond(email, verified.get("Session") or session, "MFA_SETUP")

    def set_phone(self, email: str, phone: str) -> None:
        """The phone SMS codes go to, ahead of answering MFA_SETUP."""
        # Marked verified: the SMS challenge that follows proves it before any token is issued,
        # and an unverified number would get a second, different code from Cognito first.
        self._call(
            "admin_update_user_attributes",
            {
                "InvalidParameterException": lambda _: InvalidInput(field="phone"),
                "UserNotFoundException": lambda _: Unauthorized("session_expired"),
            },
            UserPoolId=config().user_pool_id,
            Username=email,
            UserAttributes=[
                {"Name": "phone_number", "Value": phone},
                {"Name": "phone_number_verified", "Value": "true"},
            ],
        )

    def answer_setup(self, email: str, session: str, method: str) -> ProviderStep:
        """Answer MFA_SETUP with SMS (to the phone just set) or email: Cognito sends a code."""
        if method == "email":
            return self._respond(email, session, "MFA_SETUP", EMAIL=email)
        return self._respond(email, session, "MFA_SETUP")

    def answer(self, email: str, session: str, challenge: str, code: str) -> ProviderStep:
        return self._respond(
            email, session, COGNITO_CHALLENGE[challenge], **{CODE_KEY[challenge]: code}
        )

    def select(self, email: str, session: str, method: str) -> ProviderStep:
        return self._respond(email, session, "SELECT_MFA_TYPE", ANSWER=COGNITO_CHALLENGE[method])

    def refresh(self, refresh_token: str) -> Tokens:
        answer = self._call(
            "initiate_auth",
            TOKEN_REFUSALS,
            ClientId=config().user_pool_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
        step = _step(answer, refresh_token)
        if not isinstance(step, Tokens):
            raise Unauthorized()
        return step

    def forgot_password(self, email: str) -> None:
        """Ask Cognito for a reset code; every refusal is kept from the caller (no enumeration)."""
        from botocore.exceptions import ClientError  # noqa: PLC0415

        try:
            self._idp.forgot_password(ClientId=config().user_pool_client_id, Username=email)
        except ClientError:
            return

    def reset_password(self, email: str, code: str, new_password: str) -> None:
        self._call(
            "confirm_forgot_password",
            RESET_REFUSALS,
            ClientId=config().user_pool_client_id,
            Username=email,
            ConfirmationCode=code,
            Password=new_password,
        )

    def sign_out(self, access_token: str) -> None:
        self._call("global_sign_out", TOKEN_REFUSALS, AccessToken=access_token)

    # --- the signed-in member's own credentials (access token; no IAM is evaluated) -------

    def change_password(self, access_token: str, current: str, new: str) -> None:
        self._call(
            "change_password",
            CALLER_REFUSALS,
            AccessToken=access_token,
            PreviousPassword=current,
            ProposedPassword=new,
        )

    def associate_authenticator(self, access_token: str) -> str:
        """A new authenticator secret, pending until its first code is verified."""
        answer = self._call("associate_software_token", CALLER_REFUSALS, AccessToken=access_token)
        return str(answer["SecretCode"])

    def verify_authenticator(self, access_token: str, code: str) -> None:
        self._verify_software_token(code, CALLER_REFUSALS, AccessToken=access_token)

    def change_phone(self, access_token: str, phone: str) -> str:
        """Set the phone (unverified) and have Cognito text it a code; the masked destination."""
        answer = self._call(
            "update_user_attributes",
            PHONE_REFUSALS,
            AccessToken=access_token,
            UserAttributes=[{"Name": "phone_number", "Value": phone}],
        )
        sent = [
            details
            for details in answer.get("CodeDeliveryDetailsList") or []
            if details.get("AttributeName") == "phone_number"
        ]
        if not sent:
            # The same number again is no change, so Cognito sent nothing: ask for a code.
            answer = self._call(
                "get_user_attribute_verification_code",
                PHONE_REFUSALS,
                AccessToken=access_token,
                AttributeName="phone_number",
            )
            sent = [answer.get("CodeDeliveryDetails") or {}]
        return str(sent[0].get("Destination") or "")

    def confirm_phone(self, access_token: str, code: str) -> str:
        """Verify the phone with the code it received; the verified number (E.164)."""
        self._call(
            "verify_user_attribute",
            CALLER_REFUSALS,
            AccessToken=access_token,
            AttributeName="phone_number",
            Code=code,
        )
        user = self._call("get_user", CALLER_REFUSALS, AccessToken=access_token)
        attributes = {item["Name"]: item["Value"] for item in user.get("UserAttributes", [])}
        return str(attributes["phone_number"])

    def prefer_mfa(self, access_token: str, method: str) -> None:
        """Turn `method` on and make it preferred; other methods stay on, not preferred."""
        self._call(
            "set_user_mfa_preference",
            PREFERENCE_REFUSALS,
            AccessToken=access_token,
            **{MFA_SETTINGS[method]: {"Enabled": True, "PreferredMfa": True}},
        )
