"""The REST API serves exactly the route table, with Cognito in front of the private routes."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk.assertions import Match, Template

from infra.api import ACCESS_TOKEN_SCOPE
from shared.routes import ROUTES
from tests.infra.synthesis import Synthesized


def _resource_paths(synthesized: Synthesized) -> dict[str, str]:
    """Each API Gateway resource's path, rebuilt from the template's parent links."""
    resources = synthesized.of_type("AWS::ApiGateway::Resource")
    paths: dict[str, str] = {}

    def path_of(logical_id: str) -> str:
        if logical_id not in paths:
            properties = resources[logical_id]["Properties"]
            parent = properties["ParentId"]
            parent_path = "" if "Fn::GetAtt" in parent else path_of(parent["Ref"])
            paths[logical_id] = f"{parent_path}/{properties['PathPart']}"
        return paths[logical_id]

    for logical_id in resources:
        path_of(logical_id)
    return paths


def _route_methods(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    """Every non-OPTIONS method, keyed like a route: 'POST /auth/sign-in'."""
    paths = _resource_paths(synthesized)
    methods = {}
    for method in synthesized.of_type("AWS::ApiGateway::Method").values():
        properties = method["Properties"]
        if properties["HttpMethod"] == "OPTIONS":
            continue
        resource = properties["ResourceId"]
        path = "/" if "Fn::GetAtt" in resource else paths[resource["Ref"]]
        methods[f"{properties['HttpMethod']} {path}"] = properties
    return methods


def test_one_method_per_route(synthesized: Synthesized) -> None:
    # Given the synthesized API's methods
    methods = _route_methods(synthesized)

    # Then they are exactly the routes of the route table
    assert sorted(methods) == sorted(route.key for route in ROUTES)
    assert len(methods) == len(ROUTES)


def test_private_routes_need_a_cognito_access_token_and_public_ones_nothing(
    synthesized: Synthesized,
) -> None:
    methods = _route_methods(synthesized)

    for route in ROUTES:
        method = methods[route.key]
        if route.public:
            assert method["AuthorizationType"] == "NONE", route.key
            assert "AuthorizerId" not in method, route.key
        else:
            assert method["AuthorizationType"] == "COGNITO_USER_POOLS", route.key
            assert method["AuthorizerId"], route.key
            # With a scope, the authorizer accepts the access tokens the contract sends.
            assert method["AuthorizationScopes"] == [ACCESS_TOKEN_SCOPE], route.key


def test_each_route_reaches_its_own_function(synthesized: Synthesized) -> None:
    methods = _route_methods(synthesized)
    functions = synthesized.of_type("AWS::Lambda::Function")
    handler_by_id = {
        logical_id: function["Properties"]["Handler"] for logical_id, function in functions.items()
    }

    for route in ROUTES:
        uri = json.dumps(methods[route.key]["Integration"]["Uri"])
        integration = methods[route.key]["Integration"]
        targets = [fid for fid in handler_by_id if f'"{fid}"' in uri]
        assert integration["Type"] == "AWS_PROXY", route.key
        assert [handler_by_id[fid] for fid in targets] == [
            f"functions.{route.function}.handler.handler"
        ], route.key


def test_every_route_is_validated(synthesized: Synthesized, template: Template) -> None:
    template.has_resource_properties(
        "AWS::ApiGateway::RequestValidator",
        {"ValidateRequestBody": True, "ValidateRequestParameters": True},
    )
    for key, method in _route_methods(synthesized).items():
        assert "RequestValidatorId" in method, key


def test_stage_logs_access_throttles_and_never_logs_bodies(template: Template) -> None:
    template.has_resource_properties(
        "AWS::ApiGateway::Stage",
        {
            "AccessLogSetting": {"DestinationArn": Match.any_value(), "Format": Match.any_value()},
            "TracingEnabled": True,
            "MethodSettings": Match.array_with(
                [
                    Match.object_like(
                        {
                            "DataTraceEnabled": False,
                            "LoggingLevel": "ERROR",
                            "ThrottlingRateLimit": 200,
                            "ThrottlingBurstLimit": 400,
                        }
                    )
                ]
            ),
        },
    )


def test_access_log_is_json(synthesized: Synthesized) -> None:
    (stage,) = synthesized.of_type("AWS::ApiGateway::Stage").values()
    log_format = json.loads(stage["Properties"]["AccessLogSetting"]["Format"])

    assert log_format["status"] == "$context.status"


def test_gateway_errors_use_the_contract_error_body(synthesized: Synthesized) -> None:
    responses = {
        response["Properties"]["ResponseType"]: response["Properties"]
        for response in synthesized.of_type("AWS::ApiGateway::GatewayResponse").values()
    }
    expected = {
        "UNAUTHORIZED": ("401", "unauthorized"),
        "ACCESS_DENIED": ("403", "forbidden"),
        "THROTTLED": ("429", "too_many_requests"),
        "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found"),
        "DEFAULT_5XX": (None, "internal_error"),
    }

    for response_type, (status, code) in expected.items():
        response = responses[response_type]
        body = json.loads(response["ResponseTemplates"]["application/json"])
        assert response.get("StatusCode") == status, response_type
        assert body["error"]["code"] == code, response_type
        assert body["error"]["message"], response_type


def test_cors_preflight_allows_only_the_portal_origin(synthesized: Synthesized) -> None:
    origins = synthesized.stack.settings.allowed_origins
    preflights = [
        method["Properties"]
        for method in synthesized.of_type("AWS::ApiGateway::Method").values()
        if method["Properties"]["HttpMethod"] == "OPTIONS"
    ]

    assert preflights
    for preflight in preflights:
        headers = preflight["Integration"]["IntegrationResponses"][0]["ResponseParameters"]
        assert headers["method.response.header.Access-Control-Allow-Origin"] == f"'{origins[0]}'"
