"""The portal in a real browser: the user guide's journeys on the local run, in order.

One exams officer signs in for the first time at the start and stays signed in in one tab;
the later tests invite, manage and delete members from that tab. Every screen visited is
checked with axe-core (no serious or critical violation) and the main ones are photographed
in English and Welsh into web/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Portal, check, new_page

EO = "exams.officer@example-school.example"
EO_PASSWORD = "correct horse battery staple"
DOMAIN = "example-school.example"


@pytest.fixture(scope="module")
def eo_page(browser: Any, portal: Portal) -> Iterator[Any]:
    page = new_page(browser, portal)
    yield page
    page.context.close()


def test_first_sign_in_with_an_authenticator_app(eo_page: Any, portal: Portal) -> None:
    # Given the exams officer's invite in the outbox
    page = eo_page
    temporary = portal.temporary_password(EO)

    # When they sign in: email, then the temporary password (with the paste tip)
    page.goto("/")
    check(page, "sign-in-en")
    page.get_by_label("Email address").fill(EO)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("make sure there are no spaces")).to_be_visible()
    check(page, "password-en")
    page.get_by_label("Password").fill(temporary)
    page.get_by_role("button", name="Next").click()

    # Then a new password of 10+ characters, with a live hint
    expect(page.get_by_role("heading", name="Create a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill("short")
    expect(page.get_by_text("5 more needed")).to_be_visible()
    check(page, "new-password-en")
    page.get_by_label("New password", exact=True).fill(EO_PASSWORD)
    expect(page.get_by_text("Long enough")).to_be_visible()
    page.get_by_label("Confirm new password").fill(EO_PASSWORD)
    page.get_by_role("button", name="Update").click()

    # Then MFA set-up: the authenticator app, marked most secure, with QR code and secret
    expect(page.get_by_label("Authenticator App (most secure)")).to_be_checked()
    check(page, "mfa-setup-en")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    check(page, "authenticator-en")

    # A wrong code is refused in plain words, and the same step can be tried again
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("That code is not right")
    check(page)
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Verify").click()

    # Then All Services, in the guide's groups, for exactly what this member may open
    expect(page.get_by_role("heading", name="All Services")).to_be_visible()
    for group in ["Centre Administration", "Results", "Reports", "Resources", "External services"]:
        expect(page.get_by_role("heading", name=group, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="A2C Keys")).to_be_visible()
    check(page, "all-services-en")
    assert page.evaluate("Object.keys(localStorage).every(k => !k.includes('token'))")
    assert page.evaluate("sessionStorage.getItem('portal.tokens') !== null")


def test_a_wrong_password_is_refused_in_plain_words(browser: Any, portal: Portal) -> None:
    page = new_page(browser, portal)
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(EO)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The email address or password is not right"
    )
    check(page)
    page.context.close()


def invite(page: Any, first: str, last: str, email: str, grant: list[str]) -> None:
    page.get_by_role("link", name="Manage Users").first.click()
    page.get_by_role("button", name="Invite User").click()
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Email address").fill(email)
    for service in grant:
        page.get_by_label(service, exact=True).check()
    page.get_by_role("button", name="Send invite").click()


def test_invite_a_member_and_see_them_in_the_table(eo_page: Any, portal: Portal) -> None:
    page = eo_page
    page.get_by_role("link", name="Manage Users").first.click()
    check(page, "manage-users-en")
    page.get_by_role("button", name="Invite User").click()
    expect(page.get_by_text("Personal email addresses cannot be used")).to_be_visible()
    expect(page.get_by_text("up to 3 admin accounts")).to_be_visible()
    expect(page.get_by_text("JCQ Centre Admin Portal")).to_be_visible()
    check(page, "invite-user-en")

    invite(page, "Jane", "Jones", f"jane.jones@{DOMAIN}", ["IAMIS"])

    row = page.get_by_role("row").filter(has_text=f"jane.jones@{DOMAIN}")
    expect(row).to_contain_text("User")
    expect(row).to_contain_text("IAMIS")
    expect(row).to_contain_text("Invited")
    assert portal.outbox(f"jane.jones@{DOMAIN}")
    check(page)


def test_a_personal_email_is_refused_on_the_invite_form(eo_page: Any) -> None:
    page = eo_page
    invite(page, "Pat", "Personal", "pat@gmail.com", [])
    expect(page.locator(".govuk-error-summary")).to_contain_text("Personal email addresses")
    check(page)


def test_manage_access_of_a_member(eo_page: Any) -> None:
    page = eo_page
    page.get_by_role("link", name="Manage Users").first.click()
    page.get_by_role("link", name="Manage Jane Jones").click()
    check(page, "member-en")
    page.get_by_label("View Scripts", exact=True).check()
    page.get_by_role("button", name="Save access").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been updated")
    page.get_by_role("link", name="Back").click()
    row = page.get_by_role("row").filter(has_text=f"jane.jones@{DOMAIN}")
    expect(row).to_contain_text("View Scripts")


def test_delete_a_member_after_confirming(eo_page: Any) -> None:
    page = eo_page
    invite(page, "Del", "Eted", f"del.eted@{DOMAIN}", [])
    page.get_by_role("link", name="Manage Del Eted").click()
    page.get_by_role("button", name="Delete User").click()
    expect(
        page.get_by_role("heading", name="Are you sure you want to delete Del Eted?")
    ).to_be_visible()
    check(page, "delete-user-en")
    page.get_by_role("button", name="Yes, delete this user").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Del Eted has been deleted")
    expect(page.get_by_role("row").filter(has_text=f"del.eted@{DOMAIN}")).to_have_count(0)
    page.get_by_role("link", name="View the centre's audit log").click()
    expect(page.get_by_role("cell", name="Deleted").first).to_be_visible()
    check(page, "audit-log-en")


def test_profile_view_and_edit(eo_page: Any) -> None:
    page = eo_page
    page.get_by_role("link", name="Profile settings").first.click()
    expect(page.get_by_text("ask your exams officer", exact=False).first).to_be_visible()
    check(page, "profile-en")
    page.get_by_role("button", name="Edit").click()
    page.get_by_label("Job role").fill("Examinations Officer")
    check(page)
    page.get_by_role("button", name="Confirm changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("profile has been updated")
    expect(page.locator(".govuk-summary-list")).to_contain_text(["Examinations Officer"])


def test_switch_to_welsh_and_the_page_is_in_welsh(eo_page: Any) -> None:
    page = eo_page
    page.get_by_role("link", name="All Services").first.click()
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.get_by_role("heading", name="Pob Gwasanaeth")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "cy"
    expect(page.get_by_role("heading", name="Gweinyddu'r Ganolfan")).to_be_visible()
    check(page, "all-services-cy")
    page.get_by_role("link", name="Rheoli Defnyddwyr").first.click()
    expect(page.get_by_role("heading", name="Rheoli Defnyddwyr")).to_be_visible()
    check(page, "manage-users-cy")
    page.get_by_role("button", name="Gwahodd Defnyddiwr").click()
    check(page, "invite-user-cy")
    page.get_by_role("link", name="Gosodiadau proffil").first.click()
    check(page, "profile-cy")

    # Remembered across a reload, then switched back
    page.reload()
    expect(page.get_by_role("heading", name="Eich proffil")).to_be_visible()
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()


def test_sign_in_page_in_welsh(browser: Any, portal: Portal) -> None:
    page = new_page(browser, portal)
    page.goto("/sign-in")
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.get_by_role("heading", name="Mewngofnodi i Borth y Ganolfan")).to_be_visible()
    check(page, "sign-in-cy")
    page.get_by_role("link", name="Wedi anghofio eich cyfrinair?").click()
    check(page, "forgot-password-cy")
    page.context.close()


def test_forgot_password_with_the_code_from_the_outbox(browser: Any, portal: Portal) -> None:
    page = new_page(browser, portal)
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgotten your password?").click()
    check(page, "forgot-password-en")
    sent_before = len(portal.outbox(EO))
    page.get_by_label("Email address").fill(EO)
    page.get_by_role("button", name="Send code").click()
    page.get_by_text("Not receiving a code?").click()
    expect(page.get_by_text("portal-no-reply@example.org")).to_be_visible()
    expect(page.get_by_text("spam or junk")).to_be_visible()
    check(page, "reset-password-en")

    page.get_by_label("Code from the email").fill(portal.code(EO, after=sent_before))
    page.get_by_label("New password", exact=True).fill(EO_PASSWORD + " two")
    page.get_by_label("Confirm new password").fill(EO_PASSWORD + " two")
    page.get_by_role("button", name="Update").click()

    expect(page.get_by_text("Your password has been changed")).to_be_visible()
    page.get_by_label("Email address").fill(EO)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Password").fill(EO_PASSWORD + " two")
    page.get_by_role("button", name="Next").click()
    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()
    check(page)
    page.context.close()


def tab_to(page: Any, target: Any) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(30):
        if target.evaluate("node => node === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("Tab never reached the element")


def test_keyboard_only_invite_and_first_sign_in(eo_page: Any, browser: Any, portal: Portal) -> None:
    # Given the exams officer on the invite form, using only the keyboard
    page = eo_page
    page.get_by_role("link", name="Manage Users").first.click()
    tab_to(page, page.get_by_role("button", name="Invite User"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("First name"))
    page.keyboard.type("Kim")
    page.keyboard.press("Tab")
    page.keyboard.type("Keys")
    page.keyboard.press("Tab")
    page.keyboard.type(f"kim.keys@{DOMAIN}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("row").filter(has_text=f"kim.keys@{DOMAIN}")).to_contain_text("Invited")

    # When Kim signs in with the keyboard alone, choosing email codes
    kim = new_page(browser, portal)
    kim.goto("/sign-in")
    tab_to(kim, kim.get_by_label("Email address"))
    kim.keyboard.type(f"kim.keys@{DOMAIN}")
    kim.keyboard.press("Enter")
    kim.keyboard.type(portal.temporary_password(f"kim.keys@{DOMAIN}"))
    kim.keyboard.press("Enter")
    expect(kim.get_by_role("heading", name="Create a new password")).to_be_visible()
    kim.keyboard.type("a long enough password")
    kim.keyboard.press("Tab")
    kim.keyboard.type("a long enough password")
    kim.keyboard.press("Enter")
    expect(kim.get_by_label("Authenticator App (most secure)")).to_be_focused()
    kim.keyboard.press("ArrowDown")
    kim.keyboard.press("ArrowDown")
    expect(kim.get_by_label("Email", exact=True)).to_be_checked()
    sent_before = len(portal.outbox(f"kim.keys@{DOMAIN}"))
    kim.keyboard.press("Enter")
    expect(kim.get_by_role("heading", name="Check your messages")).to_be_visible()
    check(kim, "email-code-en")
    kim.keyboard.type(portal.code(f"kim.keys@{DOMAIN}", after=sent_before))
    kim.keyboard.press("Enter")

    # Then Kim sees only what a user may open, and Manage Users is not offered
    expect(kim.get_by_role("heading", name="All Services")).to_be_visible()
    expect(kim.get_by_role("link", name="A2C Keys")).to_have_count(0)
    expect(kim.get_by_role("link", name="Manage Users")).to_have_count(0)
    check(kim, "all-services-user-en")

    # And signing out forgets the tokens
    kim.get_by_role("button", name="Account menu").click()
    kim.get_by_role("link", name="Sign out").click()
    expect(kim.get_by_role("heading", name="Sign in to Centre Portal")).to_be_visible()
    assert kim.evaluate("sessionStorage.getItem('portal.tokens')") is None
    kim.context.close()
