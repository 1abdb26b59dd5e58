"""Placeholder for the services function: every route answers 501 until it is written."""

from __future__ import annotations

from typing import Any

from shared.web.placeholder import not_implemented


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answer every route with 501 in the contract's error shape."""
    return not_implemented()
