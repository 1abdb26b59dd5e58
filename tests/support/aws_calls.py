"""Count (and, for fault injection, fail) the AWS requests the handlers' own clients make."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError
from botocore.model import OperationModel

from shared.adapters import aws

SERVICES = {"dynamodb": "DynamoDB", "cognito-idp": "Cognito", "s3": "S3", "ses": "SES"}


@dataclass
class AwsCalls:
    """Counts the requests the handlers' clients make; fails the Nth one when told to."""

    fail_at: int | None = None
    made: list[tuple[str, str]] = field(default_factory=list)

    def before_call(self, model: OperationModel, **_: Any) -> None:
        operation = model.name
        self.made.append((model.service_model.service_name, operation))
        if len(self.made) == self.fail_at:
            error = {"Code": "InternalServerError", "Message": "injected fault"}
            raise ClientError({"Error": error}, operation)

    def count(self, service: str) -> int:
        return sum(1 for made, _ in self.made if made == service)

    def reset(self, fail_at: int | None = None) -> None:
        self.made.clear()
        self.fail_at = fail_at


@contextmanager
def counting_aws_calls(
    services: tuple[str, ...] = ("dynamodb", "cognito-idp"),
) -> Iterator[AwsCalls]:
    """Hooks on the clients the handlers use (created here, cached for the rest of the test)."""
    calls = AwsCalls()
    clients = [aws.client(service) for service in services]
    for each in clients:
        each.meta.events.register("before-call.*.*", calls.before_call)
    try:
        yield calls
    finally:
        for each in clients:
            each.meta.events.unregister("before-call.*.*", calls.before_call)
