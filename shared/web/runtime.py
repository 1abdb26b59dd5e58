"""The objects a handler builds once per container: store, directory and use cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shared.adapters.directory import CognitoDirectory
from shared.adapters.store import DynamoStore
from shared.domain.management import MemberManagement
from shared.domain.members import Member
from shared.web.app import json_response
from shared.web.caller import current_member
from shared.web.idempotency import KEY_HEADER, Outcome, run_once


@cache
def store() -> DynamoStore:
    return DynamoStore()


@cache
def management() -> MemberManagement:
    return MemberManagement(store(), CognitoDirectory(), clock=now)


def now() -> datetime:
    return datetime.now(UTC)


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
