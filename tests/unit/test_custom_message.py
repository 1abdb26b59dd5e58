"""The Cognito custom message trigger and the templates behind it, as the member sees them."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from functions.custom_message import handler as custom_message
from functions.custom_message.handler import TRIGGER_KINDS, handler
from shared.messages import FOOTER_LANGUAGES, KINDS, language_for, render, template_path
from shared.settings import IDENTITY, LANGUAGES

CODE = "{####}"
USERNAME = "{username}"
TRIGGER_SOURCES = sorted(TRIGGER_KINDS)
CODE_TRIGGERS = [source for source in TRIGGER_SOURCES if TRIGGER_KINDS[source] != "invite"]
# Cognito's documented limit for an SMS, code included.
MAX_SMS_LENGTH = 140
# A sentence only the body in that language says: the footer carries both languages.
BODY_MARKERS = {
    "invite": {"en": "You have been invited", "cy": "Rydych wedi cael gwahoddiad"},
    "reset_code": {"en": "reset the password", "cy": "ailosod y cyfrinair"},
    "mfa_code": {"en": "sign-in code is", "cy": "Eich cod mewngofnodi"},
    "verification_code": {"en": "verification code is", "cy": "Eich cod dilysu"},
    "recovery_unavailable": {"en": "cannot reset your password", "cy": "ni allwn ailosod"},
}
WELSH_FOOTER = "Neges awtomatig gan"
ENGLISH_FOOTER = "This is an automated message from"


def cognito_event(
    trigger_source: str, locale: str | None = "en", metadata: dict[str, str] | None = None
) -> dict[str, Any]:
    """An event shaped as Cognito documents it for the custom message trigger."""
    attributes = {"sub": "0d4c1f6e", "email": "member@school.example", "email_verified": "true"}
    if locale is not None:
        attributes["locale"] = locale
    request: dict[str, Any] = {"userAttributes": attributes, "codeParameter": CODE}
    if trigger_source == "CustomMessage_AdminCreateUser":
        request["usernameParameter"] = USERNAME
    if metadata is not None:
        request["clientMetadata"] = metadata
    return {
        "version": "1",
        "triggerSource": trigger_source,
        "region": "eu-west-2",
        "userPoolId": "eu-west-2_example",
        "userName": "0d4c1f6e",
        "callerContext": {"awsSdkVersion": "boto3", "clientId": "client"},
        "request": request,
        "response": {"smsMessage": None, "emailMessage": None, "emailSubject": None},
    }


def respond(trigger_source: str, **kwargs: Any) -> dict[str, Any]:
    return handler(cognito_event(trigger_source, **kwargs), None)["response"]


@pytest.fixture(autouse=True)
def default_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORTAL_NAME", raising=False)
    monkeypatch.delenv("SIGN_IN_URL", raising=False)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("trigger_source", TRIGGER_SOURCES)
def test_every_trigger_gets_a_short_single_line_subject(trigger_source: str, language: str) -> None:
    response = respond(trigger_source, locale=language)

    subject = response["emailSubject"]
    assert subject
    assert len(subject) < 140
    assert "\n" not in subject
    assert "\r" not in subject


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("trigger_source", TRIGGER_SOURCES)
def test_the_code_placeholder_appears_exactly_once(trigger_source: str, language: str) -> None:
    response = respond(trigger_source, locale=language)

    assert response["emailMessage"].count(CODE) == 1
    assert response["smsMessage"].count(CODE) == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_invite_carries_the_username_placeholder_once(language: str) -> None:
    response = respond("CustomMessage_AdminCreateUser", locale=language)

    assert response["emailMessage"].count(USERNAME) == 1
    assert response["smsMessage"].count(USERNAME) == 1


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("trigger_source", TRIGGER_SOURCES)
def test_sms_fits_cognitos_limit(trigger_source: str, language: str) -> None:
    response = respond(trigger_source, locale=language)

    # A six-digit code is as long as the placeholder that Cognito replaces with it.
    assert len(response["smsMessage"]) <= MAX_SMS_LENGTH
    assert "\n" not in response["smsMessage"]


@pytest.mark.parametrize("trigger_source", TRIGGER_SOURCES)
@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("en", "en"),
        ("cy", "cy"),
        ("cy-GB", "cy"),
        ("CY", "cy"),
        ("en-GB", "en"),
        ("fr", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_the_body_is_in_the_members_language(
    trigger_source: str, locale: str | None, language: str
) -> None:
    other = "en" if language == "cy" else "cy"
    markers = BODY_MARKERS[TRIGGER_KINDS[trigger_source]]

    response = respond(trigger_source, locale=locale)

    assert markers[language] in response["emailMessage"]
    assert markers[other] not in response["emailMessage"]
    assert f'<html lang="{language}">' in response["emailMessage"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("trigger_source", TRIGGER_SOURCES)
def test_every_email_ends_with_a_bilingual_footer_welsh_first(
    trigger_source: str, language: str
) -> None:
    email = respond(trigger_source, locale=language)["emailMessage"]

    assert WELSH_FOOTER in email
    assert ENGLISH_FOOTER in email
    assert email.index(WELSH_FOOTER) < email.index(ENGLISH_FOOTER)
    assert '<p lang="cy">Neges' in email


def test_language_for_falls_back_to_english() -> None:
    assert language_for("cy") == "cy"
    assert language_for(" cy_GB ") == "cy"
    assert language_for("de") == "en"
    assert language_for(None) == "en"
    assert language_for(42) == "en"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_invite_tells_the_member_everything_they_need(
    monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    monkeypatch.setenv("SIGN_IN_URL", "https://portal.example.org/sign-in")
    monkeypatch.setenv("PORTAL_NAME", "Exams Portal")
    metadata = {"inviter_name": "Siân Evans", "centre_name": "Ysgol y Bryn", "centre_id": "68001"}
    expected = {
        "en": ["two months", "exams officer or an admin", "no spaces before or after"],
        "cy": ["deufis", "swyddog arholiadau neu weinyddwr", "nad oes bylchau"],
    }[language]

    response = respond("CustomMessage_AdminCreateUser", locale=language, metadata=metadata)

    email = response["emailMessage"]
    assert "Exams Portal" in response["emailSubject"]
    assert '<a href="https://portal.example.org/sign-in">' in email
    for text in ["Siân Evans", "Ysgol y Bryn", "68001", str(IDENTITY.password_min_length)]:
        assert text in email
    for text in expected:
        assert text in email


def test_the_invite_wording_matches_the_settings() -> None:
    # The templates say these periods in words, because Welsh numerals mutate the noun after
    # them; a change to the settings must come with new wording in every language.
    assert IDENTITY.invite_validity_months == 2
    assert IDENTITY.forgot_password_code_hours == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_invite_without_metadata_leaves_out_the_lines_it_cannot_fill(language: str) -> None:
    response = respond("CustomMessage_AdminCreateUser", locale=language, metadata=None)

    email = response["emailMessage"]
    for label in ["Invited by", "Centre:", "Centre number", "Gwahoddwyd gan", "Canolfan:"]:
        assert label not in email
    assert "$" not in email
    assert "None" not in email


def test_an_invite_with_only_a_centre_name_shows_only_that() -> None:
    response = respond("CustomMessage_AdminCreateUser", metadata={"centre_name": "Ysgol y Bryn"})

    assert "Centre: Ysgol y Bryn" in response["emailMessage"]
    assert "Invited by" not in response["emailMessage"]
    assert "Centre number" not in response["emailMessage"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_hostile_names_are_escaped_in_the_email(language: str) -> None:
    metadata = {
        "inviter_name": "<script>alert(1)</script>",
        "centre_name": '"><img src=x onerror=alert(1)> & Co',
        "centre_id": "<b>1</b>",
    }

    email = respond("CustomMessage_AdminCreateUser", locale=language, metadata=metadata)[
        "emailMessage"
    ]

    assert "<script>" not in email
    assert "<img" not in email
    assert "<b>1</b>" not in email
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in email
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; Co" in email


def test_a_name_cannot_add_lines_or_repeat_the_placeholders() -> None:
    metadata = {
        "inviter_name": "Head\r\nTemporary password: hunter2",
        "centre_name": f"{CODE} {USERNAME} {{##{CODE}##}}",
    }

    response = respond("CustomMessage_AdminCreateUser", metadata=metadata)

    email = response["emailMessage"]
    assert email.count(CODE) == 1
    assert email.count(USERNAME) == 1
    assert "Invited by: Head Temporary password: hunter2" in email
    assert "\nTemporary password: hunter2" not in email


@pytest.mark.parametrize("portal_name", ["Portal\r\nBcc: attacker@example.org", "P" * 300])
def test_the_subject_stays_one_short_line_whatever_the_portal_name(
    monkeypatch: pytest.MonkeyPatch, portal_name: str
) -> None:
    monkeypatch.setenv("PORTAL_NAME", portal_name)

    subject = respond("CustomMessage_ForgotPassword")["emailSubject"]

    assert "\n" not in subject
    assert "\r" not in subject
    assert len(subject) < 140


@pytest.mark.parametrize(
    "trigger_source",
    ["CustomMessage_SomethingNew", "PreSignUp_SignUp", "", None],
)
def test_an_unknown_trigger_passes_through_unchanged(trigger_source: str | None) -> None:
    event = cognito_event("CustomMessage_SignUp")
    event["triggerSource"] = trigger_source
    original = copy.deepcopy(event)

    result = handler(event, None)

    assert result == original


def test_an_event_without_its_placeholders_gets_cognitos_default() -> None:
    without_code = cognito_event("CustomMessage_ForgotPassword")
    del without_code["request"]["codeParameter"]
    without_username = cognito_event("CustomMessage_AdminCreateUser")
    del without_username["request"]["usernameParameter"]

    for event in (without_code, without_username):
        original = copy.deepcopy(event)
        assert handler(event, None) == original


def test_the_handler_leaves_its_input_alone() -> None:
    event = cognito_event("CustomMessage_Authentication", locale="cy")
    original = copy.deepcopy(event)

    result = handler(event, None)

    assert event == original
    assert result["request"] == original["request"]
    assert result["response"]["smsMessage"]


def test_the_log_line_names_the_trigger_and_language_only(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, dict[str, Any]]] = []

    class RecordingLogger:
        def info(self, message: str, extra: dict[str, Any]) -> None:
            calls.append((message, extra))

    monkeypatch.setattr(custom_message, "_logger", RecordingLogger)

    respond("CustomMessage_AdminCreateUser", locale="cy", metadata={"inviter_name": "Siân"})

    assert calls == [
        (
            "custom message rendered",
            {"trigger_source": "CustomMessage_AdminCreateUser", "language": "cy"},
        )
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_a_template_in_every_language(kind: str, language: str) -> None:
    path = template_path(kind, language)

    head = path.read_text(encoding="utf-8").split("\n\n")[0]

    assert [line.split(":")[0] for line in head.splitlines()] == ["subject", "sms"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_without_leftover_placeholders(kind: str, language: str) -> None:
    message = render(kind, language, {"code": CODE, "username": USERNAME})

    for part in (message.subject, message.text, message.html, message.sms):
        assert part
        assert not re.search(r"\$\w", part)
    assert BODY_MARKERS[kind][language] in message.text
    assert message.text.index(WELSH_FOOTER) < message.text.index(ENGLISH_FOOTER)


def test_the_footer_languages_are_the_portals() -> None:
    assert FOOTER_LANGUAGES[0] == "cy"
    assert sorted(FOOTER_LANGUAGES) == sorted(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_recovery_unavailable_sends_the_member_to_their_exams_officer(language: str) -> None:
    expected = {
        "en": "Your exams officer or an admin at your centre can reset your sign-in",
        "cy": "Gall eich swyddog arholiadau neu weinyddwr yn eich canolfan ailosod",
    }[language]

    message = render("recovery_unavailable", language, {})

    assert expected in message.text
    assert expected in message.html
    assert CODE not in message.html
    assert len(message.sms) <= MAX_SMS_LENGTH


def test_render_refuses_what_it_cannot_word() -> None:
    with pytest.raises(ValueError, match="unknown message kind"):
        render("welcome", "en", {})
    with pytest.raises(ValueError, match="unsupported language"):
        render("invite", "fr", {})
    with pytest.raises(ValueError, match="code"):
        render("mfa_code", "en", {})
