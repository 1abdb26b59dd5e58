"""Finding pools, clients and users the way every corrected operation needs them."""

from __future__ import annotations

from moto.cognitoidp.exceptions import ResourceNotFoundError
from moto.cognitoidp.models import (
    CognitoIdpBackend,
    CognitoIdpUser,
    CognitoIdpUserPool,
    CognitoIdpUserPoolClient,
    cognitoidp_backends,
)

from local.cognito.errors import not_authorized


def pool_for_client(
    backend: CognitoIdpBackend, client_id: str
) -> tuple[CognitoIdpUserPool, CognitoIdpUserPoolClient]:
    """The pool owning an app client, and the client; ResourceNotFoundException if none."""
    for pool in backend.user_pools.values():
        if client_id in pool.clients:
            return pool, pool.clients[client_id]
    raise ResourceNotFoundError(client_id)


def user_for_access_token(access_token: str) -> tuple[CognitoIdpUserPool, CognitoIdpUser]:
    """The pool and user an access token was issued to; NotAuthorizedException otherwise."""
    for backends in cognitoidp_backends.values():
        for region, backend in backends.items():
            if region == "global":
                continue
            for pool in backend.user_pools.values():
                if access_token in pool.access_tokens:
                    _, username = pool.access_tokens[access_token]
                    user = pool._get_user(username)
                    if user is None:
                        break
                    return pool, user
    raise not_authorized("Invalid Access Token")
