"""The browser suite's portal and browser: the local run with the built site, headless Chromium.

The local run is started as a subprocess on a free port with a fresh state; Chromium is
Debian's (/usr/bin/chromium), driven by Playwright's Python client. Without Chromium or without
a build of web/ the suite is skipped with the reason (make test builds web/ first).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.local_run import LocalRun

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "web" / "dist" / "index.html"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "web" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Portal(LocalRun):
    """The local run with a fresh state (it serves the built site at /), and its outbox."""

    def __init__(self) -> None:
        super().__init__("--reset")

    def outbox(self, to: str) -> list[dict[str, Any]]:
        """Messages sent to this address or phone, newest first."""
        query = urllib.parse.urlencode({"to": to})
        request = urllib.request.Request(  # noqa: S310 - our own loopback URL
            f"{self.url}/_local/outbox?{query}", headers={"Accept": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
            messages: list[dict[str, Any]] = json.load(reply)["messages"]
        return messages

    def temporary_password(self, to: str) -> str:
        text = self.outbox(to)[0]["text"]
        found = re.search(r"(?:Temporary password|Cyfrinair dros dro): (\S+)", text)
        assert found, text
        return found.group(1)

    def code(self, to: str, after: int = 0) -> str:
        """The newest code sent to this address, waiting for a message beyond the first `after`."""
        deadline = time.monotonic() + 10
        while True:
            messages = self.outbox(to)
            if len(messages) > after:
                found = re.search(r"\b(\d{6,8})\b", messages[0]["text"])
                if found:
                    return found.group(1)
            if time.monotonic() > deadline:
                raise AssertionError(f"no code sent to {to}: {messages}")
            time.sleep(0.2)


@pytest.fixture(scope="session")
def portal() -> Iterator[Portal]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (CI does)")
    if not DIST.exists() or not AXE.exists():
        pytest.skip("web/ is not built: make web (make test builds it first)")
    with Portal() as running:
        yield running


@pytest.fixture(scope="session")
def browser(portal: Portal) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def new_page(browser: Any, portal: Portal) -> Any:
    """A fresh tab with its own storage; axe is injected past the page's CSP by Playwright."""
    context = browser.new_context(base_url=portal.url, bypass_csp=True, locale="en-GB")
    context.set_default_timeout(10_000)
    return context.new_page()


def axe_violations(page: Any) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{item['id']} ({item['impact']}): {item['help']} at "
        + ", ".join(str(node["target"]) for node in item["nodes"][:3])
        for item in results
        if item["impact"] in {"serious", "critical"}
    ]


def check(page: Any, shot: str | None = None) -> None:
    """No serious or critical accessibility violation here; a screenshot if named."""
    page.locator("#main-content h1").first.wait_for()
    found = axe_violations(page)
    assert not found, f"{page.url}: " + "; ".join(found)
    if shot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
