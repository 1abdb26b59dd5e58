"""What one synth of the portal stack produced, shaped for the infra tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk.assertions import Template

from infra.stack import PortalStack


@dataclass(frozen=True)
class Synthesized:
    """What one synth produced: the stack object, its template, and cdk-nag's verdict."""

    stack: PortalStack
    template: Template
    resources: dict[str, dict[str, Any]]
    outdir: Path
    synth_error: str | None

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """The template's resources of one CloudFormation type, by logical id."""
        return {
            logical_id: resource
            for logical_id, resource in self.resources.items()
            if resource["Type"] == resource_type
        }

    def validation_report(self) -> dict[str, Any]:
        """The policy validation report (cdk-nag's findings) written beside the template."""
        report = self.outdir / "validation-report.json"
        return json.loads(report.read_text()) if report.exists() else {"pluginReports": []}
