"""The site in the cloud: a private bucket behind CloudFront, with the API on the same origin."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_s3 as s3

from infra.site import Site
from shared.settings import SITE_CONTENT_SECURITY_POLICY, site_content_security_policy
from tests.infra.synthesis import Synthesized

# CloudFront's managed policies, by their documented ids.
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
ALL_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}


def _only(resources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    (resource,) = resources.values()
    return resource


def _distribution(synthesized: Synthesized) -> dict[str, Any]:
    return _only(synthesized.of_type("AWS::CloudFront::Distribution"))["Properties"][
        "DistributionConfig"
    ]


def _behaviours(synthesized: Synthesized) -> list[dict[str, Any]]:
    config = _distribution(synthesized)
    return [config["DefaultCacheBehavior"], *config.get("CacheBehaviors", [])]


def _origin(synthesized: Synthesized, behaviour: dict[str, Any]) -> dict[str, Any]:
    (origin,) = [
        origin
        for origin in _distribution(synthesized)["Origins"]
        if origin["Id"] == behaviour["TargetOriginId"]
    ]
    return origin


def _api_behaviour(synthesized: Synthesized) -> dict[str, Any]:
    (behaviour,) = _distribution(synthesized)["CacheBehaviors"]
    return behaviour


def _site_bucket_id(synthesized: Synthesized) -> str:
    origin = _origin(synthesized, _distribution(synthesized)["DefaultCacheBehavior"])
    return str(origin["DomainName"]["Fn::GetAtt"][0])


def test_site_bucket_is_private_and_read_by_cloudfront_through_origin_access_control(
    synthesized: Synthesized,
) -> None:
    # Given the distribution's default behaviour and the bucket behind it
    origin = _origin(synthesized, _distribution(synthesized)["DefaultCacheBehavior"])
    bucket_id = _site_bucket_id(synthesized)
    bucket = synthesized.resources[bucket_id]["Properties"]
    (access_control,) = synthesized.of_type("AWS::CloudFront::OriginAccessControl").values()

    # Then CloudFront signs its requests with OAC, not a legacy origin access identity
    assert origin["OriginAccessControlId"]
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert access_control["Properties"]["OriginAccessControlConfig"] == {
        "Name": access_control["Properties"]["OriginAccessControlConfig"]["Name"],
        "OriginAccessControlOriginType": "s3",
        "SigningBehavior": "always",
        "SigningProtocol": "sigv4",
    }
    # And the bucket is not public, is no web site, and is encrypted and logged
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert "WebsiteConfiguration" not in bucket
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert bucket["LoggingConfiguration"]["LogFilePrefix"] == "site/"


def test_only_this_distribution_may_read_the_site_bucket(synthesized: Synthesized) -> None:
    bucket_id = _site_bucket_id(synthesized)
    (policy,) = [
        policy["Properties"]["PolicyDocument"]
        for policy in synthesized.of_type("AWS::S3::BucketPolicy").values()
        if policy["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    allows = [statement for statement in policy["Statement"] if statement["Effect"] == "Allow"]
    (distribution_id,) = synthesized.of_type("AWS::CloudFront::Distribution")

    (allow,) = allows
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    assert {"Ref": distribution_id} in allow["Condition"]["StringEquals"]["AWS:SourceArn"][
        "Fn::Join"
    ][1]


def test_every_behaviour_redirects_plain_http_to_https(synthesized: Synthesized) -> None:
    behaviours = _behaviours(synthesized)

    assert len(behaviours) == 2
    for behaviour in behaviours:
        assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https", behaviour


def test_every_response_carries_the_security_headers(synthesized: Synthesized) -> None:
    policies = synthesized.of_type("AWS::CloudFront::ResponseHeadersPolicy")
    (policy_id,) = policies
    config = policies[policy_id]["Properties"]["ResponseHeadersPolicyConfig"]
    headers = config["SecurityHeadersConfig"]
    files = synthesized.stack.storage.bucket

    # Then site and API responses alike get the policy
    for behaviour in _behaviours(synthesized):
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": policy_id}
    # And the CSP is the laptop run's (own files only, no inline script), letting the page
    # also PUT to the files bucket, whose presigned URLs board staff upload through
    csp = headers["ContentSecurityPolicy"]
    assert csp["Override"] is True
    assert _rendered(csp["ContentSecurityPolicy"]) == site_content_security_policy(
        f"https://{_rendered(synthesized.stack.resolve(files.bucket_domain_name))}",
        f"https://{_rendered(synthesized.stack.resolve(files.bucket_regional_domain_name))}",
    )
    assert "script-src 'self';" in SITE_CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in SITE_CONTENT_SECURITY_POLICY
    assert headers["StrictTransportSecurity"] == {
        "AccessControlMaxAgeSec": 63072000,
        "IncludeSubdomains": False,
        "Override": True,
    }
    assert headers["ContentTypeOptions"] == {"Override": True}
    assert headers["FrameOptions"] == {"FrameOption": "DENY", "Override": True}
    assert headers["ReferrerPolicy"] == {"ReferrerPolicy": "no-referrer", "Override": True}
    # And nothing rewrites Cache-Control, so token answers keep their no-store
    assert "CustomHeadersConfig" not in config
    assert "RemoveHeadersConfig" not in config


def _rendered(value: Any) -> str:
    """A template value as text, with each reference written as {GetAtt:id.attribute}."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(_rendered(part) for part in parts)
    if "Fn::GetAtt" in value:
        resource, attribute = value["Fn::GetAtt"]
        return f"{{GetAtt:{resource}.{attribute}}}"
    return json.dumps(value, sort_keys=True)


