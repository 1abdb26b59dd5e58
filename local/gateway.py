"""The laptop's API Gateway: HTTP requests become proxy events for the same Lambda handlers.

Routes come from shared.routes, so a route added there is served here without a change. Routes
that are not public pass the same checks as API Gateway's Cognito authorizer first: a missing,
forged, expired or wrongly issued access token is answered 401 before any handler runs.
"""

from __future__ import annotations

import base64
import importlib
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import jwt
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request, Response

from shared.routes import ROUTES, Route

logger = logging.getLogger("local.gateway")

STAGE = "local"
MAX_BODY_BYTES = 1024 * 1024
# API Gateway's Cognito authorizer hands these claims to the handler as date text, not numbers.
_DATE_CLAIMS = ("exp", "iat", "auth_time")

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
Page = Callable[[Request], Response]


class RouteNotFound(LookupError):
    """No route of the table answers this method and path."""


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path))


_PATTERNS = {route.key: _pattern(route.path) for route in ROUTES}


def match_route(
    method: str, path: str, routes: Iterable[Route] = ROUTES
) -> tuple[Route, dict[str, str]]:
    """The route that serves this request and its path parameters; RouteNotFound if none."""
    for route in routes:
        if route.method != method:
            continue
        found = (_PATTERNS.get(route.key) or _pattern(route.path)).fullmatch(path)
        if found:
            return route, found.groupdict()
    raise RouteNotFound(f"no route for {method} {path}")


def proxy_event(
    route: Route,
    path: str,
    params: Mapping[str, str],
    *,
    headers: Mapping[str, str] | None = None,
    multi_headers: Mapping[str, list[str]] | None = None,
    query: Mapping[str, list[str]] | None = None,
    body: str | None = None,
    base64_encoded: bool = False,
    claims: Mapping[str, Any] | None = None,
    request_id: str | None = None,
    source_ip: str = "127.0.0.1",
) -> dict[str, Any]:
    """An API Gateway REST proxy event, shaped as API Gateway shapes it."""
    single = dict(headers or {})
    multi = (
        dict(multi_headers) if multi_headers else {key: [value] for key, value in single.items()}
    )
    now = datetime.now(UTC)
    request_id = request_id or str(uuid.uuid4())
    return {
        "resource": route.path,
        "path": path,
        "httpMethod": route.method,
        "headers": single or None,
        "multiValueHeaders": multi or None,
        # API Gateway keeps the last value of a repeated parameter in the single-value map.
        "queryStringParameters": {key: values[-1] for key, values in query.items()}
        if query
        else None,
        "multiValueQueryStringParameters": {key: list(values) for key, values in query.items()}
        if query
        else None,
        "pathParameters": dict(params) or None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": route.path,
            "httpMethod": route.method,
            "path": f"/{STAGE}{path}",
            "stage": STAGE,
            "requestId": request_id,
            "extendedRequestId": request_id,
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "protocol": "HTTP/1.1",
            "accountId": "123456789012",
            "apiId": "local",
            "identity": {"sourceIp": source_ip, "userAgent": single.get("User-Agent")},
            "authorizer": {"claims": dict(claims)} if claims else None,
        },
        "body": body,
        "isBase64Encoded": base64_encoded,
    }


@dataclass
class LambdaContext:
    """The parts of Lambda's context object the handlers and Powertools read."""

    function_name: str
    aws_request_id: str
    memory_limit_in_mb: int = 512
    timeout_ms: int = 10_000
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:eu-west-2:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        """What is left of the function's 10 s timeout."""
        return max(0, self.timeout_ms - int((time.monotonic() - self.started) * 1000))


class KeySource(Protocol):
    """Finds the public key that should have signed a token (PyJWKClient is one)."""

    def get_signing_key_from_jwt(self, token: str) -> jwt.PyJWK: ...


class Unauthorized(Exception):
    """The token would not pass API Gateway's Cognito authorizer."""


class Authorizer:
    """API Gateway's Cognito authorizer for access tokens, verified with PyJWT."""

    def __init__(self, keys: KeySource, issuer: str, client_ids: Iterable[str]) -> None:
        self.issuer = issuer
        self.client_ids = frozenset(client_ids)
        self._keys = keys

    @classmethod
    def for_pool(cls, jwks_url: str, issuer: str, client_ids: Iterable[str]) -> Authorizer:
        """Keys fetched from the pool's JWKS once and cached, as API Gateway caches them."""
        return cls(jwt.PyJWKClient(jwks_url, cache_keys=True), issuer, client_ids)

    def verify(self, authorization: str | None) -> dict[str, Any]:
        """The token's claims as API Gateway passes them on; Unauthorized if any check fails."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("missing bearer token")
        try:
            key = self._keys.get_signing_key_from_jwt(token.strip())
            claims: dict[str, Any] = jwt.decode(
                token.strip(),
                key,
                algorithms=["RS256"],
                issuer=self.issuer,
                options={"require": ["exp", "iss", "sub", "token_use"], "verify_aud": False},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(type(error).__name__) from error
        if claims.get("token_use") != "access":
            raise Unauthorized("not an access token")
        if claims.get("client_id") not in self.client_ids:
            raise Unauthorized("token issued to another client")
        return gateway_claims(claims)


def gateway_claims(claims: Mapping[str, Any]) -> dict[str, str]:
    """Claims as the REST API's Cognito authorizer forwards them: every value as text."""
    forwarded: dict[str, str] = {}
    for name, value in claims.items():
        if name in _DATE_CLAIMS and isinstance(value, int | float):
            forwarded[name] = datetime.fromtimestamp(value, UTC).strftime(
                "%a %b %d %H:%M:%S UTC %Y"
            )
        elif isinstance(value, list | tuple):
            forwarded[name] = ",".join(str(item) for item in value)
        else:
            forwarded[name] = str(value)
    return forwarded


