"""The answer of a route whose issue has not landed yet: 501 in the contract's error shape."""

from __future__ import annotations

import json
from typing import Any

NOT_IMPLEMENTED = {
    "error": {"code": "not_implemented", "message": "This route is not implemented yet."}
}


def proxy_response(status: int, body: dict[str, Any]) -> dict[str, Any]:
    """An API Gateway proxy response with a JSON body, for handlers without a resolver."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
        "body": json.dumps(body),
    }


def not_implemented() -> dict[str, Any]:
    return proxy_response(501, NOT_IMPLEMENTED)
