"""The resolver every handler uses: one place maps domain errors to the contract's responses."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)

from shared.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PortalError,
    TooManyRequests,
    Unauthorized,
    Unprocessable,
)
from shared.web.messages import message_for

logger = Logger()

STATUS_OF: list[tuple[type[PortalError], HTTPStatus]] = [
    (InvalidInput, HTTPStatus.BAD_REQUEST),
    (Unauthorized, HTTPStatus.UNAUTHORIZED),
    (Forbidden, HTTPStatus.FORBIDDEN),
    (NotFound, HTTPStatus.NOT_FOUND),
    (Conflict, HTTPStatus.CONFLICT),
    (Unprocessable, HTTPStatus.UNPROCESSABLE_ENTITY),
    (TooManyRequests, HTTPStatus.TOO_MANY_REQUESTS),
]
NO_STORE = {"Cache-Control": "no-store"}


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(
        status_code=status,
        content_type="application/json",
        body=None if body is None else json.dumps(body, separators=(",", ":")),
        headers=NO_STORE | (headers or {}),
    )


def error_response(status: int, code: str, language: str, **params: Any) -> Response:
    error: dict[str, Any] = {"code": code, "message": message_for(code, language, params)}
    if "available_from" in params:
        error["available_from"] = params["available_from"]
    return json_response(status, {"error": error})


def _language(app: APIGatewayRestResolver) -> str:
    """The caller's language once their record is read; before that, Accept-Language."""
    if "language" in app.context:
        return str(app.context["language"])
    accept = (app.current_event.headers or {}).get("accept-language", "")
    return "cy" if accept.strip().lower().startswith("cy") else "en"


def _field_of(error: dict[str, Any]) -> str:
    location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    return ".".join(location) or "body"


def create_app() -> APIGatewayRestResolver:
    """A REST resolver with request validation and the contract's error body for every failure."""
    app = APIGatewayRestResolver(enable_validation=True)

    @app.exception_handler(PortalError)
    def portal_error(error: PortalError) -> Response:
        status = next(
            (code for family, code in STATUS_OF if isinstance(error, family)),
            HTTPStatus.INTERNAL_SERVER_ERROR,
        )
        params = dict(error.params)
        if "available_from" in params:
            params["available_from"] = params["available_from"].isoformat().replace("+00:00", "Z")
        return error_response(status, error.code, _language(app), **params)

    @app.exception_handler(RequestValidationError)
    def invalid_request(error: RequestValidationError) -> Response:
        fields = sorted({_field_of(e) for e in error.errors()})
        return error_response(
            HTTPStatus.BAD_REQUEST, "validation_error", _language(app), field=", ".join(fields)
        )

    @app.exception_handler(RequestUnsupportedContentType)
    def unsupported_media_type(_: Exception) -> Response:
        return error_response(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", _language(app)
        )

    @app.exception_handler([RecursionError, UnicodeDecodeError])
    def unreadable_body(_: Exception) -> Response:
        # JSON nested past the parser's depth, or bytes that are not UTF-8: a bad body, not
        # a fault of ours.
        return error_response(
            HTTPStatus.BAD_REQUEST, "validation_error", _language(app), field="body"
        )

    @app.exception_handler(ValueError)
    def unparsable_body(error: ValueError) -> Response:
        # Powertools parses form bodies itself before validation and raises ValueError for one
        # it cannot read (multipart without a boundary): the portal takes JSON only, so 415.
        content_type = (app.current_event.headers or {}).get("content-type", "")
        if content_type.split(";")[0].strip().lower() not in ("", "application/json"):
            return error_response(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", _language(app)
            )
        return unexpected(error)

    @app.not_found
    def not_found(_: Exception) -> Response:
        return error_response(HTTPStatus.NOT_FOUND, "not_found", _language(app))

    @app.exception_handler(Exception)
    def unexpected(error: Exception) -> Response:
        # The stack trace goes to the log; the caller learns nothing about the internals.
        logger.exception("unhandled error", extra={"error_type": type(error).__name__})
        return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", _language(app))

    return app
