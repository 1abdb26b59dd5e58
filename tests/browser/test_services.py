"""Board staff publish, centres read: the internal services and the board screen in a browser.

Board staff set up a centre, its exams officer, two series, a results file, item level data,
A2C keys and resources through the board screen, uploading the files from the page to the
presigned URLs (moto's S3 on the local run). The centre's exams officer then finds each of them
from its tile on All Services and downloads the same bytes; a user sees results under embargo
with the release time in UK time, and tiles only for what they may open. The module has its own
local run, so its board staff first sign-in never depends on the order of the other modules.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Portal, check, new_page

BOARD = "board@exam-board.example"
CENTRE = "68002"
DOMAIN = "test-school.example"
FIRST_EO = f"owen.owens@{DOMAIN}"
EO = f"sian.rees@{DOMAIN}"
READER = f"rhys.price@{DOMAIN}"  # a user with entries_results
PLAIN = f"nia.hughes@{DOMAIN}"  # a user with only the resources every user holds
PASSWORD = "a long pass phrase for tests"
UK = ZoneInfo("Europe/London")
WELSH_DAYS = ["Llun", "Mawrth", "Mercher", "Iau", "Gwener", "Sadwrn", "Sul"]  # Monday first
WELSH_MONTHS = [
    *["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin"],
    *["Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"],
]

RESULTS = b"candidate,subject,grade\r\n0001,Mathematics,A\r\n0002,Cymraeg,B\r\n"
ITEM_LEVEL = b"candidate,question,mark\r\n0001,1a,4\r\n"
PAPER = b"%PDF-1.4 Mathematics paper 1\n"
KEYS = [("K1", "ABCD-1234-EFGH-5678", "Main site"), ("K2", "WXYZ-9876-LMNO", "Annexe")]

NOW = datetime.now(UTC)
# Released to exams officers (embargo passed) but not yet to users (results day ahead).
OPEN = ("2026-test-a", "Test series A", NOW - timedelta(days=1), (NOW + timedelta(days=40)).date())
# Embargoed for everyone.
LATER = (
    "2026-test-b",
    "Test series B",
    NOW + timedelta(days=70),
    (NOW + timedelta(days=72)).date(),
)


def uk_time(instant: datetime) -> str:
    """How the screens word an instant: weekday, date and 24-hour time in UK time."""
    local = instant.astimezone(UK)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M} (UK time)"


def users_release(day: date) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=UK)


@pytest.fixture(scope="module")
def site() -> Iterator[Portal]:
    running = Portal()
    with running:
        yield running


@pytest.fixture(scope="module")
def board_page(browser: Any, site: Portal) -> Iterator[Any]:
    page = new_page(browser, site)
    first_sign_in(page, site, BOARD)
    expect(page.get_by_role("heading", name="Board administration")).to_be_visible()
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def eo_page(browser: Any, site: Portal) -> Iterator[Any]:
    page = new_page(browser, site)
    yield page
    page.context.close()


def first_sign_in(page: Any, site: Portal, email: str) -> None:
    """Temporary password from the outbox, a new password, an authenticator app."""
    page.goto("/")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Password").fill(site.temporary_password(email))
    page.get_by_role("button", name="Next").click()
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm new password").fill(PASSWORD)
    page.get_by_role("button", name="Update").click()
    page.get_by_role("button", name="Continue").click()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("button", name=re.compile("^Account menu for"))).to_be_visible()


def section(page: Any, title: str) -> Any:
    return page.locator("section").filter(has=page.get_by_role("heading", name=title, exact=True))


def banner(part: Any) -> Any:
    return part.locator(".govuk-notification-banner")


def upload(part: Any, name: str, mime: str, data: bytes) -> None:
    part.get_by_label("File", exact=True).set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )


def downloaded(page: Any, click: Any) -> bytes:
    with page.expect_download() as info:
        click()
    return Path(info.value.path()).read_bytes()


def test_board_staff_set_up_a_centre_and_replace_its_exams_officer(board_page: Any) -> None:
    page = board_page
    check(page, "board-en")

    # Create a centre with its email domain
    create = section(page, "Create a centre")
    create.get_by_label("Centre number").fill(CENTRE)
    create.get_by_label("Centre name").fill("Ysgol Prawf / Test School")
    create.get_by_label("Email domains").fill(DOMAIN)
    create.get_by_role("button", name="Create centre").click()
    expect(banner(create)).to_contain_text(f"Centre {CENTRE} has been created.")

    # The same number again is refused on the field
    create.get_by_role("button", name="Create centre").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()

    # Open it, invite an exams officer, then replace them
    find = section(page, "Open a centre")
    find.get_by_label("Centre number").fill(CENTRE)
    find.get_by_role("button", name="Open").click()
    expect(
        page.get_by_role("heading", name=f"Ysgol Prawf / Test School ({CENTRE})")
    ).to_be_visible()
    detail = page.locator("#centre-detail")
    detail.get_by_label("Email domains").fill(f"{DOMAIN}, annexe.{DOMAIN}")
    detail.get_by_role("button", name="Save email domains").click()
    expect(banner(detail)).to_contain_text("The email domains have been saved.")

    def invite(first: str, last: str, email: str) -> None:
        detail.get_by_label("First name").fill(first)
        detail.get_by_label("Last name").fill(last)
        detail.get_by_label("Email address").fill(email)
        detail.get_by_role("button", name="Invite exams officer").click()

    invite("Owen", "Owens", FIRST_EO)
    expect(banner(detail)).to_contain_text("The exams officer has been invited.")
    invite("Siân", "Rees", EO)
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # one at a time
    page.once("dialog", lambda dialog: dialog.accept())
    detail.get_by_role("button", name="Remove exams officer").click()
    expect(banner(detail)).to_contain_text("The exams officer has been removed.")
    invite("Siân", "Rees", EO)
    expect(banner(detail)).to_contain_text("The exams officer has been invited.")
    check(page)


def test_board_staff_publish_series_files_keys_and_resources(board_page: Any) -> None:
    page = board_page
    series = section(page, "Exam series")
    for series_id, name, embargo, day in (OPEN, LATER):
        series.get_by_label("Series", exact=True).fill(series_id)
        series.get_by_label("Series name").fill(name)
        series.get_by_label("Embargo from").fill(embargo.isoformat().replace("+00:00", "Z"))
        series.get_by_label("Results day").fill(day.isoformat())
        series.get_by_role("button", name="Save series").click()
        expect(banner(series)).to_contain_text("The series has been saved.")
        banner(series).evaluate("node => node.remove()")

    # The results file and item level data, uploaded from the page to the presigned URL
    results = section(page, "Upload a centre's results file")
    results.get_by_label("Centre number").fill(CENTRE)
    results.get_by_label("Series", exact=True).fill(OPEN[0])
    upload(results, f"{CENTRE}-results.csv", "text/csv", RESULTS)
    results.get_by_role("button", name="Upload").click()
    expect(banner(results)).to_contain_text(
        f"{CENTRE}-results.csv ({len(RESULTS)} bytes) has been uploaded."
    )
    results.get_by_label("Item level data").check()
    upload(results, "item-level.csv", "text/csv", ITEM_LEVEL)
    results.get_by_role("button", name="Upload").click()
    expect(banner(results)).to_contain_text(f"item-level.csv ({len(ITEM_LEVEL)} bytes)")

    # Without a file, the link is shown for an upload by other means
    results.get_by_label("Results file").check()
    results.get_by_label("Series", exact=True).fill(LATER[0])
    results.get_by_role("button", name="Upload").click()
    expect(banner(results)).to_contain_text("Upload link ready")

    # A2C keys, one a line; a line without all three parts is refused before sending
    keys = section(page, "Publish a centre's A2C keys")
    keys.get_by_label("Centre number").fill(CENTRE)
    keys.get_by_label("A2C keys").fill("K1, only-two-parts")
    keys.get_by_role("button", name="Publish keys").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("One key a line")
    keys.get_by_label("A2C keys").fill("\n".join(", ".join(key) for key in KEYS))
    keys.get_by_role("button", name="Publish keys").click()
    expect(banner(keys)).to_contain_text(f"2 A2C keys published for centre {CENTRE}.")

    # A past paper, and grade boundaries for each series, with their files
    resource = section(page, "Add a resource")
    for subject, kind, title, series_id, body in (
        ("Mathematics", "Past paper", "Mathematics Paper 1", OPEN[0], PAPER),
        ("All subjects", "Grade boundaries", "Grade boundaries A", OPEN[0], b"A,70\n"),
        ("All subjects", "Grade boundaries", "Grade boundaries B", LATER[0], b"A,71\n"),
    ):
        resource.get_by_label("Subject").fill(subject)
        resource.get_by_label(kind, exact=True).check()
        resource.get_by_label("Title").fill(title)
        resource.get_by_label("Series", exact=True).fill(series_id)
        upload(resource, f"{title}.pdf", "application/pdf", body)
        resource.get_by_role("button", name="Add resource").click()
        expect(banner(resource)).to_contain_text(
            f"{title}.pdf ({len(body)} bytes) has been uploaded."
        )
        banner(resource).evaluate("node => node.remove()")
    check(page)


def test_upload_from_the_page_is_allowed_by_its_content_security_policy(
    board_page: Any, browser: Any, site: Portal
) -> None:
    # Given board staff in a tab that enforces the page's CSP (the others bypass it for axe)
    tokens = board_page.evaluate("sessionStorage.getItem('portal.tokens')")
    context = browser.new_context(base_url=site.url, locale="en-GB")
    context.add_init_script(f"sessionStorage.setItem('portal.tokens', {json.dumps(tokens)})")
    page = context.new_page()
    try:
        page.goto("/board")
        # When they upload the results file again, the PUT to the files store is not blocked
        results = section(page, "Upload a centre's results file")
        results.get_by_label("Centre number").fill(CENTRE)
        results.get_by_label("Series", exact=True).fill(OPEN[0])
        upload(results, f"{CENTRE}-results.csv", "text/csv", RESULTS)
        results.get_by_role("button", name="Upload").click()
        expect(banner(results)).to_contain_text(f"({len(RESULTS)} bytes) has been uploaded.")
    finally:
        context.close()


def test_exams_officer_downloads_results_under_embargo(eo_page: Any, site: Portal) -> None:
    page = eo_page
    first_sign_in(page, site, EO)
    expect(page.get_by_role("heading", name="All Services")).to_be_visible()
    for tile in ["A2C Keys", "Download Results File", "Grade Boundaries", "Item Level Data"]:
        expect(page.get_by_role("link", name=tile)).to_be_visible()

    page.get_by_role("link", name="Download Results File").click()
    expect(page.get_by_role("heading", name="Download Results File")).to_be_visible()
    rows = page.locator("tbody tr")
    open_row = rows.filter(has_text=OPEN[1])
    later_row = rows.filter(has_text=LATER[1])
    expect(open_row).to_contain_text("Available")
    expect(later_row).to_contain_text("Embargoed")
    expect(later_row).to_contain_text(f"Available from {uk_time(LATER[2])}")
    expect(later_row.get_by_role("button")).to_have_count(0)
    check(page, "results-en")
    assert downloaded(page, open_row.get_by_role("button").click) == RESULTS

    page.get_by_role("link", name="Back to All Services").click()
    page.get_by_role("link", name="Item Level Data").click()
    expect(page.get_by_role("heading", name="Item Level Data")).to_be_visible()
    check(page)
    button = rows.filter(has_text=OPEN[1]).get_by_role("button", name="Download item level data")
    assert downloaded(page, button.click) == ITEM_LEVEL


def test_exams_officer_sees_and_copies_the_a2c_keys(eo_page: Any) -> None:
    page = eo_page
    page.goto("/open?service=a2c_keys")
    expect(page.get_by_role("heading", name="A2C Keys")).to_be_visible()
    expect(page.get_by_text(KEYS[0][1])).to_have_count(0)  # shown only when asked
    page.get_by_role("button", name="Show A2C keys").click()
    expect(page.locator("table")).to_be_focused()  # the focus follows to the keys
    for key_id, key, label in KEYS:
        row = page.locator("tbody tr").filter(has_text=label)
        expect(row).to_contain_text(key_id)
        expect(row.locator("code")).to_have_text(key)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy key Annexe").click()
    expect(page.get_by_role("status")).to_have_text("Key Annexe copied.")
    assert page.evaluate("navigator.clipboard.readText()") == KEYS[1][1]
    check(page, "a2c-keys-en")


def test_exams_officer_finds_grade_boundaries_and_past_papers(eo_page: Any) -> None:
    page = eo_page
    page.goto("/services")
    page.get_by_role("link", name="Grade Boundaries").click()
    expect(page.get_by_role("heading", name="Grade Boundaries")).to_be_visible()
    expect(page.get_by_role("link", name="Grade boundaries A")).to_be_visible()
    expect(page.get_by_text("Grade boundaries B")).to_have_count(0)  # series B is embargoed
    check(page)
    assert downloaded(page, page.get_by_role("link", name="Grade boundaries A").click) == b"A,70\n"

    page.goto("/services")
    page.get_by_role("link", name="Past Papers & Marking Schemes").click()
    expect(page.get_by_role("heading", name="Past Papers & Marking Schemes")).to_be_visible()
    paper = page.get_by_role("link", name="Mathematics Paper 1")
    expect(paper).to_be_visible()
    expect(page.get_by_role("link", name="Grade boundaries A")).to_have_count(0)
    check(page, "resources-en")
    assert downloaded(page, paper.click) == PAPER

    # Filtering by kind: no marking schemes have been published
    page.get_by_label("Kind of resource").select_option("marking_scheme")
    page.get_by_role("button", name="Show resources").click()
    expect(page.get_by_text("No resources match.")).to_be_visible()
    assert "kind=marking_scheme" in page.url


def test_view_scripts_launch_page_carries_the_candidate_permission_reminder(eo_page: Any) -> None:
    page = eo_page
    page.goto("/services")
    page.get_by_role("link", name="View Scripts").click()
    expect(page.get_by_role("heading", name="View Scripts")).to_be_visible()
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "only with that candidate's permission"
    )
    expect(page.get_by_role("link", name="Continue to the service")).to_have_attribute(
        "href", re.compile("^https://")
    )
    check(page)
    page.goto("/open?service=iamis")
    expect(page.get_by_text("Input and submit marks")).to_be_visible()
    expect(page.locator(".govuk-warning-text")).to_have_count(0)


def test_results_screen_in_welsh(eo_page: Any) -> None:
    page = eo_page
    page.goto("/open?service=results")
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.get_by_role("heading", name="Lawrlwytho Ffeil Canlyniadau")).to_be_visible()
    later = LATER[2].astimezone(UK)
    weekday = "Dydd " + WELSH_DAYS[later.weekday()]
    month = WELSH_MONTHS[later.month - 1]
    # The time first: after "o" a weekday would need its soft mutation, a time needs none.
    expected = f"Ar gael o {later:%H:%M} (amser y DU), {weekday} {later.day} {month} {later.year}"
    expect(page.locator("tbody tr").filter(has_text=LATER[1])).to_contain_text(expected)
    check(page, "results-cy")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Download Results File")).to_be_visible()


def invite_user(page: Any, site: Portal, email: str, permissions: list[str]) -> None:
    """The exams officer invites a user through the API with the page's own token."""
    tokens = json.loads(page.evaluate("sessionStorage.getItem('portal.tokens')"))
    body = {
        "email": email,
        "first_name": email.split(".", maxsplit=1)[0].title(),
        "last_name": "Tester",
        "account_type": "user",
        "permissions": permissions,
    }
    request = urllib.request.Request(  # noqa: S310 - our own loopback URL
        f"{site.url}/centres/{CENTRE}/users",
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {tokens['access_token']}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
        assert reply.status == 201


def test_a_user_sees_results_from_8am_on_results_day(
    eo_page: Any, browser: Any, site: Portal
) -> None:
    invite_user(eo_page, site, READER, ["entries_results"])
    page = new_page(browser, site)
    try:
        first_sign_in(page, site, READER)
        expect(page.get_by_role("link", name="Download Results File")).to_be_visible()
        expect(page.get_by_role("link", name="A2C Keys")).to_have_count(0)
        page.get_by_role("link", name="Download Results File").click()
        row = page.locator("tbody tr").filter(has_text=OPEN[1])
        expect(row).to_contain_text("Embargoed")
        expect(row).to_contain_text(f"Available from {uk_time(users_release(OPEN[3]))}")
        expect(row.get_by_role("button")).to_have_count(0)
        check(page)
        # Grade boundaries follow the same release: none yet for a user
        page.goto("/open?service=grade_boundaries")
        expect(page.get_by_text("No grade boundaries are available to you yet.")).to_be_visible()
    finally:
        page.context.close()


def test_a_user_without_permissions_gets_no_such_tiles(
    eo_page: Any, browser: Any, site: Portal
) -> None:
    invite_user(eo_page, site, PLAIN, [])
    page = new_page(browser, site)
    try:
        first_sign_in(page, site, PLAIN)
        expect(page.get_by_role("link", name="Past Papers & Marking Schemes")).to_be_visible()
        expect(page.get_by_role("link", name="Grade Boundaries")).to_be_visible()
        for tile in ["A2C Keys", "Download Results File", "Item Level Data", "IAMIS"]:
            expect(page.get_by_role("link", name=tile)).to_have_count(0)
        check(page)
        # Typing the address of a service they may not open does not show it either
        page.goto("/open?service=a2c_keys")
        expect(page.get_by_text("You do not have access")).to_be_visible()
        expect(page.get_by_role("button", name="Show A2C keys")).to_have_count(0)
    finally:
        page.context.close()
