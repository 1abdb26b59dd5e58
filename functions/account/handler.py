"""The signed-in member: their profile and their services menu, and the public health check.

Password and MFA changes (`/me/password`, `/me/mfa*`) act on the caller's access token and
are served by the auth function (see shared/routes.py).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from shared.web.app import create_app, json_response
from shared.web.caller import current_member
from shared.web.publishing_views import me_view, menu_view
from shared.web.requests import UpdateProfile
from shared.web.runtime import now, profiles, publishing, store

app = create_app()
logger = Logger()
metrics = Metrics()


@app.get("/health")
def health() -> Response[Any]:
    return json_response(200, {"status": "ok"})


@app.get("/me")
def get_me() -> Response[Any]:
    member, centre = profiles().me(current_member(app, store()))
    return json_response(200, me_view(member, centre, now()))


@app.patch("/me")
def update_me(body: UpdateProfile) -> Response[Any]:
    # The centre is read before the change, so no failure after the change can hide it.
    caller, centre = profiles().me(current_member(app, store()))
    member = profiles().update(caller, body.model_dump(mode="json", exclude_unset=True))
    app.append_context(language=member.language)
    metrics.add_metric(name="ProfileUpdated", unit=MetricUnit.Count, value=1)
    return json_response(200, me_view(member, centre, now()))


@app.get("/me/services")
def my_services() -> Response[Any]:
    entries = publishing().menu(current_member(app, store()))
    return json_response(200, menu_view(entries))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
