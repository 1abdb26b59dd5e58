"""The local gateway: proxy events, the Cognito authorizer's checks, limits and errors."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.test import Client

from local.gateway import Authorizer, Gateway, match_route, proxy_event
from shared.routes import ROUTES

ISSUER = "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_local"
CLIENT_ID = "portal-client"
KID = "pool-key"


def _private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


POOL_KEY = _private_key()
FORGER_KEY = _private_key()


class PoolKeys:
    """The pool's JWKS, held in memory instead of fetched."""

    def get_signing_key_from_jwt(self, token: str) -> jwt.PyJWK:
        kid = jwt.get_unverified_header(token).get("kid")
        if kid != KID:
            raise jwt.PyJWKClientError(f"no key {kid}")
        return jwt.PyJWK(json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(POOL_KEY.public_key())))


def token(key: rsa.RSAPrivateKey = POOL_KEY, **changes: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "user-1",
        "token_use": "access",
        "client_id": CLIENT_ID,
        "username": "user-1",
        "cognito:groups": ["board_staff"],
        "iat": now,
        "exp": now + 3600,
    } | changes
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})


class Spy:
    """Stands in for the Lambda handlers and remembers every event it was given."""

    def __init__(self, reply: dict[str, Any] | None = None, fail: bool = False) -> None:
        self.events: list[dict[str, Any]] = []
        self.reply = reply or {
            "statusCode": 201,
            "headers": {"Content-Type": "application/json", "X-Handler": "yes"},
            "body": json.dumps({"ok": True}),
        }
        self.fail = fail

    def load(self, function: str) -> Any:
        def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
            self.events.append(event)
            if self.fail:
                raise RuntimeError("handler broke")
            return self.reply

        return handler


def client(spy: Spy, **kwargs: Any) -> Client:
    authorizer = Authorizer(PoolKeys(), ISSUER, [CLIENT_ID])
    return Client(Gateway(authorizer, load_handler=spy.load, **kwargs))


def test_proxy_event_carries_what_api_gateway_passes() -> None:
    route, params = match_route("GET", "/centres/68001/users/u-1")

    event = proxy_event(
        route,
        "/centres/68001/users/u-1",
        params,
        headers={"Accept": "application/json"},
        query={"limit": ["5", "10"]},
        body='{"a": 1}',
        claims={"sub": "u"},
        request_id="req-1",
    )

    assert event["resource"] == "/centres/{centre_id}/users/{user_id}"
    assert event["pathParameters"] == {"centre_id": "68001", "user_id": "u-1"}
    assert event["queryStringParameters"] == {"limit": "10"}
    assert event["multiValueQueryStringParameters"] == {"limit": ["5", "10"]}
    assert event["multiValueHeaders"] == {"Accept": ["application/json"]}
    assert event["requestContext"]["requestId"] == "req-1"
    assert event["requestContext"]["authorizer"] == {"claims": {"sub": "u"}}
    assert event["body"] == '{"a": 1}'


def test_a_valid_access_token_reaches_the_handler_with_its_claims() -> None:
    spy = Spy()

    reply = client(spy).post(
        "/centres/68001/users?limit=3",
        json={"email": "a@b.example"},
        headers={"Authorization": f"Bearer {token()}", "Idempotency-Key": "k1"},
    )

    assert reply.status_code == 201
    assert reply.headers["X-Handler"] == "yes"
    assert reply.headers["x-amzn-RequestId"]
    (event,) = spy.events
    claims = event["requestContext"]["authorizer"]["claims"]
    assert (claims["sub"], claims["cognito:groups"], claims["client_id"]) == (
        "user-1",
        "board_staff",
        CLIENT_ID,
    )
    assert claims["exp"].endswith(" UTC " + time.strftime("%Y", time.gmtime()))
    assert event["pathParameters"] == {"centre_id": "68001"}
    assert event["queryStringParameters"] == {"limit": "3"}
    assert event["headers"]["Idempotency-Key"] == "k1"
    assert json.loads(event["body"]) == {"email": "a@b.example"}
    assert event["requestContext"]["requestId"] == reply.headers["x-amzn-RequestId"]


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Basic dXNlcjpwYXNz",
        "Bearer ",
        "Bearer not-a-jwt",
        f"Bearer {token(key=FORGER_KEY)}",
        f"Bearer {token(exp=int(time.time()) - 10)}",
        f"Bearer {token(token_use='id')}",
        f"Bearer {token(client_id='another-client')}",
        f"Bearer {token(iss='https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_other')}",
        f"Bearer {token(token_use=None)}",
    ],
    ids=[
        "missing",
        "empty",
        "basic",
        "bearer-nothing",
        "garbage",
        "forged",
        "expired",
        "id-token",
        "wrong-client",
        "wrong-issuer",
        "no-token-use",
    ],
)
def test_the_authorizer_refuses_before_any_handler_runs(authorization: str | None) -> None:
    spy = Spy()
    headers = {"Authorization": authorization} if authorization is not None else {}

    reply = client(spy).get("/centres/68001/users", headers=headers)

    assert reply.status_code == 401
    assert reply.json == {"error": {"code": "unauthorized", "message": "Unauthorized"}}
    assert spy.events == []


def test_public_routes_need_no_token() -> None:
    spy = Spy({"statusCode": 200, "headers": {}, "body": '{"status": "ok"}'})

    reply = client(spy).get("/health")

    assert (reply.status_code, reply.json) == (200, {"status": "ok"})
    assert spy.events[0]["requestContext"]["authorizer"] is None


def test_a_body_over_the_limit_is_413_before_the_handler() -> None:
    spy = Spy()

    reply = client(spy, max_body_bytes=100).post("/auth/sign-in", data="x" * 101)

    assert reply.status_code == 413
    assert reply.json["error"]["code"] == "payload_too_large"
    assert spy.events == []


@pytest.mark.parametrize(("method", "path"), [("GET", "/nowhere"), ("DELETE", "/health")])
def test_unknown_routes_are_404_in_the_contract_shape(method: str, path: str) -> None:
    spy = Spy()

    reply = client(spy).open(path, method=method)

    assert reply.status_code == 404
    assert reply.json["error"]["code"] == "not_found"
    assert spy.events == []


def test_a_failing_handler_is_a_500_without_detail() -> None:
    reply = client(Spy(fail=True)).get("/health")

    assert reply.status_code == 500
    assert reply.json == {"error": {"code": "internal_error", "message": "Internal error."}}


def test_every_route_of_the_table_is_dispatched() -> None:
    spy = Spy()
    api = client(spy)

    for route in ROUTES:
        path = route.path.replace("{", "").replace("}", "")
        headers = {} if route.public else {"Authorization": f"Bearer {token()}"}
        assert api.open(path, method=route.method, headers=headers).status_code == 201

    assert [event["resource"] for event in spy.events] == [route.path for route in ROUTES]


def test_one_log_line_per_request(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="local.gateway")

    reply = client(Spy()).get("/health")

    lines = [record.getMessage() for record in caplog.records if record.name == "local.gateway"]
    assert len(lines) == 1
    method, path, status, elapsed, request_id = lines[0].split()
    assert (method, path, status) == ("GET", "/health", "201")
    assert elapsed.endswith("ms")
    assert request_id == reply.headers["x-amzn-RequestId"]
