"""Token lifetimes, refresh-token revocation and the signing key, as Cognito documents them."""

from __future__ import annotations

import json
import types
from datetime import timedelta
from typing import Any

import jwt as pyjwt
from joserfc import jwk, jwt
from moto.cognitoidp import models
from moto.cognitoidp.models import (
    CognitoIdpBackend,
    CognitoIdpUser,
    CognitoIdpUserPool,
    CognitoIdpUserPoolClient,
    cognitoidp_backends,
)
from moto.moto_api._internal import mock_random as random

from local.cognito.clock import clock
from local.cognito.errors import CognitoError, not_authorized
from local.cognito.patching import patcher as _patcher
from local.cognito.state import pool_state

# Cognito's units when TokenValidityUnits is absent: hours for access and id, days for refresh.
_DEFAULT_UNITS = {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"}
_DEFAULT_VALUES = {"AccessToken": 1, "IdToken": 1, "RefreshToken": 30}
_FIELDS = {
    "AccessToken": "AccessTokenValidity",
    "IdToken": "IdTokenValidity",
    "RefreshToken": "RefreshTokenValidity",
}


def validity(client: CognitoIdpUserPoolClient | None, kind: str) -> timedelta:
    """The client's configured lifetime of a token kind (AccessToken, IdToken, RefreshToken)."""
    config = client.extended_config if client else {}
    value = config.get(_FIELDS[kind]) or _DEFAULT_VALUES[kind]
    unit = (config.get("TokenValidityUnits") or {}).get(kind) or _DEFAULT_UNITS[kind]
    return timedelta(**{unit: int(value)})


class _CachedRSAKey:
    """RSAKey.import_key memoised: moto imports the same private key for every new pool."""

    _cache: dict[str, Any] = {}

    @classmethod
    def import_key(cls, data: Any, *args: Any, **kwargs: Any) -> Any:
        """Import once per process, then hand back the same key object."""
        key = json.dumps(data, sort_keys=True, default=str)
        if key not in cls._cache:
            cls._cache[key] = jwk.RSAKey.import_key(data, *args, **kwargs)
        return cls._cache[key]


def create_jwt(  # noqa: PLR0917 - moto's signature
    self: CognitoIdpUserPool,
    client_id: str,
    username: str,
    token_use: str,
    expires_in: int = 3600,
    extra_data: dict[str, Any] | None = None,
) -> tuple[str, int]:
    """Sign a token whose exp is the client's configured validity from the layer's clock."""
    del expires_in  # moto always passes an hour; Cognito uses the app client's setting
    client = self.clients.get(client_id)
    lifetime = validity(client, "AccessToken" if token_use == "access" else "IdToken")
    user = self._get_user(username)
    now = int(clock.timestamp())
    payload: dict[str, Any] = {
        "iss": f"https://cognito-idp.{self.region}.amazonaws.com/{self.id}",
        "sub": user.id,
        "token_use": token_use,
        "iat": now,
        "auth_time": now,
        "exp": now + int(lifetime.total_seconds()),
        "jti": str(random.uuid4()),
    }
    if token_use == "access":
        payload["client_id"] = client_id
        payload["username"] = user.username
    else:
        payload["aud"] = client_id
        payload["cognito:username"] = user.username
        for name in ("email", "email_verified", "phone_number", "phone_number_verified"):
            if name in user.attribute_lookup:
                value = user.attribute_lookup[name]
                payload[name] = value == "true" if name.endswith("_verified") else value
    payload.update(extra_data or {})
    headers = {"kid": "dummy", "alg": "RS256"}
    return jwt.encode(headers, payload, self.json_web_key), int(lifetime.total_seconds())


def create_refresh_token(
    self: CognitoIdpUserPool, client_id: str, username: str
) -> tuple[str, str]:
    """Record when each refresh token was issued, so its validity can end."""
    token, origin_jti = _patcher.original(CognitoIdpUserPool, "create_refresh_token")(
        self, client_id, username
    )
    pool_state(self).refresh_token_issued_at[token] = clock.now()
    return token, origin_jti


def create_tokens_from_refresh_token(
    self: CognitoIdpUserPool, refresh_token: str
) -> tuple[str, str, int]:
    """Refuse revoked, expired or orphaned refresh tokens as Cognito does."""
    entry = self.refresh_tokens.get(refresh_token)
    if entry is None:
        raise not_authorized("Refresh Token has been revoked")
    client_id, username, _ = entry
    user = self._get_user(username)
    if user is None:
        raise not_authorized("Refresh Token has been revoked")
    if not user.enabled:
        raise not_authorized("User is disabled.")
    issued = pool_state(self).refresh_token_issued_at.get(refresh_token)
    if issued is not None and clock.now() >= issued + validity(
        self.clients.get(client_id), "RefreshToken"
    ):
        raise not_authorized("Refresh Token has expired")
    result: tuple[str, str, int] = _patcher.original(
        CognitoIdpUserPool, "create_tokens_from_refresh_token"
    )(self, refresh_token)
    return result


def admin_delete_user(self: CognitoIdpBackend, user_pool_id: str, username: str) -> None:
    """Deleting a user ends its sessions: its refresh and access tokens stop working."""
    user = self.admin_get_user(user_pool_id, username)
    self.describe_user_pool(user_pool_id).sign_out(user.username)
    _patcher.original(CognitoIdpBackend, "admin_delete_user")(self, user_pool_id, username)


def issue_tokens(pool: CognitoIdpUserPool, client_id: str, user: CognitoIdpUser) -> dict[str, Any]:
    """A full AuthenticationResult for a user who passed every challenge."""
    refresh_token, _ = pool.create_refresh_token(client_id, user.username)
    access_token, id_token, expires_in = pool.create_tokens_from_refresh_token(refresh_token)
    return {
        "ChallengeParameters": {},
        "AuthenticationResult": {
            "AccessToken": access_token,
            "ExpiresIn": expires_in,
            "TokenType": "Bearer",
            "RefreshToken": refresh_token,
            "IdToken": id_token,
        },
    }


def refresh(
    pool: CognitoIdpUserPool, client: CognitoIdpUserPoolClient, parameters: dict[str, str]
) -> dict[str, Any]:
    """REFRESH_TOKEN_AUTH: new access and id tokens, the refresh token unchanged."""
    refresh_token = parameters.get("REFRESH_TOKEN") or ""
    entry = pool.refresh_tokens.get(refresh_token)
    if refresh_token in pool.refresh_tokens and entry is not None and entry[0] != client.id:
        raise not_authorized("Invalid Refresh Token")
    if refresh_token not in pool.refresh_tokens:
        raise not_authorized("Invalid Refresh Token")
    access_token, id_token, expires_in = pool.create_tokens_from_refresh_token(refresh_token)
    return {
        "ChallengeParameters": {},
        "AuthenticationResult": {
            "AccessToken": access_token,
            "ExpiresIn": expires_in,
            "TokenType": "Bearer",
            "IdToken": id_token,
        },
    }


def revoke_token(token: str, client_id: str) -> None:
    """RevokeToken: the refresh token and the access tokens issued from it stop working."""
    for backends in cognitoidp_backends.values():
        for region, backend in backends.items():
            if region == "global":
                continue
            for pool in backend.user_pools.values():
                if token not in pool.refresh_tokens:
                    continue
                entry = pool.refresh_tokens[token]
                if entry is None:
                    return
                if entry[0] != client_id:
                    raise not_authorized("Invalid Refresh Token")
                client = pool.clients.get(client_id)
                if client and not client.extended_config.get("EnableTokenRevocation", True):
                    raise _unsupported_revocation()
                pool.refresh_tokens[token] = None
                origin_jti = entry[2]
                for access_token in list(pool.access_tokens):
                    if _claims(access_token).get("origin_jti") == origin_jti:
                        pool.access_tokens.pop(access_token)
                return
    # Cognito answers success for a token it does not know, so nothing leaks.


def _unsupported_revocation() -> Exception:
    """Cognito's answer when the app client has token revocation turned off."""
    return CognitoError(
        "UnsupportedTokenTypeException", "Token revocation is not enabled for this client."
    )


def _claims(token: str) -> dict[str, Any]:
    """A token's claims without checking the signature (moto signed it, the layer reads it)."""
    try:
        claims: dict[str, Any] = pyjwt.decode(token, options={"verify_signature": False})
    except pyjwt.PyJWTError:
        return {}
    return claims


def access_token_error(access_token: str) -> Exception | None:
    """NotAuthorizedException if an access token is expired or revoked, else None."""
    claims = _claims(access_token)
    if not claims or claims.get("token_use") != "access":
        return None
    if clock.timestamp() >= float(claims.get("exp", 0)):
        return not_authorized("Access Token has expired")
    for backends in cognitoidp_backends.values():
        for region, backend in backends.items():
            if region == "global":
                continue
            for pool in backend.user_pools.values():
                if access_token in pool.access_tokens:
                    return None
    return not_authorized("Access Token has been revoked")


def install() -> None:
    """Apply the token corrections."""
    _patcher.replace(models, "jwk", types.SimpleNamespace(RSAKey=_CachedRSAKey))
    _patcher.replace(CognitoIdpUserPool, "create_jwt", create_jwt)
    _patcher.replace(CognitoIdpUserPool, "create_refresh_token", create_refresh_token)
    _patcher.replace(
        CognitoIdpUserPool, "create_tokens_from_refresh_token", create_tokens_from_refresh_token
    )
    _patcher.replace(CognitoIdpBackend, "admin_delete_user", admin_delete_user)
