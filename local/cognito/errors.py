"""Cognito errors that moto does not define, raised the way moto raises its own."""

from __future__ import annotations

from moto.core.exceptions import JsonRESTError


class CognitoError(JsonRESTError):
    """A Cognito error answered as JSON with the documented type and message."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(error_type, message)


def not_authorized(message: str) -> CognitoError:
    """NotAuthorizedException with Cognito's message."""
    return CognitoError("NotAuthorizedException", message)


def code_mismatch(message: str = "Invalid code or auth state for the user.") -> CognitoError:
    """CodeMismatchException, as for a wrong MFA or verification code."""
    return CognitoError("CodeMismatchException", message)


def expired_code(
    message: str = "Invalid code provided, please request a code again.",
) -> CognitoError:
    """ExpiredCodeException, as for a code past its lifetime or never requested."""
    return CognitoError("ExpiredCodeException", message)


def invalid_parameter(message: str) -> CognitoError:
    """InvalidParameterException with Cognito's message."""
    return CognitoError("InvalidParameterException", message)


SESSION_EXPIRED = "Invalid session for the user, session is expired."
INVALID_SESSION = "Invalid session for the user."
INCORRECT_CREDENTIALS = "Incorrect username or password."