def import_handler(function: str) -> Handler:
    """The `handler` of functions/<function>/handler.py, as Lambda would load it."""
    module = importlib.import_module(f"functions.{function}.handler")
    handler: Handler = module.handler
    return handler


def error_body(code: str, message: str) -> bytes:
    """The contract's error shape."""
    return json.dumps({"error": {"code": code, "message": message}}).encode()


def json_reply(status: int, body: bytes, request_id: str) -> Response:
    headers = {"Cache-Control": "no-store", "x-amzn-RequestId": request_id}
    return Response(body, status=status, mimetype="application/json", headers=headers)


class Gateway:
    """A WSGI application: the route table first, then the laptop's own pages."""

    def __init__(
        self,
        authorizer: Authorizer,
        *,
        load_handler: Callable[[str], Handler] = import_handler,
        pages: Mapping[str, Page] | None = None,
        routes: Iterable[Route] = ROUTES,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self.authorizer = authorizer
        self.load_handler = load_handler
        self.pages = dict(pages or {})
        self.routes = tuple(routes)
        self.max_body_bytes = max_body_bytes
        # One request at a time across all functions, not one per function: Powertools keeps
        # the event being resolved on a class every resolver in the process shares, so a
        # request to one function served while another's handler runs would hand that
        # handler the wrong caller, headers and Idempotency-Key. In the cloud each function
        # is its own process, one request per container, so nothing is shared there.
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        request.max_content_length = self.max_body_bytes
        request_id = str(uuid.uuid4())
        started = time.perf_counter()
        response = self.respond(request, request_id)
        response.headers.setdefault("x-amzn-RequestId", request_id)
        logger.info(
            "%s %s %s %.0fms %s",
            request.method,
            request.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
            request_id,
        )
        return response(environ, start_response)

    def respond(self, request: Request, request_id: str) -> Response:
        """Answer one request: a page of the laptop run, or a route of the API."""
        page = self.pages.get(request.path)
        if page is not None and request.method in {"GET", "HEAD"}:
            return page(request)
        try:
            route, params = match_route(request.method, request.path, self.routes)
        except RouteNotFound:
            return json_reply(404, error_body("not_found", "No such route."), request_id)
        claims = None
        if not route.public:
            try:
                claims = self.authorizer.verify(request.headers.get("Authorization"))
            except Unauthorized as refusal:
                logger.debug("authorizer refused %s: %s", request.path, refusal)
                return json_reply(401, error_body("unauthorized", "Unauthorized"), request_id)
        try:
            raw = request.get_data(cache=False)
        except RequestEntityTooLarge:
            message = f"The request body is larger than {self.max_body_bytes} bytes."
            return json_reply(413, error_body("payload_too_large", message), request_id)
        event = self._event(
            request, route=route, params=params, raw=raw, claims=claims, request_id=request_id
        )
        return self._invoke(route, event, request_id)

    def _event(
        self,
        request: Request,
        *,
        route: Route,
        params: dict[str, str],
        raw: bytes,
        claims: dict[str, Any] | None,
        request_id: str,
    ) -> dict[str, Any]:
        multi_headers: dict[str, list[str]] = {}
        for name, value in request.headers.items():
            multi_headers.setdefault(name, []).append(value)
        body: str | None = None
        encoded = False
        if raw:
            try:
                body = raw.decode("utf-8")
            except UnicodeDecodeError:
                body, encoded = base64.b64encode(raw).decode("ascii"), True
        return proxy_event(
            route,
            request.path,
            params,
            headers={name: values[-1] for name, values in multi_headers.items()},
            multi_headers=multi_headers,
            query={key: request.args.getlist(key) for key in request.args},
            body=body,
            base64_encoded=encoded,
            claims=claims,
            request_id=request_id,
            source_ip=request.remote_addr or "127.0.0.1",
        )

    def _invoke(self, route: Route, event: dict[str, Any], request_id: str) -> Response:
        try:
            with self._lock:
                # Lambda's timeout runs from when a container takes the request, not the queue.
                context = LambdaContext(
                    function_name=f"portal-{route.function}", aws_request_id=request_id
                )
                raw = self.load_handler(route.function)(event, context)
        except Exception:
            # In the cloud an unhandled error becomes API Gateway's 502; the contract says 500.
            logger.exception("handler failed: %s %s", route.method, route.path)
            return json_reply(500, error_body("internal_error", "Internal error."), request_id)
        body = raw.get("body") or b""
        if raw.get("isBase64Encoded") and isinstance(body, str):
            body = base64.b64decode(body)
        response = Response(body, status=int(raw.get("statusCode", 200)))
        response.headers.clear()
        for name, value in (raw.get("headers") or {}).items():
            response.headers[name] = str(value)
        for name, values in (raw.get("multiValueHeaders") or {}).items():
            response.headers.remove(name)
            for value in values:
                response.headers.add(name, str(value))
        # API Gateway's proxy integration answers JSON when the function names no type.
        response.headers.setdefault("Content-Type", "application/json")
        return response
