"""Word each Cognito email and SMS in the member's language, from the portal's templates.

Pure: no AWS calls, so the local Cognito layer runs this same handler to fill its outbox.
An event this trigger does not recognise comes back unchanged and Cognito sends its default.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from shared.messages import language_for, render

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger

TRIGGER_KINDS = {
    # AdminCreateUser also covers a resent invite (MessageAction RESEND).
    "CustomMessage_AdminCreateUser": "invite",
    "CustomMessage_ForgotPassword": "reset_code",
    "CustomMessage_Authentication": "mfa_code",
    "CustomMessage_UpdateUserAttribute": "verification_code",
    "CustomMessage_VerifyUserAttribute": "verification_code",
    "CustomMessage_ResendCode": "verification_code",
    "CustomMessage_SignUp": "verification_code",
}
# What the invite function passes as ClientMetadata; each is optional.
CLIENT_METADATA_VALUES = ("inviter_name", "centre_name", "centre_id")


@cache
def _logger() -> Logger:
    # Imported on first use: Powertools takes about 0.1 s to import, and the local Cognito
    # layer and the unit tests import this module without ever needing a logger.
    from aws_lambda_powertools import Logger  # noqa: PLC0415

    return Logger()


def handler(event: dict[str, Any], context: object = None) -> dict[str, Any]:
    """Return the event with Cognito's response filled from the templates, or unchanged."""
    trigger_source = event.get("triggerSource")
    kind = TRIGGER_KINDS.get(trigger_source) if isinstance(trigger_source, str) else None
    request = event.get("request") or {}
    values = _values(request, kind)
    # Without its placeholders Cognito would reject our message; its default is better.
    if kind is None or not values.get("code") or (kind == "invite" and not values.get("username")):
        return event

    language = language_for((request.get("userAttributes") or {}).get("locale"))
    message = render(kind, language, values)
    _logger().info(
        "custom message rendered", extra={"trigger_source": trigger_source, "language": language}
    )

    response = {
        **(event.get("response") or {}),
        "emailSubject": message.subject,
        "emailMessage": message.html,
        "smsMessage": message.sms,
    }
    return {**event, "response": response}


def _values(request: dict[str, Any], kind: str | None) -> dict[str, str]:
    values = {
        "code": request.get("codeParameter") or "",
        "username": request.get("usernameParameter") or "",
    }
    metadata = request.get("clientMetadata") or {}
    if kind == "invite":
        for name in CLIENT_METADATA_VALUES:
            value = metadata.get(name)
            if isinstance(value, str) and value.strip():
                values[name] = value
    return values
