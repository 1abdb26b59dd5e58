"""Deployment settings come from CDK context, with defaults, and bad values are refused."""

from __future__ import annotations

import pytest

from infra.settings import PortalSettings
from shared.settings import DEFAULT_REGION


def test_defaults_when_context_is_empty() -> None:
    settings = PortalSettings.from_context({})

    assert settings.region == DEFAULT_REGION == "eu-west-2"
    assert settings.portal_name == "Centre Portal"
    assert settings.skip_bundling is False


def test_command_line_context_is_parsed() -> None:
    # Given context as `cdk -c key=value` delivers it: strings only
    context = {
        "region": "eu-west-1",
        "allowed_origins": "https://a.example.org, https://b.example.org",
        "no_reply_email": "no-reply@mail.example.org",
        "skip_bundling": "true",
        "ses_identity_arn": "",
    }

    settings = PortalSettings.from_context(context)

    assert settings.region == "eu-west-1"
    assert settings.allowed_origins == ("https://a.example.org", "https://b.example.org")
    assert settings.no_reply_domain == "mail.example.org"
    assert settings.skip_bundling is True
    assert settings.ses_identity_arn == ""


def test_cdk_json_lists_are_accepted() -> None:
    settings = PortalSettings.from_context({"allowed_origins": ["https://portal.example.org"]})

    assert settings.allowed_origins == ("https://portal.example.org",)


@pytest.mark.parametrize(
    "context",
    [
        {"no_reply_email": "not-an-address"},
        {"allowed_origins": "http://portal.example.org"},
        {"allowed_origins": "https://portal.example.org/"},
        {"allowed_origins": ""},
        {"sign_in_url": "http://portal.example.org/sign-in"},
    ],
)
def test_bad_values_are_refused(context: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        PortalSettings.from_context(context)
