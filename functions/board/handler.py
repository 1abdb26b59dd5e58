"""Board staff: centres and their exams officers.

The data-publishing routes (series, results upload, A2C keys, resources) belong to the
services issue and answer 501 `not_implemented` until it lands.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from shared.domain.accounts import Role
from shared.domain.management import Invitation
from shared.domain.members import Member
from shared.web.app import create_app, json_response
from shared.web.caller import current_member
from shared.web.placeholder import NOT_IMPLEMENTED
from shared.web.requests import CreateCentre, InviteExamsOfficer, UpdateCentre
from shared.web.runtime import change_once, management, now, store
from shared.web.views import centre_view, member_view

app = create_app()
logger = Logger()
metrics = Metrics()


@app.post("/centres")
def create_centre(body: CreateCentre) -> Response[Any]:
    def create(caller: Member) -> dict[str, Any]:
        centre = management().create_centre(
            caller, body.centre_id, body.name, body.email_domains, body.allow_subdomains
        )
        metrics.add_metric(name="CentreCreated", unit=MetricUnit.Count, value=1)
        return {"status": 201, "body": centre_view(centre)}

    return change_once(app, "create centre", body.model_dump(mode="json"), create)


@app.get("/centres/<centre_id>")
def get_centre(centre_id: str) -> Response[Any]:
    centre = management().get_centre(current_member(app, store()), centre_id)
    return json_response(200, centre_view(centre))


@app.patch("/centres/<centre_id>")
def update_centre(centre_id: str, body: UpdateCentre) -> Response[Any]:
    centre = management().update_centre(
        current_member(app, store()),
        centre_id,
        body.name,
        body.email_domains,
        body.allow_subdomains,
    )
    return json_response(200, centre_view(centre))


@app.put("/centres/<centre_id>/exams-officer")
def invite_exams_officer(centre_id: str, body: InviteExamsOfficer) -> Response[Any]:
    invitation = Invitation(
        email=body.email,
        first_name=body.first_name,
        surname=body.last_name,
        language=body.language,
        account_type=Role.EXAMS_OFFICER,
    )

    def invite(caller: Member) -> dict[str, Any]:
        member = management().invite(caller, centre_id, invitation)
        metrics.add_metric(name="ExamsOfficerInvited", unit=MetricUnit.Count, value=1)
        return {"status": 201, "body": member_view(member, now())}

    return change_once(app, f"exams officer {centre_id}", body.model_dump(mode="json"), invite)


@app.delete("/centres/<centre_id>/exams-officer")
def delete_exams_officer(centre_id: str) -> Response[Any]:
    def delete(caller: Member) -> dict[str, Any]:
        management().delete_exams_officer(caller, centre_id)
        metrics.add_metric(name="MemberDeleted", unit=MetricUnit.Count, value=1)
        return {"status": 204, "body": None}

    return change_once(app, f"delete exams officer {centre_id}", None, delete)


@app.put("/series/<series_id>")
@app.put("/centres/<centre_id>/results/<series_id>")
@app.put("/centres/<centre_id>/a2c-keys")
@app.post("/resources")
def not_implemented(centre_id: str = "", series_id: str = "") -> Response[Any]:
    return json_response(501, NOT_IMPLEMENTED)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
