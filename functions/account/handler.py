"""Placeholder for the account function: the health check works, other routes answer 501."""

from __future__ import annotations

import json
from typing import Any

NOT_IMPLEMENTED = {
    "error": {"code": "not_implemented", "message": "This route is not implemented yet."}
}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answer GET /health with 200 and every other route with 501."""
    if event.get("httpMethod") == "GET" and event.get("resource") == "/health":
        return _response(200, {"status": "ok"})
    return _response(501, NOT_IMPLEMENTED)


def _response(status: int, body: dict[str, Any]) -> dict[str, Any]:
    """An API Gateway proxy response with a JSON body."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
    }
