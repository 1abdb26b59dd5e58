"""Placeholder for the account function: the health check works, other routes answer 501."""

from __future__ import annotations

from typing import Any

from shared.web.placeholder import not_implemented, proxy_response


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answer GET /health with 200 and every other route with 501."""
    if event.get("httpMethod") == "GET" and event.get("resource") == "/health":
        return proxy_response(200, {"status": "ok"})
    return not_implemented()
