"""Least privilege, cdk-nag and cfn-lint: the template passes the reviews it will get."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from cfnlint.api import ManualArgs, lint

from tests.infra.synthesis import Synthesized

# The only statements allowed Resource "*": the services below have no resource-level
# permissions for these actions (X-Ray segments; SMS to phone numbers, for Cognito's role).
RESOURCE_STAR_ALLOWED = {
    frozenset({"xray:PutTraceSegments", "xray:PutTelemetryRecords"}),
    frozenset({"sns:Publish"}),
}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(synthesized: Synthesized) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every identity-policy statement in the template, with its resource's logical id."""
    for logical_id, resource in synthesized.resources.items():
        properties = resource.get("Properties", {})
        documents = []
        if resource["Type"] == "AWS::IAM::Policy":
            documents.append(properties["PolicyDocument"])
        if resource["Type"] == "AWS::IAM::Role":
            documents.extend(policy["PolicyDocument"] for policy in properties.get("Policies", []))
        for document in documents:
            for statement in document["Statement"]:
                yield logical_id, statement


def _policy_of(synthesized: Synthesized, handler: str) -> list[dict[str, Any]]:
    """The statements granted to the role of the function with this handler."""
    (function,) = [
        function
        for function in synthesized.of_type("AWS::Lambda::Function").values()
        if function["Properties"]["Handler"] == handler
    ]
    role_id = function["Properties"]["Role"]["Fn::GetAtt"][0]
    return [
        statement
        for policy in synthesized.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def _actions(statements: list[dict[str, Any]]) -> set[str]:
    return {action for statement in statements for action in _as_list(statement["Action"])}


def test_no_statement_grants_every_action_and_star_resource_only_where_aws_needs_it(
    synthesized: Synthesized,
) -> None:
    for logical_id, statement in _statements(synthesized):
        actions = _as_list(statement["Action"])
        assert "*" not in actions, logical_id
        assert not any(action.endswith(":*") for action in actions), logical_id
        if "*" in _as_list(statement.get("Resource", [])):
            assert frozenset(actions) in RESOURCE_STAR_ALLOWED, (logical_id, actions)


def test_no_function_uses_a_managed_policy(synthesized: Synthesized) -> None:
    functions = synthesized.of_type("AWS::Lambda::Function").values()
    role_ids = {function["Properties"]["Role"]["Fn::GetAtt"][0] for function in functions}

    for role_id in role_ids:
        assert "ManagedPolicyArns" not in synthesized.resources[role_id]["Properties"], role_id


def test_only_member_managers_create_and_delete_cognito_users(synthesized: Synthesized) -> None:
    def cognito(handler: str) -> set[str]:
        actions = _actions(_policy_of(synthesized, f"functions.{handler}.handler.handler"))
        return {action for action in actions if action.startswith("cognito-idp:")}

    assert cognito("auth") == {"cognito-idp:AdminUpdateUserAttributes"}
    assert cognito("services") == set()
    assert cognito("custom_message") == set()
    assert cognito("account") == {
        "cognito-idp:AdminUpdateUserAttributes",
        "cognito-idp:AdminDeleteUserAttributes",
    }
    for manager in ("members", "board"):
        assert "cognito-idp:AdminCreateUser" in cognito(manager)
        assert "cognito-idp:AdminDeleteUser" in cognito(manager)
        assert "cognito-idp:AdminSetUserPassword" in cognito(manager)
        # Resetting sign-in removes the phone, so that MFA is set up again
        assert "cognito-idp:AdminDeleteUserAttributes" in cognito(manager)


def test_sign_in_reads_and_updates_member_records_only(synthesized: Synthesized) -> None:
    actions = _actions(_policy_of(synthesized, "functions.auth.handler.handler"))

    assert {a for a in actions if a.startswith("dynamodb:")} == {
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
    }


def test_only_board_writes_files_and_only_services_reads_them(synthesized: Synthesized) -> None:
    def s3(handler: str) -> set[str]:
        actions = _actions(_policy_of(synthesized, f"functions.{handler}.handler.handler"))
        return {action for action in actions if action.startswith("s3:")}

    assert s3("board") == {"s3:PutObject"}
    assert s3("services") == {"s3:GetObject"}
    for handler in ("auth", "account", "members", "custom_message"):
        assert s3(handler) == set(), handler


def test_cdk_nag_reports_no_unacknowledged_finding(synthesized: Synthesized) -> None:
    # Given the synth ran the AWS Solutions pack
    report = synthesized.validation_report()
    findings = [
        f"{violation['ruleName']} at {construct['constructPath']}"
        for plugin in report["pluginReports"]
        for violation in plugin["violations"]
        for construct in violation["violatingConstructs"]
    ]

    # Then it did not fail the synth and left nothing unacknowledged
    assert synthesized.synth_error is None, synthesized.synth_error
    assert findings == []


def test_cfn_lint_finds_no_error(synthesized: Synthesized) -> None:
    body = json.dumps({"Resources": synthesized.resources, **_rest_of_template(synthesized)})

    matches = lint(body, config=ManualArgs(regions=[synthesized.stack.settings.region]))

    errors = [str(match) for match in matches if match.rule.id.startswith("E")]
    assert errors == []


def _rest_of_template(synthesized: Synthesized) -> dict[str, Any]:
    body = synthesized.template.to_json()
    return {key: value for key, value in body.items() if key != "Resources"}
