"""The outbox at /_local/outbox: every email and SMS sent, newest first, as HTML or JSON."""

from __future__ import annotations

import json
from html import escape

from werkzeug.wrappers import Request, Response

from local.cognito.outbox import Message, Outbox

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 60rem; }
article { border: 1px solid #ccc; border-radius: 6px; padding: 0.5rem 1rem; margin: 1rem 0; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: 0.5rem; }
iframe { width: 100%; height: 24rem; border: 1px solid #ddd; }
.meta { color: #555; font-size: 0.9rem; }
"""


def wants_json(request: Request) -> bool:
    """JSON for a client that accepts it at least as much as HTML (curl's */* included)."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best != "text/html"


def _article(message: Message) -> str:
    data = message.as_dict()
    title = escape(data["subject"] or "SMS")
    html_part = ""
    if data["html"]:
        # The email's own HTML, shown in a sandbox so its markup cannot touch this page.
        html_part = (
            f'<details><summary>HTML</summary><iframe sandbox srcdoc="{escape(data["html"])}">'
            "</iframe></details>"
        )
    return (
        f"<article><h2>{title}</h2>"
        f'<p class="meta">{escape(data["kind"])} to <strong>{escape(data["to"])}</strong>'
        f" at {escape(data['sent_at'])}</p>"
        f"<pre>{escape(data['text'])}</pre>{html_part}</article>"
    )


def outbox_html(outbox: Outbox, to: str | None = None) -> str:
    """A page listing the messages, newest first."""
    messages = outbox.messages(to)
    heading = f"Outbox: {len(messages)} message{'s' if len(messages) != 1 else ''}"
    if to:
        heading += f" to {escape(to)}"
    items = "".join(_article(message) for message in messages) or "<p>Nothing sent yet.</p>"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Centre Portal outbox</title><style>{_STYLE}</style></head>"
        f"<body><h1>{heading}</h1>"
        '<p class="meta">Every email and SMS the portal sent on this laptop, newest first. '
        "Filter with <code>?to=</code>; JSON with <code>Accept: application/json</code>.</p>"
        f"{items}</body></html>"
    )


def outbox_response(outbox: Outbox, request: Request) -> Response:
    """HTML for a browser, JSON for a program."""
    to = request.args.get("to") or None
    headers = {"Cache-Control": "no-store", "Vary": "Accept"}
    if wants_json(request):
        body = json.dumps(outbox.as_json(to))
        return Response(body, mimetype="application/json", headers=headers)
    return Response(outbox_html(outbox, to), mimetype="text/html", headers=headers)
