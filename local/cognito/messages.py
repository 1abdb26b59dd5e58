"""Cognito's custom message trigger and message delivery (email through SES, SMS to the outbox).

Cognito runs the pool's CustomMessage Lambda before each message it sends, puts the real code
or temporary password where the returned message has `{####}` (and the user name where it has
`{username}`), and sends the result; without a trigger it uses the pool's message templates.
"""

from __future__ import annotations

import html
import importlib
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool
from moto.ses.models import ses_backends

from local.cognito.clock import clock
from local.cognito.errors import CognitoError
from local.cognito.outbox import Message, SecretKind, outbox

Trigger = Callable[[dict[str, Any], Any], dict[str, Any]]

PROJECT_TRIGGER = "functions.custom_message.handler"
CODE = "{####}"
USERNAME = "{username}"
DEFAULT_SENDER = "no-reply@verificationemail.com"

logger = logging.getLogger(__name__)

# Cognito's default wording, used when the pool has no template and no trigger answers.
_DEFAULTS: dict[str, tuple[str, str]] = {
    "invite": (
        "Your temporary password",
        "Your username is {username} and temporary password is {####}.",
    ),
    "verify": ("Your verification code", "Your verification code is {####}."),
    "mfa": ("Your authentication code", "Your authentication code is {####}."),
}


@dataclass
class LambdaContext:
    """Enough of the Lambda context object for Powertools and the project's handlers."""

    function_name: str = "custom-message"
    function_version: str = "$LATEST"
    invoked_function_arn: str = ""
    memory_limit_in_mb: int = 256
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/custom-message"
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        """Always plenty: the trigger runs in-process."""
        return 5000


class TriggerRegistry:
    """Which callable plays the pool's CustomMessage Lambda."""

    def __init__(self) -> None:
        self.trigger: Trigger | None = None

    def resolve(self) -> Trigger | None:
        """The configured callable, else the project's handler if it exists yet."""
        if self.trigger is not None:
            return self.trigger
        try:
            module = importlib.import_module(PROJECT_TRIGGER)
        except ModuleNotFoundError:
            return None
        handler: Trigger = module.handler
        return handler


triggers = TriggerRegistry()


def _templates(
    pool: CognitoIdpUserPool, purpose: str, email_mfa: dict[str, Any] | None
) -> tuple[str, str, str]:
    """(email subject, email message, sms message) from the pool's templates or defaults."""
    config = pool.extended_config
    subject, body = _DEFAULTS[purpose]
    sms = body
    if purpose == "invite":
        template = (config.get("AdminCreateUserConfig") or {}).get("InviteMessageTemplate") or {}
        return (
            template.get("EmailSubject") or subject,
            template.get("EmailMessage") or body,
            template.get("SMSMessage") or sms,
        )
    if purpose == "verify":
        template = config.get("VerificationMessageTemplate") or {}
        return (
            template.get("EmailSubject") or config.get("EmailVerificationSubject") or subject,
            template.get("EmailMessage") or config.get("EmailVerificationMessage") or body,
            template.get("SmsMessage") or config.get("SmsVerificationMessage") or sms,
        )
    sms_config = pool.sms_mfa_config or {}
    return (
        (email_mfa or {}).get("Subject") or subject,
        (email_mfa or {}).get("Message") or body,
        sms_config.get("SmsAuthenticationMessage") or config.get("SmsAuthenticationMessage") or sms,
    )


def _event(
    pool: CognitoIdpUserPool,
    user: CognitoIdpUser,
    trigger_source: str,
    client_id: str | None,
    client_metadata: dict[str, str] | None,
) -> dict[str, Any]:
    """A CustomMessage event shaped as the Cognito developer guide documents it."""
    attributes = dict(user.attribute_lookup)
    attributes["cognito:user_status"] = str(getattr(user.status, "value", user.status))
    request: dict[str, Any] = {
        "userAttributes": attributes,
        "codeParameter": CODE,
        "linkParameter": "{##Click Here##}",
        "usernameParameter": USERNAME
        if trigger_source == "CustomMessage_AdminCreateUser"
        else None,
        "clientMetadata": client_metadata or {},
    }
    return {
        "version": "1",
        "region": pool.region,
        "userPoolId": pool.id,
        "userName": user.username,
        "callerContext": {
            "awsSdkVersion": "aws-sdk-unknown-unknown",
            "clientId": client_id or "CLIENT_ID_NOT_APPLICABLE",
        },
        "triggerSource": trigger_source,
        "request": request,
        "response": {"smsMessage": None, "emailMessage": None, "emailSubject": None},
    }


