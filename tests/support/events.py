"""API Gateway REST proxy events, built the way API Gateway builds them, through the route table."""

from __future__ import annotations

import importlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from shared.routes import ROUTES, Route


def match_route(method: str, path: str) -> tuple[Route, dict[str, str]]:
    for route in ROUTES:
        if route.method != method:
            continue
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", route.path)
        found = re.fullmatch(pattern, path)
        if found:
            return route, found.groupdict()
    raise LookupError(f"no route for {method} {path}")


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
    request_id = str(uuid.uuid4())
    all_headers = {"Content-Type": "application/json"} | (headers or {})
    return {
        "resource": route.path,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": params or None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": route.path,
            "httpMethod": method,
            "path": f"/prod{path}",
            "stage": "prod",
            "requestId": request_id,
            "identity": {"sourceIp": "127.0.0.1"},
            "authorizer": {"claims": claims} if claims else None,
        },
        "body": None if body is None else (body if isinstance(body, str) else json.dumps(body)),
        "isBase64Encoded": False,
    }


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
