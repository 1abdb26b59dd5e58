"""One OpenAPI document for the whole API, merged from each function's Powertools resolver."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable
from typing import Any

from aws_lambda_powertools.event_handler.openapi.swagger_ui.html import generate_swagger_html

from shared.routes import FUNCTIONS, ROUTES, Route

TITLE = "Centre Portal API"
VERSION = "local"
SWAGGER_ASSETS = "/_local/swagger"
BEARER = "cognitoAccessToken"
ERROR_SCHEMA = "Error"

# What each route answers when it succeeds, where that is not 200 with a JSON body (the
# handlers return these through json_response; Powertools can only see the 200 it assumes).
CREATED, ACCEPTED, NO_CONTENT = 201, 202, 204
SUCCESS_STATUS: dict[str, int] = {
    "POST /auth/forgot-password": ACCEPTED,
    "POST /auth/reset-password": NO_CONTENT,
    "POST /auth/sign-out": NO_CONTENT,
    "POST /me/password": NO_CONTENT,
    "PUT /me/mfa": NO_CONTENT,
    "POST /me/mfa/totp/verify": NO_CONTENT,
    "POST /me/mfa/sms": ACCEPTED,
    "POST /me/mfa/sms/verify": NO_CONTENT,
    "POST /centres/{centre_id}/users": CREATED,
    "POST /centres/{centre_id}/users/{user_id}/reset-sign-in": ACCEPTED,
    "DELETE /centres/{centre_id}/users/{user_id}": NO_CONTENT,
    "POST /centres": CREATED,
    "PUT /centres/{centre_id}/exams-officer": CREATED,
    "DELETE /centres/{centre_id}/exams-officer": NO_CONTENT,
    "POST /resources": CREATED,
}
# The contract's error answers, any of which any route may give: request validation (400),
# the authorizer or a sign-in refusal (401), a role or permission (403), another centre or an
# unknown id (404), a conflict (409), the gateway's body limit (413), a body that is not JSON
# (415), a business rule on a well-formed body (422), throttling (429) and a fault (500).
ERROR_STATUSES: dict[int, str] = {
    400: "The body or a parameter is not valid (validation_error), or a rule refuses it",
    401: "No valid access token, or a sign-in step refused",
    403: "Signed in, but not allowed",
    404: "No such route, or nothing the caller may see",
    409: "Conflicts with the current state",
    413: "The body is larger than 1 MB",
    415: "The body is not JSON",
    422: "Well formed, but a business rule refuses it",
    429: "Too many requests",
    500: "Internal error, with no detail",
}
ERROR_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "pattern": "^[a-z0-9_]+$"},
                "message": {"type": "string"},
                "available_from": {"type": "string", "format": "date-time"},
            },
        }
    },
}


def function_document(function: str) -> dict[str, Any] | None:
    """The OpenAPI document of one function's resolver, or None if it has no resolver yet."""
    module = importlib.import_module(f"functions.{function}.handler")
    app = getattr(module, "app", None)
    if app is None or not hasattr(app, "get_openapi_json_schema"):
        return None
    document: dict[str, Any] = json.loads(app.get_openapi_json_schema(title=TITLE, version=VERSION))
    return document


def _placeholder(route: Route) -> dict[str, Any]:
    """An operation for a route whose function has no resolver to describe it yet."""
    return {
        "summary": route.key,
        "operationId": f"{route.function}_{route.method.lower()}_{route.path}",
        "parameters": [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in _path_names(route.path)
        ],
        "responses": {"501": {"description": "Not implemented yet"}},
    }


def _responses(route: Route, declared: dict[str, Any]) -> dict[str, Any]:
    """The route's real success answer and the contract's errors, in place of the 200 and 422
    Powertools assumes (its 422 body is not what the portal sends: validation is a 400)."""
    status = SUCCESS_STATUS.get(route.key, 200)
    success = declared.get("200") or declared.get(str(status)) or {}
    if status == NO_CONTENT:
        responses: dict[str, Any] = {"204": {"description": "Done, no body"}}
    else:
        content = success.get("content") or {"application/json": {"schema": {}}}
        responses = {str(status): {"description": "Success", "content": content}}
    error = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}}
    for code, description in ERROR_STATUSES.items():
        responses[str(code)] = {"description": description, "content": error}
    return responses


def _path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def merged_document(
    server_url: str, functions: Iterable[str] = FUNCTIONS, routes: Iterable[Route] = ROUTES
) -> dict[str, Any]:
    """The union of every function's paths, one operation per route of the route table."""
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {}
    for function in functions:
        document = function_document(function)
        if document is None:
            continue
        for path, operations in document.get("paths", {}).items():
            paths.setdefault(path, {}).update(operations)
        schemas.update(document.get("components", {}).get("schemas", {}))
    schemas[ERROR_SCHEMA] = ERROR_BODY
    for route in routes:
        operations = paths.setdefault(route.path, {})
        operation = operations.setdefault(route.method.lower(), _placeholder(route))
        operation["tags"] = [route.function]
        if "501" not in operation["responses"]:
            operation["responses"] = _responses(route, operation["responses"])
        if not route.public:
            operation["security"] = [{BEARER: []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": VERSION},
        "servers": [{"url": server_url}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                BEARER: {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "The access_token from POST /auth/sign-in",
                }
            },
        },
    }


def swagger_page(document: dict[str, Any]) -> str:
    """Swagger UI from the assets Powertools ships, so the page works offline."""
    return generate_swagger_html(
        json.dumps(document),
        f"{SWAGGER_ASSETS}/swagger-ui-bundle.min.js",
        f"{SWAGGER_ASSETS}/swagger-ui.min.css",
        SWAGGER_ASSETS,
        None,
        persist_authorization=True,
    )
