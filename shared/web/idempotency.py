"""Idempotency-Key support: a retried request with the same key and body does nothing twice.

Built on Powertools idempotency with the DynamoDB persistence table. The key is scoped to the
caller and the route, so two members cannot collide on a key, and a reused key with another
body is refused rather than answered with the first result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from typing import Any

from shared.adapters.aws import client, config
from shared.domain.errors import Conflict, Unprocessable

logger = logging.getLogger(__name__)

Outcome = dict[str, Any]
_operation: ContextVar[Callable[[], Outcome]] = ContextVar("idempotent_operation")
KEY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 128


@cache
def _runner() -> tuple[Callable[..., Outcome], Any]:
    from aws_lambda_powertools.utilities.idempotency import (  # noqa: PLC0415 - only on use
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )

    persistence = DynamoDBPersistenceLayer(
        table_name=config().idempotency_table_name, boto3_client=client("dynamodb")
    )
    settings = IdempotencyConfig(
        event_key_jmespath="[caller, route, key]",
        payload_validation_jmespath="body",
        expires_after_seconds=24 * 3600,
        raise_on_no_idempotency_key=True,
    )

    @idempotent_function(
        data_keyword_argument="request", persistence_store=persistence, config=settings
    )
    def run(request: dict[str, Any]) -> Outcome:
        return _operation.get()()

    return run, settings


def run_once(
    key: str | None,
    caller: str,
    route: str,
    body: Any,
    operation: Callable[[], Outcome],
    *,
    lambda_context: Any = None,
) -> Outcome:
    """Run `operation`, or return its first outcome if this key already ran it."""
    if not key:
        return operation()
    if len(key) > MAX_KEY_LENGTH:
        raise Unprocessable("validation_error", field=KEY_HEADER)
    from aws_lambda_powertools.utilities.idempotency.exceptions import (  # noqa: PLC0415
        IdempotencyAlreadyInProgressError,
        IdempotencyPersistenceLayerError,
        IdempotencyValidationError,
    )

    run, settings = _runner()
    if lambda_context is not None:
        # Powertools marks a record in progress only for the time this invocation has left.
        settings.register_lambda_context(lambda_context)
    outcomes: list[Outcome] = []

    def once() -> Outcome:
        outcomes.append(operation())
        return outcomes[-1]

    token = _operation.set(once)
    try:
        return run(request={"caller": caller, "route": route, "key": key, "body": body})
    except IdempotencyValidationError as error:
        raise Unprocessable("idempotency_key_reused") from error
    except IdempotencyAlreadyInProgressError as error:
        raise Conflict("request_in_progress") from error
    except IdempotencyPersistenceLayerError:
        if not outcomes:
            raise
        # The change took effect and only its record failed to save: the caller is told the
        # truth. The record stays in progress, so a retry within this invocation's remaining
        # time is refused with request_in_progress rather than run twice.
        logger.warning("idempotency record not saved", extra={"route": route})
        return outcomes[-1]
    finally:
        _operation.reset(token)


def reset() -> None:
    """Forget the persistence layer (tests switch tables between cases)."""
    _runner.cache_clear()
