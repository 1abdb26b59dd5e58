"""The OpenAPI document declares what the portal really answers, so clients can rely on it."""

from __future__ import annotations

from typing import Any

import pytest

from local.openapi import ERROR_SCHEMA, merged_document
from shared.routes import ROUTES, Route

CONTRACT_ERRORS = {"400", "401", "403", "404", "409", "413", "415", "422", "429", "500"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return merged_document("http://127.0.0.1:8000")


def operation(document: dict[str, Any], key: str) -> dict[str, Any]:
    method, path = key.split(" ", 1)
    found: dict[str, Any] = document["paths"][path][method.lower()]
    return found


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.key)
def test_every_operation_declares_the_contract_errors_with_the_error_body(
    document: dict[str, Any], route: Route
) -> None:
    responses = operation(document, route.key)["responses"]

    assert set(responses) >= CONTRACT_ERRORS
    for status in CONTRACT_ERRORS:
        schema = responses[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}
    # Powertools' 422 body (a list of pydantic errors) is not what the portal sends.
    assert "HTTPValidationError" not in str(responses)


@pytest.mark.parametrize(
    ("key", "status"),
    [
        ("GET /health", "200"),
        ("POST /centres/{centre_id}/users", "201"),
        ("POST /auth/forgot-password", "202"),
        ("DELETE /centres/{centre_id}/users/{user_id}", "204"),
        ("POST /auth/sign-out", "204"),
    ],
)
def test_each_operation_declares_the_success_status_its_handler_answers(
    document: dict[str, Any], key: str, status: str
) -> None:
    successes = [code for code in operation(document, key)["responses"] if code.startswith("2")]

    assert successes == [status]
    if status == "204":
        assert "content" not in operation(document, key)["responses"]["204"]


def test_the_error_body_requires_a_code_and_a_message(document: dict[str, Any]) -> None:
    error = document["components"]["schemas"][ERROR_SCHEMA]

    assert error["required"] == ["error"]
    assert error["properties"]["error"]["required"] == ["code", "message"]
