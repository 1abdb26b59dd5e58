"""Corrections 1 and 2: the custom message trigger words every message, which reaches an outbox."""

from __future__ import annotations

import importlib.util
from typing import Any

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from local.cognito import Outbox, PortalPool, cognito_layer, create_portal_pool
from shared.settings import DEFAULT_REGION
from tests.cognito.helpers import (
    PASSWORD,
    TEMPORARY_PASSWORD,
    answer,
    first_sign_in,
    invite,
    sign_in,
)

PHONE = "+447700900123"


def _latest(outbox: Outbox, to: str) -> Any:
    """The newest message to `to`, failing plainly when nothing was sent."""
    sent = outbox.messages(to)
    assert sent, f"nothing was sent to {to}"
    return sent[0]


def test_custom_message_trigger_words_invites_resends_codes_and_verifications(
    fidelity: bool, cognito: Any, portal_pool: PortalPool, outbox: Outbox
) -> None:
    """Cognito runs CustomMessage for each message and fills in {####} and {username}."""
    invite(cognito, portal_pool, "alice@example.org")
    message = _latest(outbox, "alice@example.org")
    assert message.subject == "[CustomMessage_AdminCreateUser]"
    assert message.text == f"CustomMessage_AdminCreateUser alice@example.org {TEMPORARY_PASSWORD}"

    invite(
        cognito,
        portal_pool,
        "alice@example.org",
        MessageAction="RESEND",
        TemporaryPassword="Resent-pass-12",
    )
    assert _latest(outbox, "alice@example.org").text.endswith("Resent-pass-12")

    step = sign_in(cognito, portal_pool, "alice@example.org", "Resent-pass-12")
    step = answer(cognito, portal_pool, step, USERNAME="alice@example.org", NEW_PASSWORD=PASSWORD)
    step = answer(
        cognito, portal_pool, step, USERNAME="alice@example.org", EMAIL="alice@example.org"
    )
    code = _latest(outbox, "alice@example.org")
    assert code.subject == "[CustomMessage_Authentication]"
    tokens = answer(
        cognito, portal_pool, step, USERNAME="alice@example.org", EMAIL_OTP_CODE=code.secret
    )
    access_token = tokens["AuthenticationResult"]["AccessToken"]

    cognito.update_user_attributes(
        AccessToken=access_token, UserAttributes=[{"Name": "phone_number", "Value": PHONE}]
    )
    verification = _latest(outbox, PHONE)
    assert (verification.kind, verification.text) == (
        "sms",
        f"CustomMessage_UpdateUserAttribute {verification.secret}",
    )
    cognito.get_user_attribute_verification_code(
        AccessToken=access_token, AttributeName="phone_number"
    )
    assert _latest(outbox, PHONE).trigger_source == "CustomMessage_VerifyUserAttribute"

    invite(cognito, portal_pool, "bob@example.org")
    cognito.admin_set_user_password(
        UserPoolId=portal_pool.pool_id,
        Username="bob@example.org",
        Password=PASSWORD,
        Permanent=True,
    )
    cognito.forgot_password(ClientId=portal_pool.client_id, Username="bob@example.org")
    reset = _latest(outbox, "bob@example.org")
    assert reset.text == f"CustomMessage_ForgotPassword {outbox.latest_code('bob@example.org')}"


def test_invites_codes_and_sms_reach_an_outbox_a_person_can_read(
    fidelity: bool, cognito: Any, portal_pool: PortalPool, outbox: Outbox
) -> None:
    """Email goes through SES (readable there too); SMS lands in the SMS outbox."""
    invite(cognito, portal_pool, "carol@example.org")
    ses = ses_backends[DEFAULT_ACCOUNT_ID][DEFAULT_REGION].sent_messages
    assert [m.destinations["ToAddresses"] for m in ses] == [["carol@example.org"]]
    assert outbox.latest_temporary_password("carol@example.org") == TEMPORARY_PASSWORD

    step = first_sign_in(cognito, portal_pool, "dave@example.org")
    cognito.admin_update_user_attributes(
        UserPoolId=portal_pool.pool_id,
        Username="dave@example.org",
        UserAttributes=[
            {"Name": "phone_number", "Value": PHONE},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
    )
    step = answer(cognito, portal_pool, step, USERNAME="dave@example.org")
    assert step.get("ChallengeName") == "SMS_MFA"
    assert step["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "+********0123"
    sms = _latest(outbox, PHONE)
    assert sms.kind == "sms"
    assert outbox.as_json(PHONE)["messages"][0]["text"] == sms.text


@pytest.mark.skipif(
    importlib.util.find_spec("functions.custom_message.handler") is None,
    reason="the project's custom message handler is not written yet",
)
def test_project_custom_message_trigger_words_the_invite(
    aws: None, clock: Any, outbox: Outbox
) -> None:
    """With no trigger given, the layer runs the project's own handler, as the pool's Lambda."""
    cognito = boto3.client("cognito-idp", region_name=DEFAULT_REGION)
    with cognito_layer():
        pool = create_portal_pool(cognito)
        invite(cognito, pool, "erin@example.org")
        message = _latest(outbox, "erin@example.org")
    assert TEMPORARY_PASSWORD in message.text
    assert message.html is not None
    assert "{####}" not in message.html
