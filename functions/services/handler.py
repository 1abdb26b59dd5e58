"""Placeholder for the services function: every route answers 501 until it is written."""

from __future__ import annotations

import json
from typing import Any

NOT_IMPLEMENTED = {
    "error": {"code": "not_implemented", "message": "This route is not implemented yet."}
}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answer every route with 501 in the contract's error shape."""
    return {
        "statusCode": 501,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(NOT_IMPLEMENTED),
    }