def _run_trigger(pool: CognitoIdpUserPool, event: dict[str, Any]) -> dict[str, Any]:
    """Run the CustomMessage trigger if the pool has one; its `response`, or {}."""
    if not (pool.extended_config.get("LambdaConfig") or {}).get("CustomMessage"):
        return {}
    trigger = triggers.resolve()
    if trigger is None:
        return {}
    arn = pool.extended_config["LambdaConfig"]["CustomMessage"]
    try:
        result = trigger(event, LambdaContext(invoked_function_arn=arn))
    except Exception as error:
        # Cognito fails the API call that wanted to send the message, naming the trigger.
        raise CognitoError(
            "UserLambdaValidationException", f"CustomMessage failed with error {error}."
        ) from error
    if not isinstance(result, dict) or not isinstance(result.get("response"), dict):
        raise CognitoError("InvalidLambdaResponseException", "Invalid lambda response.")
    response: dict[str, Any] = result["response"]
    return response


def _fill(message: str, secret: str, username: str) -> str:
    """Put the real secret and user name where Cognito's placeholders are."""
    return message.replace(CODE, secret).replace(USERNAME, username)


def _text_of(markup: str) -> str:
    """A plain-text rendering of an HTML email body, for people and tests reading the outbox."""
    body = re.sub(r"<(head|style|script)\b.*?</\1>", "", markup, flags=re.IGNORECASE | re.DOTALL)
    body = re.sub(r"<br\s*/?>|</p>|</div>|</li>|</h\d>", "\n", body, flags=re.IGNORECASE)
    body = html.unescape(re.sub(r"<[^>]+>", "", body))
    lines = [line.strip() for line in body.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def display_username(pool: CognitoIdpUserPool, user: CognitoIdpUser) -> str:
    """The name a user signs in with: the email in an email-username pool."""
    for attribute in pool.extended_config.get("UsernameAttributes") or []:
        value = user.attribute_lookup.get(attribute)
        if value:
            return str(value)
    return str(user.username)


def sender(pool: CognitoIdpUserPool) -> str:
    """The From address: EmailConfiguration.From, else its SourceArn identity, else Cognito's."""
    config = pool.extended_config.get("EmailConfiguration") or {}
    if config.get("From"):
        return str(config["From"])
    source_arn = str(config.get("SourceArn") or "")
    if "identity/" in source_arn:
        return source_arn.split("identity/", 1)[1]
    return DEFAULT_SENDER


def _send_email(pool: CognitoIdpUserPool, to: str, subject: str, body: str) -> None:
    """Send through moto's SES in the pool's account, so SES's own outbox holds it too."""
    backend = ses_backends[pool.account_id][pool.region]
    source = sender(pool)
    backend.verify_email_identity(parseaddr(source)[1])
    backend.send_email(source, subject, body, {"ToAddresses": [to]})


def deliver(
    pool: CognitoIdpUserPool,
    user: CognitoIdpUser,
    *,
    trigger_source: str,
    purpose: str,
    secret: str,
    secret_kind: SecretKind,
    mediums: Iterable[str],
    client_id: str | None = None,
    client_metadata: dict[str, str] | None = None,
    email_mfa_config: dict[str, Any] | None = None,
    to: str | None = None,
) -> None:
    """Word a message through the trigger and send it by each medium the user can receive."""
    default_subject, default_email, default_sms = _templates(pool, purpose, email_mfa_config)
    username = display_username(pool, user)
    for medium in mediums:
        address = to or user.attribute_lookup.get("email" if medium == "EMAIL" else "phone_number")
        if not address:
            continue
        response = _run_trigger(
            pool, _event(pool, user, trigger_source, client_id, client_metadata)
        )
        if medium == "EMAIL":
            body = response.get("emailMessage") or default_email
            if CODE not in body:
                # Cognito ignores a custom message that leaves out the code placeholder.
                logger.warning("custom message without %s ignored", CODE)
                body = default_email
            subject = _fill(response.get("emailSubject") or default_subject, secret, username)
            filled = _fill(body, secret, username)
            _send_email(pool, address, subject, filled)
            outbox.record(
                Message(
                    "email",
                    address,
                    subject,
                    _text_of(filled),
                    filled,
                    clock.now(),
                    trigger_source,
                    secret_kind,
                    secret,
                )
            )
        else:
            body = response.get("smsMessage") or default_sms
            if CODE not in body:
                body = default_sms
            outbox.record(
                Message(
                    "sms",
                    address,
                    None,
                    _fill(body, secret, username),
                    None,
                    clock.now(),
                    trigger_source,
                    secret_kind,
                    secret,
                )
            )


def mask_email(address: str) -> str:
    """Cognito's masked email destination: first letter and first letter of the domain."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


def mask_phone(number: str) -> str:
    """Cognito's masked phone destination: stars then the last four digits."""
    return "+" + "*" * max(len(number) - 5, 0) + number[-4:]


def delivery_details(medium: str, address: str) -> dict[str, str]:
    """A CodeDeliveryDetails structure with the destination masked as Cognito masks it."""
    if medium == "EMAIL":
        return {
            "Destination": mask_email(address),
            "DeliveryMedium": "EMAIL",
            "AttributeName": "email",
        }
    return {
        "Destination": mask_phone(address),
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }
