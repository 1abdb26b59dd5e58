"""Render a member's message (subject, plain text, HTML, SMS) from the template files.

One file per kind and language, `templates/<kind>.<language>.txt`, holds all of a message's
wording: a `subject:` line, an `sms:` line, a blank line, then the body as plain-text
paragraphs. The HTML email is built from that same body, so the plain-text and HTML versions
cannot drift apart and a translator edits one file per message. Wording never lives in code.

Values are `$name` placeholders (`string.Template`). A body line that mentions an optional
value the caller did not supply (who invited the member, the centre) is left out, so each
template reads well with or without it. Every value is put on one line and HTML-escaped
before it reaches the HTML; `code` and `username` are Cognito's own placeholders (`{####}`,
`{username}`): they go in verbatim, because Cognito substitutes them after this function has
run, and are removed from every other value so that they appear only where a template puts
them.

Bilingual footer: every email ends with a short footer in both languages, Welsh first then
English, whatever the member's language. Welsh public bodies put Welsh first (the Welsh
Language Standards ask that Welsh text is not treated less favourably, which in practice
means it leads), and a fixed order means an email forwarded to a colleague reads the same
way for everyone. The body itself is in the member's language only, to keep it short.
"""

from __future__ import annotations

import html
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

from shared.settings import IDENTITY, LANGUAGES

KINDS = ("invite", "reset_code", "mfa_code", "verification_code", "recovery_unavailable")
FOOTER_LANGUAGES = ("cy", "en")
DEFAULT_LANGUAGE = "en"
DEFAULT_PORTAL_NAME = "Centre Portal"
DEFAULT_SIGN_IN_URL = "http://127.0.0.1:8000/"

# Cognito rejects a subject over 140 characters; a header must be one line.
MAX_SUBJECT_LENGTH = 139
# Long enough for any real centre or person's name; caps what a caller can push into an email.
MAX_VALUE_LENGTH = 200
# Cognito's placeholders: inserted verbatim, shown in bold in the HTML.
PLACEHOLDER_NAMES = ("code", "username")
OPTIONAL_NAMES = frozenset({"inviter_name", "centre_name", "centre_id"})

_TEMPLATES = Path(__file__).with_name("templates")
_CODE_STYLE = "font-family: monospace; font-size: 1.25em; letter-spacing: 0.05em;"


@dataclass(frozen=True)
class Message:
    """One message as the member receives it: email subject, plain text, HTML and SMS."""

    subject: str
    text: str
    html: str
    sms: str


@dataclass(frozen=True)
class _Template:
    subject: str
    sms: str
    paragraphs: tuple[tuple[str, ...], ...]


def language_for(locale: object) -> str:
    """The message language for a Cognito `locale` attribute: `cy` or `en`, else `en`."""
    if not isinstance(locale, str):
        return DEFAULT_LANGUAGE
    # A regional tag such as `cy-GB` still names the language the member chose.
    primary = locale.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def template_path(kind: str, language: str) -> Path:
    """Where the wording of one kind of message in one language lives."""
    return _TEMPLATES / f"{kind}.{language}.txt"


def render(kind: str, language: str, values: Mapping[str, str]) -> Message:
    """Render one kind of message in one language; raises ValueError if a value is missing."""
    if kind not in KINDS:
        raise ValueError(f"unknown message kind: {kind}")
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language: {language}")

    merged = {**_defaults(), **values}
    placeholders = {name: merged[name] for name in PLACEHOLDER_NAMES if merged.get(name)}
    text_values = {
        name: value if name in placeholders else _clean(value, list(placeholders.values()))
        for name, value in merged.items()
    }
    template = _load(kind, language)

    paragraphs = _kept(template.paragraphs, text_values)
    footer = [(code, _kept(_load_footer(code), text_values)) for code in FOOTER_LANGUAGES]
    text_paragraphs = [_text(paragraph, text_values, kind) for paragraph in paragraphs]
    footer_text = [_text(p, text_values, kind) for _, footer_ps in footer for p in footer_ps]
    subject = _one_line(_substitute(template.subject, text_values, kind))[:MAX_SUBJECT_LENGTH]

    html_values = _html_values(text_values, placeholders)
    body_html = "\n".join(_html(p, html_values, kind) for p in paragraphs)
    footer_html = "\n".join(
        _html(p, html_values, kind, lang=code) for code, footer_ps in footer for p in footer_ps
    )
    document = _layout().substitute(
        language=language,
        subject=html.escape(subject),
        body=body_html,
        footer=footer_html,
    )

    return Message(
        subject=subject,
        text="\n\n".join(text_paragraphs) + "\n\n-- \n" + "\n\n".join(footer_text) + "\n",
        html=document,
        sms=_one_line(_substitute(template.sms, text_values, kind)),
    )


