"""Board staff: centres, their exams officers, and the data the board publishes to centres.

Series, results files (and item level data), A2C keys and resources. Files go straight to S3
through short-lived upload URLs; A2C keys are never logged, and never kept in an idempotency
record (a repeated PUT of the same keys is harmless, so the route needs none).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from shared.adapters.files import URL_EXPIRES_IN
from shared.domain.accounts import Role
from shared.domain.management import Invitation
from shared.domain.members import Member
from shared.domain.publishing import A2CKey
from shared.web.app import create_app, json_response
from shared.web.caller import current_member
from shared.web.publishing_views import resource_view, series_view
from shared.web.requests import (
    CreateCentre,
    CreateResource,
    InviteExamsOfficer,
    PutA2CKeys,
    PutSeries,
    UpdateCentre,
)
from shared.web.runtime import change_once, management, now, publishing, store
from shared.web.views import centre_view, member_view

app = create_app()
logger = Logger()
metrics = Metrics()

# Which of a centre's files an upload URL is for: the results file, or item level data.
CentreFile = Annotated[Literal["results", "item_level_data"], Query()]


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
def put_series(series_id: str, body: PutSeries) -> Response[Any]:
    def publish(caller: Member) -> dict[str, Any]:
        series = publishing().put_series(
            caller, series_id, body.name, body.embargo_from, body.results_day
        )
        return {"status": 200, "body": series_view(series)}

    return change_once(app, f"series {series_id}", body.model_dump(mode="json"), publish)


@app.put("/centres/<centre_id>/results/<series_id>")
def results_upload(centre_id: str, series_id: str, file: CentreFile = "results") -> Response[Any]:
    caller = current_member(app, store())
    upload_url = publishing().results_upload(caller, centre_id, series_id, file)
    metrics.add_metric(name="ResultsUploadIssued", unit=MetricUnit.Count, value=1)
    return json_response(200, {"upload_url": upload_url, "expires_in": URL_EXPIRES_IN})


@app.put("/centres/<centre_id>/a2c-keys")
def put_a2c_keys(centre_id: str, body: PutA2CKeys) -> Response[Any]:
    keys = [A2CKey(each.key_id, each.key, each.label) for each in body.keys]
    count = publishing().put_a2c_keys(current_member(app, store()), centre_id, keys)
    metrics.add_metric(name="A2CKeysPublished", unit=MetricUnit.Count, value=1)
    return json_response(200, {"centre_id": centre_id, "count": count})


@app.post("/resources")
def add_resource(body: CreateResource) -> Response[Any]:
    def publish(caller: Member) -> dict[str, Any]:
        resource, upload_url = publishing().add_resource(
            caller,
            subject=body.subject,
            kind=body.kind,
            title=body.title,
            series_id=body.series_id,
            language=body.language,
        )
        metrics.add_metric(name="ResourcePublished", unit=MetricUnit.Count, value=1)
        view = resource_view(resource) | {"upload_url": upload_url, "expires_in": URL_EXPIRES_IN}
        return {"status": 201, "body": view}

    return change_once(app, "resource", body.model_dump(mode="json"), publish)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
