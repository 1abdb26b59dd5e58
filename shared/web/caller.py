"""Who is calling: the authorizer's verified claims, checked against DynamoDB on every request.

API Gateway's Cognito authorizer has already verified the token. The member record decides
the rest, so a deleted member or a removed permission is refused on the very next request,
whatever tokens are still alive.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from shared.domain.accounts import Role
from shared.domain.errors import Unauthorized
from shared.domain.members import Member
from shared.domain.ports import Store
from shared.settings import BOARD_STAFF_GROUP


def claims_of(app: APIGatewayRestResolver) -> dict[str, Any]:
    authorizer = app.current_event.request_context.authorizer
    claims = authorizer.get("claims") if authorizer else None
    return claims if isinstance(claims, dict) else {}


def groups_of(claims: dict[str, Any]) -> set[str]:
    """API Gateway passes `cognito:groups` as a list, or as text such as "[a b]" or "a,b"."""
    raw = claims.get("cognito:groups") or []
    if isinstance(raw, str):
        raw = raw.strip("[]").replace(",", " ").split()
    return {str(group) for group in raw}


def current_member(app: APIGatewayRestResolver, store: Store) -> Member:
    """The caller's member record; 401 if the token names nobody the portal knows now."""
    claims = claims_of(app)
    user_id = claims.get("sub")
    if not user_id or claims.get("token_use", "access") != "access":
        raise Unauthorized()
    member = store.get_member(str(user_id))
    if member is None:
        raise Unauthorized()
    is_board = member.account_type is Role.BOARD_STAFF
    if is_board and BOARD_STAFF_GROUP not in groups_of(claims):
        raise Unauthorized()
    app.append_context(language=member.language)
    return member