def _defaults() -> dict[str, str]:
    # Read per call, not at import, so the local run and the tests can set them freely.
    return {
        "portal_name": os.environ.get("PORTAL_NAME") or DEFAULT_PORTAL_NAME,
        "sign_in_url": os.environ.get("SIGN_IN_URL") or DEFAULT_SIGN_IN_URL,
        "password_min_length": str(IDENTITY.password_min_length),
    }


def _clean(value: str, placeholders: Collection[str]) -> str:
    """One printable line, without Cognito's placeholders, no longer than MAX_VALUE_LENGTH."""
    # Dropping non-printables removes control and bidi-override characters; split() removes
    # CR/LF, so a value cannot add a line such as a fake "Temporary password:" to the email.
    line = "".join(ch for ch in str(value) if ch.isprintable() or ch.isspace())
    # Repeat, because removing one placeholder can join the characters around it into another.
    while any(placeholder in line for placeholder in placeholders):
        for placeholder in placeholders:
            line = line.replace(placeholder, "")
    return _one_line(line)[:MAX_VALUE_LENGTH]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _kept(
    paragraphs: tuple[tuple[str, ...], ...], values: Mapping[str, str]
) -> list[tuple[str, ...]]:
    """Paragraphs without the lines that mention an optional value nobody supplied."""
    kept = []
    for paragraph in paragraphs:
        lines = tuple(line for line in paragraph if _has_values(line, values))
        if lines:
            kept.append(lines)
    return kept


def _has_values(line: str, values: Mapping[str, str]) -> bool:
    names = Template(line).get_identifiers()
    return all(values.get(name) for name in names if name in OPTIONAL_NAMES)


def _substitute(template: str, values: Mapping[str, str], kind: str) -> str:
    try:
        return Template(template).substitute(values)
    except KeyError as missing:
        raise ValueError(f"message {kind} needs a value for {missing}") from None


def _text(paragraph: tuple[str, ...], values: Mapping[str, str], kind: str) -> str:
    return "\n".join(_substitute(line, values, kind) for line in paragraph)


def _html_values(values: Mapping[str, str], placeholders: Mapping[str, str]) -> dict[str, str]:
    escaped = {name: html.escape(value) for name, value in values.items()}
    for name, placeholder in placeholders.items():
        escaped[name] = f'<strong style="{_CODE_STYLE}">{placeholder}</strong>'
    for name, value in values.items():
        if name.endswith("_url"):
            escaped[name] = f'<a href="{html.escape(value)}">{html.escape(value)}</a>'
    return escaped


def _html(paragraph: tuple[str, ...], values: Mapping[str, str], kind: str, lang: str = "") -> str:
    # The template's own words are escaped first, then the already-escaped values go in.
    lines = [_substitute(html.escape(line, quote=False), values, kind) for line in paragraph]
    lang_attribute = f' lang="{lang}"' if lang else ""
    return f"<p{lang_attribute}>" + "<br>\n".join(lines) + "</p>"


@cache
def _load(kind: str, language: str) -> _Template:
    source = template_path(kind, language).read_text(encoding="utf-8")
    head, _, body = source.partition("\n\n")
    headers = {}
    for line in head.splitlines():
        name, _, value = line.partition(":")
        headers[name.strip()] = value.strip()
    return _Template(subject=headers["subject"], sms=headers["sms"], paragraphs=_split(body))


@cache
def _load_footer(language: str) -> tuple[tuple[str, ...], ...]:
    return _split((_TEMPLATES / f"footer.{language}.txt").read_text(encoding="utf-8"))


@cache
def _layout() -> Template:
    return Template((_TEMPLATES / "layout.html").read_text(encoding="utf-8"))


def _split(body: str) -> tuple[tuple[str, ...], ...]:
    blocks = body.strip().split("\n\n")
    return tuple(tuple(ln.strip() for ln in block.splitlines() if ln.strip()) for block in blocks)