def test_api_is_reached_under_the_same_origin_uncached_with_every_method(
    synthesized: Synthesized,
) -> None:
    behaviour = _api_behaviour(synthesized)
    origin = _origin(synthesized, behaviour)
    (stage,) = synthesized.of_type("AWS::ApiGateway::Stage").values()
    (rest_api_id,) = synthesized.of_type("AWS::ApiGateway::RestApi")

    # Then /api/* goes to the API's host with every method, nothing cached and every viewer
    # header but Host forwarded (Authorization included, for the Cognito authorizer)
    assert behaviour["PathPattern"] == "/api/*"
    assert set(behaviour["AllowedMethods"]) == ALL_METHODS
    assert behaviour["CachePolicyId"] == CACHING_DISABLED
    assert behaviour["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    assert {"Ref": rest_api_id} in origin["DomainName"]["Fn::Join"][1]
    assert origin["CustomOriginConfig"] == {
        "OriginProtocolPolicy": "https-only",
        "OriginSSLProtocols": ["TLSv1.2"],
    }
    # And with no origin path, /api/centres/1 reaches the stage named api at /centres/1
    assert "OriginPath" not in origin
    assert stage["Properties"]["StageName"] == "api"


def test_site_files_are_cached_and_served_from_the_root(synthesized: Synthesized) -> None:
    config = _distribution(synthesized)
    default = config["DefaultCacheBehavior"]

    assert config["DefaultRootObject"] == "index.html"
    assert set(default["AllowedMethods"]) == {"GET", "HEAD"}
    assert default["CachePolicyId"] != CACHING_DISABLED


def test_history_routes_answer_index_html_and_api_errors_stay_errors(
    synthesized: Synthesized,
) -> None:
    # Given the function on the site's behaviour
    config = _distribution(synthesized)
    (association,) = config["DefaultCacheBehavior"]["FunctionAssociations"]
    function_id = association["FunctionARN"]["Fn::GetAtt"][0]
    function = synthesized.resources[function_id]["Properties"]

    # Then it runs on the viewer request of the site only, and no distribution-wide error
    # response could turn the API's 403 or 404 into index.html with 200
    assert association["EventType"] == "viewer-request"
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert "FunctionAssociations" not in _api_behaviour(synthesized)
    assert "CustomErrorResponses" not in config

    # When it is run on the app's routes and on real files
    uris = [
        "/",
        "/sign-in",
        "/manage-users/invite",
        "/profile/",
        "/index.html",
        "/config.json",
        "/assets/index-WxaNjjh2.js",
    ]
    answered = _run_cloudfront_function(function["FunctionCode"], uris)

    # Then routes become index.html and files stay themselves
    assert answered == [
        "/index.html",
        "/index.html",
        "/index.html",
        "/index.html",
        "/index.html",
        "/config.json",
        "/assets/index-WxaNjjh2.js",
    ]


def _run_cloudfront_function(code: str, uris: list[str]) -> list[str]:
    """The request URIs the function hands on, run by node on these viewer requests."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = (
        code
        + "\nconst uris = JSON.parse(process.argv[1]);"
        + "\nconsole.log(JSON.stringify(uris.map((uri) => handler({request: {uri}}).uri)));"
    )
    result = subprocess.run(  # noqa: S603 - node on the template's own function code
        [node, "-e", script, json.dumps(uris)], capture_output=True, text=True, check=True
    )
    answered: list[str] = json.loads(result.stdout)
    return answered


def test_config_json_points_the_web_app_at_the_api_on_its_own_origin(
    synthesized: Synthesized,
) -> None:
    # Given what the synth's site deployment uploads
    configs = []
    for deployment in synthesized.of_type("Custom::CDKBucketDeployment").values():
        for key in deployment["Properties"]["SourceObjectKeys"]:
            path = synthesized.outdir / f"asset.{key.removesuffix('.zip')}" / "config.json"
            if path.is_file():
                configs.append(json.loads(path.read_text()))

    # Then config.json says the API is at /api, the behaviour CloudFront sends to the API
    assert configs == [{"api_base_url": "/api"}]
    assert _api_behaviour(synthesized)["PathPattern"] == "/api/*"


def test_cloudfront_logs_requests_to_a_private_log_bucket(synthesized: Synthesized) -> None:
    logging = _distribution(synthesized)["Logging"]
    bucket = synthesized.resources[logging["Bucket"]["Fn::GetAtt"][0]]["Properties"]

    assert logging["Prefix"] == "cloudfront/"
    # CloudFront's standard logs are written with an ACL grant, so ACLs stay enabled here only
    assert bucket["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]}
    assert all(bucket["PublicAccessBlockConfiguration"].values())


def test_deployment_needs_no_cloudfront_permission(synthesized: Synthesized) -> None:
    # Pages are uploaded with no-cache, so no invalidation (and no cloudfront:* on "*") is needed
    statements = [
        statement
        for policy in synthesized.of_type("AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    actions = {
        action
        for statement in statements
        for action in (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
    }

    assert not {action for action in actions if action.startswith("cloudfront:")}
    for deployment in synthesized.of_type("Custom::CDKBucketDeployment").values():
        assert "DistributionId" not in deployment["Properties"]
        assert deployment["Properties"]["SystemMetadata"] == {"cache-control": "no-cache"}


def test_the_stack_outputs_the_site_address(synthesized: Synthesized) -> None:
    outputs = synthesized.template.to_json()["Outputs"]

    assert outputs["SiteUrl"]["Value"]["Fn::Join"][1][0] == "https://"


# A synth with a built site, of the Site construct alone (the session's synth skips the build).


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Given a built site with hashed assets and the Makefile's stamp, the deployments' props."""
    dist = tmp_path_factory.mktemp("dist")
    (dist / "assets").mkdir()
    (dist / "index.html").write_text("<!doctype html><script src=/assets/app-1a2b.js></script>")
    (dist / "assets" / "app-1a2b.js").write_text("console.log(1)")
    (dist / ".built-stamp").write_text("")
    outdir = tmp_path_factory.mktemp("site.out")

    app = cdk.App(outdir=str(outdir))
    stack = cdk.Stack(app, "SiteOnly", env=cdk.Environment(region="eu-west-2"))
    rest_api = apigw.RestApi(stack, "Api", deploy_options=apigw.StageOptions(stage_name="api"))
    rest_api.root.add_method("GET", apigw.MockIntegration())
    Site(
        stack,
        "Site",
        rest_api=rest_api,
        access_log_bucket=s3.Bucket(stack, "Logs"),
        upload_bucket=s3.Bucket(stack, "Uploads"),
        site_dir=dist,
    )
    app.synth()
    body = json.loads((outdir / "SiteOnly.template.json").read_text())
    return {"resources": body["Resources"], "outdir": outdir}


def _deployments(built_site: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for logical_id, resource in built_site["resources"].items()
        if resource["Type"] == "Custom::CDKBucketDeployment"
    }


def test_hashed_assets_are_cached_for_a_year_and_pages_revalidate(
    built_site: dict[str, Any],
) -> None:
    deployments = _deployments(built_site)
    by_metadata = {
        json.dumps(d["Properties"]["SystemMetadata"]): (logical_id, d)
        for logical_id, d in deployments.items()
    }

    # Then assets/ is uploaded on its own with a year's immutable cache
    assets_id, assets = by_metadata[
        json.dumps({"cache-control": "public, max-age=31536000, immutable"})
    ]
    assert assets["Properties"]["Exclude"] == ["*"]
    assert assets["Properties"]["Include"] == ["assets/*"]
    # And index.html and config.json revalidate, after the assets they name are there
    pages_id, pages = by_metadata[json.dumps({"cache-control": "no-cache"})]
    assert pages["Properties"]["Exclude"] == ["assets/*"]
    assert assets_id in pages.get("DependsOn", [])
    assert len(deployments) == 2, pages_id


def test_the_build_is_uploaded_without_the_makefile_stamp(built_site: dict[str, Any]) -> None:
    outdir: Path = built_site["outdir"]
    uploaded = set()
    for deployment in _deployments(built_site).values():
        for key in deployment["Properties"]["SourceObjectKeys"]:
            folder = outdir / f"asset.{key.removesuffix('.zip')}"
            uploaded |= {str(path.relative_to(folder)) for path in folder.rglob("*")}

    assert {"index.html", "assets/app-1a2b.js", "config.json"} <= uploaded
    assert ".built-stamp" not in uploaded


def test_a_synth_without_a_built_site_says_how_to_build_it(tmp_path: Path) -> None:
    stack = cdk.Stack(cdk.App(), "NoBuild")
    rest_api = apigw.RestApi(stack, "Api")
    rest_api.root.add_method("GET", apigw.MockIntegration())

    with pytest.raises(ValueError, match="make web-build"):
        Site(
            stack,
            "Site",
            rest_api=rest_api,
            access_log_bucket=s3.Bucket(stack, "Logs"),
            upload_bucket=s3.Bucket(stack, "Uploads"),
            site_dir=tmp_path,
        )
