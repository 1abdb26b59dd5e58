"""The objects a handler builds once per container: store, directory and use cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shared.adapters.auth import CognitoAuth
from shared.adapters.aws import config
from shared.adapters.directory import CognitoDirectory
from shared.adapters.files import S3Files
from shared.adapters.publishing import DynamoPublishing
from shared.adapters.store import DynamoStore
from shared.domain.credentials import Credentials
from shared.domain.management import MemberManagement
from shared.domain.members import Member
from shared.domain.profile import Profiles
from shared.domain.publishing import Publishing
from shared.domain.signin import SignInFlow
from shared.web.app import json_response
from shared.web.caller import current_member
from shared.web.idempotency import KEY_HEADER, Outcome, run_once


@cache
def store() -> DynamoStore:
    return DynamoStore()


@cache
def management() -> MemberManagement:
    return MemberManagement(store(), CognitoDirectory(), clock=now)


@cache
def sign_in_flow() -> SignInFlow:
    return SignInFlow(CognitoAuth(), store(), clock=now, issuer=config().portal_name)


@cache
def credentials() -> Credentials:
    return Credentials(CognitoAuth(), store(), clock=current_time, issuer=config().portal_name)


@cache
def profiles() -> Profiles:
    return Profiles(store(), CognitoDirectory(), clock=current_time)


@cache
def publishing() -> Publishing:
    return Publishing(
        store(), DynamoPublishing(), S3Files(), config().launch_urls, clock=current_time
    )


def now() -> datetime:
    return datetime.now(UTC)


def current_time() -> datetime:
    """`now` looked up on each call, so that tests can set the clock after caches are built."""
    return now()


def idempotency_key(app: APIGatewayRestResolver) -> str | None:
    value = app.current_event.headers.get(KEY_HEADER)
    return str(value) if value else None


def change_once(
    app: APIGatewayRestResolver,
    route: str,
    body: Any,
    operation: Callable[[Member], Outcome],
) -> Response[Any]:
    """Run a change as the caller, at most once per Idempotency-Key, and answer its outcome."""
    caller = current_member(app, store())
    outcome = run_once(
        idempotency_key(app),
        caller.user_id,
        route,
        body,
        lambda: operation(caller),
        lambda_context=app.lambda_context,
    )
    return json_response(outcome["status"], outcome["body"])


def reset() -> None:
    """Forget the cached objects (tests switch environments between cases)."""
    store.cache_clear()
    management.cache_clear()
    profiles.cache_clear()
    publishing.cache_clear()
    sign_in_flow.cache_clear()
    credentials.cache_clear()
