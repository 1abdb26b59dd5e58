"""Sign-in and recovery, and the signed-in member's own password and MFA methods.

Every body here holds a password, a code, a session or a token: none is ever logged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from shared.domain.errors import Forbidden, Unauthorized
from shared.domain.members import Member
from shared.domain.signin import SignedIn, Step, Tokens
from shared.web.app import create_app, json_response
from shared.web.caller import claims_of, current_member
from shared.web.requests import (
    ChangePassword,
    ChooseMfa,
    CodeAnswer,
    ForgotPassword,
    MfaAnswer,
    MfaSetup,
    NewPasswordAnswer,
    PhoneNumber,
    Refresh,
    ResetPassword,
    SelectMfa,
    SignIn,
    SmsSetup,
)
from shared.web.runtime import credentials, sign_in_flow, store

app = create_app()
logger = Logger()
metrics = Metrics()


def tokens_view(tokens: Tokens) -> dict[str, Any]:
    return {
        "access_token": tokens.access_token,
        "id_token": tokens.id_token,
        "refresh_token": tokens.refresh_token,
        "expires_in": tokens.expires_in,
    }


def step_response(step: Step) -> Response[Any]:
    """200 with tokens (counted as a sign-in) or with the next challenge."""
    if isinstance(step, SignedIn):
        member = step.member
        centre_id = member.centre_id if member else None
        metrics.add_metadata(key="user_id", value=step.tokens.user_id)
        metrics.add_metadata(key="centre_id", value=centre_id or "")
        metrics.add_metric(name="SignInSucceeded", unit=MetricUnit.Count, value=1)
        logger.info("signed in", extra={"user_id": step.tokens.user_id, "centre_id": centre_id})
        return json_response(200, {"status": "signed_in", "tokens": tokens_view(step.tokens)})
    body = {"status": "challenge", "challenge": step.name, "session": step.session}
    logger.info("challenge issued", extra={"challenge": step.name})
    return json_response(200, body | step.details)


@contextmanager
def counted_refusals() -> Iterator[None]:
    """Count and log (by code only) a sign-in step the portal refuses."""
    try:
        yield
    except (Unauthorized, Forbidden) as refused:
        metrics.add_metric(name="SignInFailed", unit=MetricUnit.Count, value=1)
        logger.info("sign-in refused", extra={"code": refused.code})
        raise


@app.post("/auth/sign-in")
def sign_in(body: SignIn) -> Response[Any]:
    with counted_refusals():
        step = sign_in_flow().sign_in(body.email, body.password)
    return step_response(step)


@app.post("/auth/new-password")
def new_password(body: NewPasswordAnswer) -> Response[Any]:
    with counted_refusals():
        step = sign_in_flow().new_password(body.email, body.session, body.new_password)
    return step_response(step)


@app.post("/auth/mfa-setup/totp")
def set_up_totp(body: MfaSetup) -> Response[Any]:
    with counted_refusals():
        step = sign_in_flow().set_up_totp(body.email, body.session)
    return step_response(step)


@app.post("/auth/mfa-setup/sms")
def set_up_sms(body: SmsSetup) -> Response[Any]:
    with counted_refusals():
        step = sign_in_flow().set_up_sms(body.email, body.session, body.phone)
    return step_response(step)


@app.post("/auth/mfa-setup/email")
def set_up_email(body: MfaSetup) -> Response[Any]:
    with counted_refusals():
        step = sign_in_flow().set_up_email(body.email, body.session)
    return step_response(step)


@app.post("/auth/mfa")
def answer_mfa(body: MfaAnswer) -> Response[Any]:
    with counted_refusals():
        step = sign_in_flow().answer(body.email, body.session, body.challenge, body.code)
    return step_response(step)


@app.post("/auth/select-mfa")
def select_mfa(body: SelectMfa) -> Response[Any]:
    with counted_refusals():
        step = sign_in_flow().select(body.email, body.session, body.method)
    return step_response(step)


@app.post("/auth/refresh")
def refresh(body: Refresh) -> Response[Any]:
    tokens = sign_in_flow().refresh(body.refresh_token)
    return json_response(200, {"status": "signed_in", "tokens": tokens_view(tokens)})


@app.post("/auth/forgot-password")
def forgot_password(body: ForgotPassword) -> Response[Any]:
    sign_in_flow().forgot_password(body.email)
    return json_response(202, {"status": "code_sent"})


@app.post("/auth/reset-password")
def reset_password(body: ResetPassword) -> Response[Any]:
    sign_in_flow().reset_password(body.email, body.code, body.new_password)
    metrics.add_metric(name="PasswordReset", unit=MetricUnit.Count, value=1)
    return json_response(204, None)


def access_token() -> str:
    """The caller's bearer token, which API Gateway's authorizer has already verified."""
    authorization = app.current_event.headers.get("authorization") or ""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    return token.strip()


def signed_in() -> tuple[Member, str]:
    """The caller's member record (so a deleted member is refused) and their access token."""
    return current_member(app, store()), access_token()


def mfa_changed(member: Member, method: str) -> Response[Any]:
    metrics.add_metric(name="MfaChanged", unit=MetricUnit.Count, value=1)
    logger.info("mfa changed", extra={"user_id": member.user_id, "method": method})
    return json_response(204, None)


@app.post("/auth/sign-out")
def sign_out() -> Response[Any]:
    sign_in_flow().sign_out(access_token())
    logger.info("signed out", extra={"user_id": claims_of(app).get("sub")})
    return json_response(204, None)


@app.post("/me/password")
def change_password(body: ChangePassword) -> Response[Any]:
    member, token = signed_in()
    credentials().change_password(member, token, body.current_password, body.new_password)
    metrics.add_metric(name="PasswordChanged", unit=MetricUnit.Count, value=1)
    logger.info("password changed", extra={"user_id": member.user_id})
    return json_response(204, None)


@app.get("/me/mfa")
def mfa_settings() -> Response[Any]:
    settings = credentials().mfa(current_member(app, store()))
    body = {
        "preferred": settings.preferred,
        "enabled": list(settings.enabled),
        "options": list(settings.options),
    }
    return json_response(200, body)


@app.put("/me/mfa")
def choose_mfa(body: ChooseMfa) -> Response[Any]:
    member, token = signed_in()
    credentials().switch(member, token, body.method)
    return mfa_changed(member, body.method)


@app.post("/me/mfa/totp")
def start_authenticator() -> Response[Any]:
    member, token = signed_in()
    setup = credentials().start_authenticator(member, token)
    body = {"secret": setup.secret, "otpauth_uri": setup.otpauth_uri, "qr_svg": setup.qr_svg}
    return json_response(200, body)


@app.post("/me/mfa/totp/verify")
def verify_authenticator(body: CodeAnswer) -> Response[Any]:
    member, token = signed_in()
    credentials().verify_authenticator(member, token, body.code)
    return mfa_changed(member, "totp")


@app.post("/me/mfa/sms")
def start_sms(body: PhoneNumber) -> Response[Any]:
    member, token = signed_in()
    destination = credentials().start_sms(member, token, body.phone)
    return json_response(202, {"status": "code_sent", "destination": destination})


@app.post("/me/mfa/sms/verify")
def verify_sms(body: CodeAnswer) -> Response[Any]:
    member, token = signed_in()
    credentials().verify_sms(member, token, body.code)
    return mfa_changed(member, "sms")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
