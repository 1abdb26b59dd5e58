"""Every function is built the same way, on arm64 and Python 3.12, with its logs kept."""

from __future__ import annotations

from pathlib import Path

from aws_cdk.assertions import Template

from app import build_app
from shared.routes import FUNCTIONS
from tests.infra.synthesis import Synthesized

PORTAL_VARIABLES = {
    "TABLE_NAME",
    "IDEMPOTENCY_TABLE_NAME",
    "BUCKET_NAME",
    "USER_POOL_ID",
    "USER_POOL_CLIENT_ID",
    "PORTAL_NAME",
    "SIGN_IN_URL",
    "NO_REPLY_EMAIL",
    "BOARD_EMAIL_DOMAIN",
    "POWERTOOLS_SERVICE_NAME",
    "POWERTOOLS_METRICS_NAMESPACE",
    "LOG_LEVEL",
}


def _by_handler(synthesized: Synthesized) -> dict[str, dict]:
    """The portal's own functions; CDK's site deployment function (index.handler) is not one."""
    return {
        function["Properties"]["Handler"]: function["Properties"]
        for function in synthesized.of_type("AWS::Lambda::Function").values()
        if function["Properties"]["Handler"].startswith("functions.")
    }


def test_one_function_per_capability_plus_the_custom_message_trigger(
    synthesized: Synthesized,
) -> None:
    handlers = set(_by_handler(synthesized))

    assert handlers == {
        f"functions.{name}.handler.handler" for name in (*FUNCTIONS, "custom_message")
    }


def test_every_function_runs_python_312_on_arm64_traced(synthesized: Synthesized) -> None:
    for handler, function in _by_handler(synthesized).items():
        assert function["Runtime"] == "python3.12", handler
        assert function["Architectures"] == ["arm64"], handler
        assert function["TracingConfig"] == {"Mode": "Active"}, handler
        assert function["MemorySize"] == 512, handler
        assert function["Timeout"] == 10, handler


def test_capability_functions_get_the_portal_environment(synthesized: Synthesized) -> None:
    functions = _by_handler(synthesized)

    for name in FUNCTIONS:
        variables = functions[f"functions.{name}.handler.handler"]["Environment"]["Variables"]
        assert set(variables) >= PORTAL_VARIABLES, name
        assert variables["POWERTOOLS_METRICS_NAMESPACE"] == "CentrePortal"


def test_trigger_does_not_refer_to_the_pool_it_belongs_to(synthesized: Synthesized) -> None:
    # The pool depends on its trigger; the other way round would be a dependency cycle.
    trigger = _by_handler(synthesized)["functions.custom_message.handler.handler"]

    assert "USER_POOL_ID" not in trigger["Environment"]["Variables"]


def test_every_function_logs_to_its_own_group_with_retention(synthesized: Synthesized) -> None:
    groups = synthesized.of_type("AWS::Logs::LogGroup")

    for handler, function in _by_handler(synthesized).items():
        group_id = function["LoggingConfig"]["LogGroup"]["Ref"]
        assert groups[group_id]["Properties"]["RetentionInDays"] == 365, handler


def test_every_log_group_has_retention(synthesized: Synthesized) -> None:
    groups = synthesized.of_type("AWS::Logs::LogGroup")

    assert groups
    for logical_id, group in groups.items():
        assert group["Properties"].get("RetentionInDays"), logical_id


def test_alarms_watch_the_api_and_every_function(synthesized: Synthesized) -> None:
    alarms = [
        alarm["Properties"] for alarm in synthesized.of_type("AWS::CloudWatch::Alarm").values()
    ]
    metrics = {(alarm["Namespace"], alarm["MetricName"]) for alarm in alarms}
    function_count = len(_by_handler(synthesized))

    assert ("AWS/ApiGateway", "5XXError") in metrics
    assert ("CentrePortal", "ApiThrottled") in metrics
    assert sum(alarm["MetricName"] == "Errors" for alarm in alarms) == function_count
    assert sum(alarm["MetricName"] == "Throttles" for alarm in alarms) == function_count


def test_every_alarm_notifies_the_encrypted_alarm_topic(synthesized: Synthesized) -> None:
    topics = synthesized.of_type("AWS::SNS::Topic")
    alarms = synthesized.of_type("AWS::CloudWatch::Alarm").values()

    # One topic, under a customer-managed key with rotation that CloudWatch may use
    assert len(topics) == 1
    ((topic_id, topic),) = topics.items()
    key_id = topic["Properties"]["KmsMasterKeyId"]["Fn::GetAtt"][0]
    key = synthesized.resources[key_id]["Properties"]
    assert key["EnableKeyRotation"] is True
    cloudwatch = [
        statement
        for statement in key["KeyPolicy"]["Statement"]
        if statement["Principal"].get("Service") == "cloudwatch.amazonaws.com"
    ]
    assert cloudwatch and set(cloudwatch[0]["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}

    # Every alarm tells the topic when it fires and when it clears
    for alarm in alarms:
        properties = alarm["Properties"]
        assert properties["AlarmActions"] == [{"Ref": topic_id}]
        assert properties["OKActions"] == [{"Ref": topic_id}]

    # Without an alarm_email in context nobody is subscribed yet
    assert not synthesized.of_type("AWS::SNS::Subscription")


def test_an_alarm_email_subscribes_to_the_topic(tmp_path: Path) -> None:
    _, stack = build_app(
        {"skip_bundling": "true", "alarm_email": "portal-ops@example.org"}, outdir=str(tmp_path)
    )
    template = Template.from_stack(stack)

    template.has_resource_properties(
        "AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "portal-ops@example.org"}
    )


def test_throttle_metric_counts_429s_in_the_access_log(template: Template) -> None:
    template.has_resource_properties(
        "AWS::Logs::MetricFilter", {"FilterPattern": '{ $.status = "429" }'}
    )


def test_services_launch_external_services_from_configured_urls(
    synthesized: Synthesized,
) -> None:
    functions = _by_handler(synthesized)
    variables = functions["functions.services.handler.handler"]["Environment"]["Variables"]

    for name in ("IAMIS_URL", "ACCESS_ARRANGEMENTS_URL", "ENTRIES_URL", "VIEW_SCRIPTS_URL"):
        assert variables[name].startswith("https://"), name
