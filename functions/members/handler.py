"""Centre members: list, invite, view, manage access, resend, reset sign-in, delete, audit."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from shared.domain.accounts import Role
from shared.domain.management import Invitation
from shared.domain.members import Member
from shared.web.app import create_app, json_response
from shared.web.caller import current_member
from shared.web.requests import InviteMember, SetPermissions
from shared.web.runtime import change_once, management, now, store
from shared.web.views import event_view, member_view

app = create_app()
logger = Logger()
metrics = Metrics()

Limit = Annotated[int, Query(ge=1, le=100)]
Cursor = Annotated[str | None, Query(max_length=2048)]


@app.get("/centres/<centre_id>/users")
def list_members(centre_id: str, limit: Limit = 50, cursor: Cursor = None) -> Response[Any]:
    caller = current_member(app, store())
    page = management().list_members(caller, centre_id, limit, cursor)
    users = [member_view(member, now()) for member in page.items]
    return json_response(200, {"users": users, "next_cursor": page.next_cursor})


@app.post("/centres/<centre_id>/users")
def invite_member(centre_id: str, body: InviteMember) -> Response[Any]:
    invitation = Invitation(
        email=body.email,
        first_name=body.first_name,
        surname=body.last_name,
        language=body.language,
        account_type=Role(body.account_type),
        permissions=None if body.permissions is None else frozenset(body.permissions),
    )

    def invite(caller: Member) -> dict[str, Any]:
        member = management().invite(caller, centre_id, invitation)
        metrics.add_metric(name="MemberInvited", unit=MetricUnit.Count, value=1)
        return {"status": 201, "body": member_view(member, now())}

    return change_once(app, f"invite {centre_id}", body.model_dump(mode="json"), invite)


@app.get("/centres/<centre_id>/users/<user_id>")
def view_member(centre_id: str, user_id: str) -> Response[Any]:
    caller = current_member(app, store())
    member = management().view_member(caller, centre_id, user_id)
    return json_response(200, member_view(member, now()))


@app.put("/centres/<centre_id>/users/<user_id>/permissions")
def set_permissions(centre_id: str, user_id: str, body: SetPermissions) -> Response[Any]:
    def change(caller: Member) -> dict[str, Any]:
        member = management().set_permissions(caller, centre_id, user_id, body.permissions)
        metrics.add_metric(name="PermissionsChanged", unit=MetricUnit.Count, value=1)
        return {"status": 200, "body": member_view(member, now())}

    return change_once(
        app, f"permissions {centre_id} {user_id}", body.model_dump(mode="json"), change
    )


@app.post("/centres/<centre_id>/users/<user_id>/invite")
def resend_invite(centre_id: str, user_id: str) -> Response[Any]:
    def resend(caller: Member) -> dict[str, Any]:
        member = management().resend_invite(caller, centre_id, user_id)
        metrics.add_metric(name="InviteResent", unit=MetricUnit.Count, value=1)
        return {"status": 200, "body": member_view(member, now())}

    return change_once(app, f"resend {centre_id} {user_id}", None, resend)


@app.post("/centres/<centre_id>/users/<user_id>/reset-sign-in")
def reset_sign_in(centre_id: str, user_id: str) -> Response[Any]:
    def reset(caller: Member) -> dict[str, Any]:
        management().reset_sign_in(caller, centre_id, user_id)
        metrics.add_metric(name="SignInReset", unit=MetricUnit.Count, value=1)
        return {"status": 202, "body": {"status": "reset"}}

    return change_once(app, f"reset {centre_id} {user_id}", None, reset)


@app.delete("/centres/<centre_id>/users/<user_id>")
def delete_member(centre_id: str, user_id: str) -> Response[Any]:
    def delete(caller: Member) -> dict[str, Any]:
        management().delete(caller, centre_id, user_id)
        metrics.add_metric(name="MemberDeleted", unit=MetricUnit.Count, value=1)
        return {"status": 204, "body": None}

    return change_once(app, f"delete {centre_id} {user_id}", None, delete)


@app.get("/centres/<centre_id>/audit")
def list_audit(centre_id: str, limit: Limit = 50, cursor: Cursor = None) -> Response[Any]:
    caller = current_member(app, store())
    page = management().list_audit(caller, centre_id, limit, cursor)
    events = [event_view(event) for event in page.items]
    return json_response(200, {"events": events, "next_cursor": page.next_cursor})


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
