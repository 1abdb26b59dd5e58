"""The route table: every route of the HTTP contract, declared once.

The API construct, the local gateway, the authorization tests and the OpenAPI check all read
this table. A route is public when API Gateway lets it through without a Cognito token.
"""

from __future__ import annotations

from dataclasses import dataclass

FUNCTIONS = ("auth", "account", "members", "board", "services")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    function: str
    public: bool = False

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def _routes(function: str, *entries: str, public: bool = False) -> list[Route]:
    routes = []
    for entry in entries:
        method, path = entry.split(" ", 1)
        routes.append(Route(method=method, path=path, function=function, public=public))
    return routes


ROUTES: tuple[Route, ...] = tuple(
    _routes(
        "auth",
        "POST /auth/sign-in",
        "POST /auth/new-password",
        "POST /auth/mfa-setup/totp",
        "POST /auth/mfa-setup/sms",
        "POST /auth/mfa-setup/email",
        "POST /auth/mfa",
        "POST /auth/select-mfa",
        "POST /auth/refresh",
        "POST /auth/forgot-password",
        "POST /auth/reset-password",
        public=True,
    )
    # Sign-out, password and MFA changes act on the caller's own access token: they need one.
    + _routes(
        "auth",
        "POST /auth/sign-out",
        "POST /me/password",
        "GET /me/mfa",
        "PUT /me/mfa",
        "POST /me/mfa/totp",
        "POST /me/mfa/totp/verify",
        "POST /me/mfa/sms",
        "POST /me/mfa/sms/verify",
    )
    + _routes("account", "GET /health", public=True)
    + _routes(
        "account",
        "GET /me",
        "PATCH /me",
        "GET /me/services",
    )
    + _routes(
        "members",
        "GET /centres/{centre_id}/users",
        "POST /centres/{centre_id}/users",
        "GET /centres/{centre_id}/users/{user_id}",
        "DELETE /centres/{centre_id}/users/{user_id}",
        "PUT /centres/{centre_id}/users/{user_id}/permissions",
        "POST /centres/{centre_id}/users/{user_id}/invite",
        "POST /centres/{centre_id}/users/{user_id}/reset-sign-in",
        "GET /centres/{centre_id}/audit",
    )
    + _routes(
        "board",
        "POST /centres",
        "GET /centres/{centre_id}",
        "PATCH /centres/{centre_id}",
        "PUT /centres/{centre_id}/exams-officer",
        "DELETE /centres/{centre_id}/exams-officer",
        "PUT /series/{series_id}",
        "PUT /centres/{centre_id}/results/{series_id}",
        "PUT /centres/{centre_id}/a2c-keys",
        "POST /resources",
    )
    + _routes(
        "services",
        "GET /centres/{centre_id}/a2c-keys",
        "GET /centres/{centre_id}/results",
        "GET /centres/{centre_id}/results/{series_id}/file",
        "GET /centres/{centre_id}/reports/item-level-data/{series_id}",
        "GET /reports/grade-boundaries/{series_id}",
        "GET /resources",
        "GET /centres/{centre_id}/services/{service}",
    )
)


def routes_of(function: str) -> tuple[Route, ...]:
    """The routes served by one Lambda function."""
    return tuple(route for route in ROUTES if route.function == function)
