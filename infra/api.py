"""API Gateway: the portal's REST API, built route by route from the route table."""

from __future__ import annotations

import json
from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from shared.routes import ROUTES, Route

# The site's CloudFront distribution sends /api/* to this stage unchanged (infra/site.py), so
# the stage's name is that path prefix and the web app calls the API at /api on its own origin.
STAGE_NAME = "api"

# With a scope on the method, the Cognito authorizer accepts access tokens (which carry this
# scope after a user-password sign-in) instead of id tokens. The contract sends access tokens.
ACCESS_TOKEN_SCOPE = "aws.cognito.signin.user.admin"

# The access log is one JSON object a line; status stays a string so the 429 filter is simple.
ACCESS_LOG_FORMAT = json.dumps(
    {
        "request_id": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "method": "$context.httpMethod",
        "resource": "$context.resourcePath",
        "status": "$context.status",
        "latency_ms": "$context.responseLatency",
        "integration_latency_ms": "$context.integrationLatency",
        "response_length": "$context.responseLength",
        "user_sub": "$context.authorizer.claims.sub",
        "error": "$context.error.message",
        "user_agent": "$context.identity.userAgent",
        "time": "$context.requestTime",
    },
    separators=(",", ":"),
)

# API Gateway's own refusals, worded in the contract's error shape. Statuses follow the
# contract: an unknown route is 404 (API Gateway says 403 "Missing Authentication Token").
GATEWAY_ERRORS: tuple[tuple[apigw.ResponseType, str | None, str, str], ...] = (
    (apigw.ResponseType.UNAUTHORIZED, "401", "unauthorized", "Sign in to continue."),
    (apigw.ResponseType.ACCESS_DENIED, "403", "forbidden", "You cannot do that."),
    (apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, "404", "not_found", "Not found."),
    (apigw.ResponseType.RESOURCE_NOT_FOUND, "404", "not_found", "Not found."),
    (apigw.ResponseType.THROTTLED, "429", "too_many_requests", "Too many requests; retry."),
    (apigw.ResponseType.QUOTA_EXCEEDED, "429", "too_many_requests", "Too many requests; retry."),
    (apigw.ResponseType.BAD_REQUEST_BODY, "400", "validation_error", "The body is not valid."),
    (apigw.ResponseType.BAD_REQUEST_PARAMETERS, "400", "validation_error", "A parameter is bad."),
    (apigw.ResponseType.REQUEST_TOO_LARGE, "413", "request_too_large", "The request is too big."),
    (apigw.ResponseType.DEFAULT_4_XX, None, "bad_request", "The request was not accepted."),
    (apigw.ResponseType.DEFAULT_5_XX, None, "internal_error", "Something went wrong."),
)


def error_body(code: str, message: str) -> str:
    """The contract's error body."""
    return json.dumps({"error": {"code": code, "message": message}})


class PortalApi(Construct):
    """A regional REST API: one method per route, Cognito in front of every non-public one."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions: Mapping[str, lambda_.IFunction],
        user_pool: cognito.IUserPool,
        allowed_origins: tuple[str, ...],
    ) -> None:
        super().__init__(scope, construct_id)

        self.access_log_group = logs.LogGroup(
            self,
            "AccessLogs",
            retention=logs.RetentionDays.ONE_YEAR,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        methods = sorted({route.method for route in ROUTES})
        self.rest_api = apigw.RestApi(
            self,
            "RestApi",
            rest_api_name="Centre Portal",
            description="Centre Portal HTTP API",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            # Execution logs need the account-level role that lets API Gateway write to CloudWatch.
            cloud_watch_role=True,
            deploy_options=apigw.StageOptions(
                stage_name=STAGE_NAME,
                access_log_destination=apigw.LogGroupLogDestination(self.access_log_group),
                access_log_format=apigw.AccessLogFormat.custom(ACCESS_LOG_FORMAT),
                # Errors only and never request data: sign-in bodies carry passwords.
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                metrics_enabled=True,
                tracing_enabled=True,
                # Results day at 08:00 is the peak: every centre's staff at once, a few requests
                # each. 200/s steady with bursts of 400 carries that and still stops a runaway
                # client long before it spends Cognito's per-account request quotas.
                throttling_rate_limit=200,
                throttling_burst_limit=400,
            ),
            default_cors_preflight_options=apigw.CorsOptions(
                allow_origins=list(allowed_origins),
                allow_methods=methods,
                allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
                max_age=cdk.Duration.hours(1),
            ),
        )
        self.authorizer = apigw.CognitoUserPoolsAuthorizer(
            self, "Authorizer", cognito_user_pools=[user_pool]
        )
        self.validator = self.rest_api.add_request_validator(
            "Validator", validate_request_body=True, validate_request_parameters=True
        )
        integrations = {
            name: apigw.LambdaIntegration(function, allow_test_invoke=False)
            for name, function in functions.items()
        }
        self.methods: dict[str, apigw.Method] = {}
        for route in ROUTES:
            self.methods[route.key] = self._add_route(route, integrations[route.function])

        # A browser only reads an error when it carries the CORS header. A gateway response
        # cannot pick among several origins per request, so it names the origin only when
        # there is one; with several, browsers see these errors as CORS failures.
        cors_headers = (
            {"Access-Control-Allow-Origin": f"'{allowed_origins[0]}'"}
            if len(allowed_origins) == 1
            else {}
        )
        for response_type, status, code, message in GATEWAY_ERRORS:
            self.rest_api.add_gateway_response(
                f"{code}-{response_type.response_type}",
                type=response_type,
                status_code=status,
                templates={"application/json": error_body(code, message)},
                response_headers=cors_headers,
            )

    def _add_route(self, route: Route, integration: apigw.LambdaIntegration) -> apigw.Method:
        """Add the route's resources (as needed) and its method."""
        resource = self.rest_api.root
        for part in route.path.strip("/").split("/"):
            resource = resource.get_resource(part) or resource.add_resource(part)
        path_parameters = [part[1:-1] for part in route.path.split("/") if part.startswith("{")]
        request_parameters = {f"method.request.path.{name}": True for name in path_parameters}
        if route.public:
            return resource.add_method(
                route.method,
                integration,
                authorization_type=apigw.AuthorizationType.NONE,
                request_validator=self.validator,
                request_parameters=request_parameters,
            )
        return resource.add_method(
            route.method,
            integration,
            authorization_type=apigw.AuthorizationType.COGNITO,
            authorizer=self.authorizer,
            authorization_scopes=[ACCESS_TOKEN_SCOPE],
            request_validator=self.validator,
            request_parameters=request_parameters,
        )
