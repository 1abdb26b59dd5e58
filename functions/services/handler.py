"""Services a centre member opens: A2C keys, results, reports, resources and external services."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from shared.web.app import create_app, json_response
from shared.web.caller import current_member
from shared.web.publishing_views import (
    centre_series_view,
    download_view,
    keys_view,
    launch_view,
    resource_view,
)
from shared.web.runtime import publishing, store

app = create_app()
logger = Logger()
metrics = Metrics()

Limit = Annotated[int, Query(ge=1, le=100)]
Cursor = Annotated[str | None, Query(max_length=2048)]
Filter = Annotated[str | None, Query(min_length=1, max_length=100)]
Kind = Annotated[
    Literal["past_paper", "marking_scheme", "exemplar", "grade_boundaries"] | None, Query()
]


@app.get("/centres/<centre_id>/a2c-keys")
def a2c_keys(centre_id: str) -> Response[Any]:
    keys = publishing().a2c_keys(current_member(app, store()), centre_id)
    metrics.add_metric(name="A2CKeysRead", unit=MetricUnit.Count, value=1)
    return json_response(200, keys_view(keys))


@app.get("/centres/<centre_id>/results")
def results(centre_id: str) -> Response[Any]:
    listed = publishing().results(current_member(app, store()), centre_id)
    return json_response(200, {"series": [centre_series_view(*each) for each in listed]})


@app.get("/centres/<centre_id>/results/<series_id>/file")
def results_file(centre_id: str, series_id: str) -> Response[Any]:
    caller = current_member(app, store())
    download = publishing().download_centre_file(caller, centre_id, series_id, "results")
    metrics.add_metric(name="ResultsDownloaded", unit=MetricUnit.Count, value=1)
    return json_response(200, download_view(download))


@app.get("/centres/<centre_id>/reports/item-level-data/<series_id>")
def item_level_data(centre_id: str, series_id: str) -> Response[Any]:
    caller = current_member(app, store())
    download = publishing().download_centre_file(caller, centre_id, series_id, "item_level_data")
    metrics.add_metric(name="ItemLevelDataDownloaded", unit=MetricUnit.Count, value=1)
    return json_response(200, download_view(download))


@app.get("/reports/grade-boundaries/<series_id>")
def grade_boundaries(series_id: str) -> Response[Any]:
    listed = publishing().grade_boundaries(current_member(app, store()), series_id)
    body = {"series_id": series_id, "resources": [resource_view(*each) for each in listed]}
    return json_response(200, body)


@app.get("/resources")
def resources(
    limit: Limit = 50,
    cursor: Cursor = None,
    subject: Filter = None,
    kind: Kind = None,
    series_id: Filter = None,
) -> Response[Any]:
    listed, next_cursor = publishing().resources(
        current_member(app, store()),
        limit=limit,
        cursor=cursor,
        subject=subject,
        kind=kind,
        series_id=series_id,
    )
    body = {"resources": [resource_view(*each) for each in listed], "next_cursor": next_cursor}
    return json_response(200, body)


@app.get("/centres/<centre_id>/services/<service>")
def external_service(centre_id: str, service: str) -> Response[Any]:
    launch = publishing().launch(current_member(app, store()), centre_id, service)
    return json_response(200, launch_view(launch))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
