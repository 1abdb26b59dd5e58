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
    for route in routes:
        operations = paths.setdefault(route.path, {})
        operation = operations.setdefault(route.method.lower(), _placeholder(route))
        operation["tags"] = [route.function]
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
