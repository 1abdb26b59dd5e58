"""API Gateway REST proxy events, built by the local gateway's own code, through the route table."""

from __future__ import annotations

import importlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from local.gateway import match_route, proxy_event

__all__ = ["LambdaContext", "Reply", "api_event", "call", "match_route"]


def api_event(
    method: str,
    path: str,
    *,
    claims: dict[str, Any] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    route, params = match_route(method, path)
    all_headers = {"Content-Type": "application/json"} | (headers or {})
    return proxy_event(
        route,
        path,
        params,
        headers=all_headers,
        query={key: [value] for key, value in query.items()} if query else None,
        body=None if body is None else (body if isinstance(body, str) else json.dumps(body)),
        claims=claims,
        request_id=str(uuid.uuid4()),
    )


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def error_code(self) -> str | None:
        return self.body.get("error", {}).get("code") if isinstance(self.body, dict) else None


class LambdaContext:
    function_name = "test"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-2:123456789012:function:test"
    aws_request_id = "test-request"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


def call(method: str, path: str, **kwargs: Any) -> Reply:
    """Dispatch like API Gateway: to the handler of the function that owns the route."""
    route, _ = match_route(method, path)
    module = importlib.import_module(f"functions.{route.function}.handler")
    raw = module.handler(api_event(method, path, **kwargs), LambdaContext())
    body = json.loads(raw["body"]) if raw.get("body") else None
    return Reply(raw["statusCode"], body, raw.get("headers") or {})
