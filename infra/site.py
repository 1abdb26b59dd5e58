"""CloudFront and S3: the built web front end and the API under one HTTPS origin."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from infra.api import STAGE_NAME
from infra.storage import private_bucket
from shared.settings import site_content_security_policy

# Where `make web-build` writes the site.
WEB_DIST = Path(__file__).resolve().parents[1] / "web" / "dist"
# The web app reads config.json beside the site for the API's address (web/src/api.ts).
CONFIG_KEY = "config.json"
# Vite names every file under assets/ after its content hash: a changed file is a new name.
ASSETS = "assets/*"
# Written by the Makefile to know when to rebuild; not part of the site.
BUILD_STAMP = ".built-stamp"

# The history routes of the web app (/sign-in, /manage-users/invite, ...) have no file behind
# them: any path whose last segment has no dot is answered with index.html. This runs on the
# site's behaviour only; distribution-wide error responses (403/404 -> index.html) would also
# turn the API's own 403 and 404 answers into a page with status 200.
SPA_ROUTER = """\
function handler(event) {
  var request = event.request;
  var last = request.uri.split("/").pop();
  if (last.indexOf(".") === -1) {
    request.uri = "/index.html";
  }
  return request;
}
"""

# Two years, the usual HSTS lifetime; sub-domains are left to whoever owns the parent domain.
HSTS_MAX_AGE = cdk.Duration.days(730)


class Site(Construct):
    """A private bucket behind CloudFront, with the API at /<stage>/* on the same origin."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        rest_api: apigw.RestApi,
        access_log_bucket: s3.IBucket,
        upload_bucket: s3.IBucket,
        site_dir: Path | None,
    ) -> None:
        """upload_bucket: where the page PUTs files through presigned URLs (board staff).

        site_dir None deploys config.json alone: for synths that never deploy (tests).
        """
        super().__init__(scope, construct_id)
        if site_dir is not None and not (site_dir / "index.html").is_file():
            raise ValueError(f"no built site in {site_dir}: run `make web-build` first")

        # Only CloudFront reads this bucket (origin access control); nobody else, ever.
        self.bucket = private_bucket(
            self,
            "Files",
            server_access_logs_bucket=access_log_bucket,
            server_access_logs_prefix="site/",
            # A deploy replaces and prunes files; a month of old versions allows a rollback.
            lifecycle_rules=[s3.LifecycleRule(noncurrent_version_expiration=cdk.Duration.days(30))],
        )
        # CloudFront's standard logs are delivered with an ACL grant to its log account, so
        # this one bucket keeps ACLs enabled (owner preferred); it is never public either.
        self.log_bucket = private_bucket(
            self,
            "CdnLogs",
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            server_access_logs_bucket=access_log_bucket,
            server_access_logs_prefix="cdn-logs/",
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=cdk.Duration.days(400),
                    noncurrent_version_expiration=cdk.Duration.days(30),
                )
            ],
        )

        # boto3 signs presigned URLs for the global host (bucket.s3.amazonaws.com); the
        # regional host is allowed too, for SDKs and configurations that sign for it.
        self.content_security_policy = site_content_security_policy(
            f"https://{upload_bucket.bucket_domain_name}",
            f"https://{upload_bucket.bucket_regional_domain_name}",
        )
        self.headers = cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            comment="Centre Portal: HSTS, CSP and the other security headers",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=HSTS_MAX_AGE, include_subdomains=False, override=True
                ),
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=self.content_security_policy, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True
                ),
            ),
        )
        self.router = cloudfront.Function(
            self,
            "SpaRouter",
            comment="Centre Portal: history routes answer index.html",
            code=cloudfront.FunctionCode.from_inline(SPA_ROUTER),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )

        # The stage is named after the path prefix, so /api/centres/1 reaches the stage's
        # /centres/1 with no rewriting; the origin is the API's host alone, without a path.
        stack = cdk.Stack.of(self)
        api_host = f"{rest_api.rest_api_id}.execute-api.{stack.region}.{stack.url_suffix}"
        self.api_path = f"/{STAGE_NAME}"
        api_behavior = cloudfront.BehaviorOptions(
            origin=origins.HttpOrigin(
                api_host,
                protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
                origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
            ),
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
            # Nothing from the API is cached, so token answers keep their Cache-Control:
            # no-store, and with caching off CloudFront forwards the Authorization header
            # (the Cognito authorizer's input) under an all-viewer-headers request policy.
            cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
            origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            response_headers_policy=self.headers,
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="Centre Portal",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=self.headers,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=self.router,
                        event_type=cloudfront.FunctionEventType.VIEWER_REQUEST,
                    )
                ],
            ),
            additional_behaviors={f"{self.api_path}/*": api_behavior},
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            # Europe and North America edges: the centres are in the UK, and this is cheapest.
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            enable_logging=True,
            log_bucket=self.log_bucket,
            log_file_prefix="cloudfront/",
        )

        self.config = {"api_base_url": self.api_path}
        self._deploy(site_dir)

    def _deploy(self, site_dir: Path | None) -> None:
        """Upload the build: hashed assets first, then the pages that name them.

        Pages and config.json are sent with no-cache, so CloudFront keeps them for its one
        second minimum at most and browsers revalidate: a deploy needs no invalidation, and
        the deployment's role needs no CloudFront permission at all.
        """
        # CDK's deployment function (one per stack) would otherwise get the managed
        # AWSLambdaBasicExecutionRole, which may write any log group; this role writes its own.
        self.deployment_logs = logs.LogGroup(
            self,
            "DeploymentLogs",
            retention=logs.RetentionDays.ONE_MONTH,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        self.deployment_role = iam.Role(
            self,
            "DeploymentRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Centre Portal site deployment (copies web/dist into the site bucket)",
        )
        self.deployment_logs.grant_write(self.deployment_role)

        config = s3deploy.Source.json_data(CONFIG_KEY, self.config)
        if site_dir is None:
            self.deployments = [self._deployment("Pages", [config], exclude=[ASSETS])]
            return

        site = s3deploy.Source.asset(str(site_dir), exclude=[BUILD_STAMP])
        assets = self._deployment(
            "Assets",
            [site],
            exclude=["*"],
            include=[ASSETS],
            cache_control=[
                s3deploy.CacheControl.set_public(),
                s3deploy.CacheControl.max_age(cdk.Duration.days(365)),
                s3deploy.CacheControl.immutable(),
            ],
        )
        # Leaves assets/ to the deployment above, which prunes it; a new index.html names
        # assets that must already be there.
        pages = self._deployment("Pages", [site, config], exclude=[ASSETS])
        pages.node.add_dependency(assets)
        self.deployments = [assets, pages]

    def _deployment(
        self,
        construct_id: str,
        sources: list[s3deploy.ISource],
        *,
        exclude: list[str],
        include: list[str] | None = None,
        cache_control: list[s3deploy.CacheControl] | None = None,
    ) -> s3deploy.BucketDeployment:
        """Copy sources into the site bucket; pages default to no-cache."""
        return s3deploy.BucketDeployment(
            self,
            construct_id,
            destination_bucket=self.bucket,
            sources=sources,
            exclude=exclude,
            include=include,
            cache_control=cache_control or [s3deploy.CacheControl.no_cache()],
            role=self.deployment_role,
            log_group=self.deployment_logs,
        )
