"""The laptop-only pages: the outbox as HTML and JSON, and the merged OpenAPI document."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from local.cognito.outbox import Message, Outbox
from local.openapi import BEARER, merged_document, swagger_page
from local.outbox_page import outbox_response
from shared.routes import ROUTES


def message(to: str, text: str, minute: int, kind: str = "email") -> Message:
    return Message(
        kind=kind,
        to=to,
        subject="Invite <b>" if kind == "email" else None,
        text=text,
        html="<p>Hi & <script>alert(1)</script></p>" if kind == "email" else None,
        sent_at=datetime(2026, 12, 3, 9, minute, tzinfo=UTC),
        trigger_source="CustomMessage_AdminCreateUser",
        secret_kind="temporary_password",
        secret="x",
    )


@pytest.fixture
def outbox() -> Outbox:
    box = Outbox()
    box.record(message("a@school.example", "first <one>", 0))
    box.record(message("+447911123456", "code 123456", 1, kind="sms"))
    box.record(message("b@school.example", "second", 2))
    return box


def request(accept: str, query: str = "") -> Request:
    return Request(
        EnvironBuilder(
            path="/_local/outbox", query_string=query, headers={"Accept": accept}
        ).get_environ()
    )


def test_a_program_gets_json_newest_first(outbox: Outbox) -> None:
    reply = outbox_response(outbox, request("application/json"))

    assert reply.mimetype == "application/json"
    messages = reply.json["messages"]
    assert [item["to"] for item in messages] == [
        "b@school.example",
        "+447911123456",
        "a@school.example",
    ]
    assert messages[1] | {"sent_at": "-"} == {
        "kind": "sms",
        "to": "+447911123456",
        "subject": None,
        "text": "code 123456",
        "html": None,
        "sent_at": "-",
    }
    assert messages[0]["sent_at"] == "2026-12-03T09:02:00Z"


def test_curl_gets_json_and_the_to_filter_applies(outbox: Outbox) -> None:
    reply = outbox_response(outbox, request("*/*", "to=A@School.example"))

    assert [item["to"] for item in reply.json["messages"]] == ["a@school.example"]


def test_a_browser_gets_escaped_html(outbox: Outbox) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    reply = outbox_response(outbox, request(accept))

    page = reply.get_data(as_text=True)
    assert reply.mimetype == "text/html"
    assert "Outbox: 3 messages" in page
    assert page.index("b@school.example") < page.index("a@school.example")
    assert "first &lt;one&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert "sandbox" in page


def test_openapi_lists_every_route_of_the_route_table() -> None:
    document = merged_document("http://127.0.0.1:8000")

    for route in ROUTES:
        operation = document["paths"][route.path][route.method.lower()]
        assert (BEARER in str(operation.get("security"))) is not route.public, route.key
    assert document["servers"] == [{"url": "http://127.0.0.1:8000"}]
    assert "Centre Portal API" in swagger_page(document)
