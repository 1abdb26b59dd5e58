"""The account journeys in a real browser: MFA by text message and email, changing the password
and the MFA method from Profile, resending an invite, resetting a sign-in, an expired invite,
an admin's view and the three-admin cap, and signing out.

The module has its own local run, so that its exams officer signs in for the first time here
whatever test_portal.py did with the shared one. Every screen not already checked by
test_portal.py is checked with axe-core (no serious or critical violation).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pyotp
import pytest
from playwright.sync_api import expect

from shared.adapters.store import member_key
from shared.settings import DEFAULT_REGION
from tests.browser.conftest import Portal, check, new_page

DOMAIN = "example-school.example"
EO = f"exams.officer@{DOMAIN}"
EO_PASSWORD = "exams officer passphrase"
SAM, SAM_PHONE = f"sam.sms@{DOMAIN}", "+447911123111"
ERIN, ERIN_PHONE = f"erin.email@{DOMAIN}", "+447911123222"
ADA = f"ada.admin@{DOMAIN}"
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def site(browser: Any) -> Iterator[Portal]:
    """A local run of this module's own, fresh and seeded."""
    with Portal() as running:
        yield running


@pytest.fixture(scope="module")
def eo(browser: Any, site: Portal) -> Iterator[Any]:
    """The exams officer, signed in with an authenticator app, in a tab kept for the module."""
    page = new_page(browser, site)
    secret = first_sign_in(page, site, EO, EO_PASSWORD, "totp")
    assert secret
    yield page
    page.context.close()


def error_summary(page: Any) -> Any:
    return page.locator(".govuk-error-summary")


def success_banner(page: Any) -> Any:
    return page.locator(".govuk-notification-banner")


def enter_password(page: Any, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Next").click()


def first_sign_in(page: Any, portal: Portal, email: str, password: str, method: str) -> str:
    """From the invite to All Services with `totp` or `email`; the authenticator's secret."""
    enter_password(page, email, portal.temporary_password(email))
    expect(page.get_by_role("heading", name="Create a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Confirm new password").fill(password)
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_role("heading", name="Set up multi-factor authentication")).to_be_visible()
    label = "Authenticator App (most secure)" if method == "totp" else "Email"
    page.get_by_label(label, exact=True).check()
    secret = ""
    if method == "totp":
        page.get_by_role("button", name="Continue").click()
        secret = page.locator("#totp-secret").inner_text().strip()
        page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    else:
        sent = len(portal.outbox(email))
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Code").fill(portal.code(email, after=sent))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="All Services")).to_be_visible()
    return secret


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Account menu").click()
    page.get_by_role("link", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Centre Portal")).to_be_visible()


def invite(page: Any, first: str, last: str, email: str, admin: bool = False) -> None:
    page.get_by_role("link", name="Manage Users").first.click()
    page.get_by_role("button", name="Invite User").click()
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Email address").fill(email)
    if admin:
        page.get_by_label("Admin", exact=True).check()
    page.get_by_role("button", name="Send invite").click()


def invited(page: Any, first: str, last: str, email: str, admin: bool = False) -> None:
    invite(page, first, last, email, admin)
    row = page.get_by_role("row").filter(has_text=email)
    expect(row).to_contain_text("Admin" if admin else "User")
    expect(row).to_contain_text("Invited")


def open_member(page: Any, name: str) -> None:
    page.get_by_role("link", name="Manage Users").first.click()
    page.get_by_role("link", name=f"Manage {name}").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def open_profile(page: Any) -> None:
    page.get_by_role("link", name="Profile settings").first.click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()


def profile_value(page: Any, key: str) -> Any:
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=key)
    )
    return row.locator(".govuk-summary-list__value")


def test_first_sign_in_with_sms_and_a_later_sign_in_by_text_message(
    eo: Any, browser: Any, site: Portal
) -> None:
    # Given Sam, invited by the exams officer
    invited(eo, "Sam", "Sms", SAM)

    # When Sam chooses text messages at the first sign-in
    page = new_page(browser, site)
    enter_password(page, SAM, site.temporary_password(SAM))
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm new password").fill(PASSWORD)
    page.get_by_role("button", name="Update").click()
    page.get_by_label("Text message (SMS)", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    # Then the phone number is asked for with its country code, and a bad one is explained
    expect(page.get_by_role("heading", name="Set up text message codes")).to_be_visible()
    expect(page.get_by_label("Country code")).to_have_value("+44")
    check(page)
    page.get_by_label("Mobile phone number").fill("12")
    page.get_by_role("button", name="Send a verification code").click()
    expect(error_summary(page)).to_contain_text("Enter the country code and a phone number")
    check(page)
    # A drama number (Ofcom's 07700 900 range) looks right but the API refuses it
    page.get_by_label("Mobile phone number").fill("07700 900123")
    page.get_by_role("button", name="Send a verification code").click()
    expect(page.locator("#phone_number-error")).to_contain_text("Enter the country code")
    check(page)
    sent = len(site.outbox(SAM_PHONE))
    page.get_by_label("Mobile phone number").fill("07911 123111")
    page.get_by_role("button", name="Send a verification code").click()

    # And the code sent by text message finishes the set-up
    expect(page.get_by_role("heading", name="Check your messages")).to_be_visible()
    expect(page.get_by_text("We have sent a code by text message to")).to_be_visible()
    check(page)
    page.get_by_label("Code").fill(site.code(SAM_PHONE, after=sent))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="All Services")).to_be_visible()
    open_profile(page)
    expect(profile_value(page, "Multi-factor authentication method")).to_have_text(
        "Text message (SMS)"
    )
    expect(profile_value(page, "Phone number")).to_have_text(SAM_PHONE)

    # When Sam signs out and signs in again, a new code comes by text message
    sign_out(page)
    sent = len(site.outbox(SAM_PHONE))
    enter_password(page, SAM, PASSWORD)
    expect(page.get_by_role("heading", name="Check your messages")).to_be_visible()
    expect(page.get_by_text("We have sent a code by text message to")).to_be_visible()
    sent_to = page.get_by_text("We have sent a code by text message to")
    expect(sent_to).to_contain_text("3111")
    expect(sent_to).not_to_contain_text(SAM_PHONE)
    page.get_by_label("Code").fill(site.code(SAM_PHONE, after=sent))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="All Services")).to_be_visible()
    page.context.close()


def test_a_later_sign_in_by_email_code(eo: Any, browser: Any, site: Portal) -> None:
    # Given Erin, who chose email codes at the first sign-in
    invited(eo, "Erin", "Email", ERIN)
    page = new_page(browser, site)
    first_sign_in(page, site, ERIN, PASSWORD, "email")
    sign_out(page)

    # When Erin signs in again
    sent = len(site.outbox(ERIN))
    enter_password(page, ERIN, PASSWORD)

    # Then a code is sent by email; a wrong one is refused in plain words, the right one works
    expect(page.get_by_role("heading", name="Check your messages")).to_be_visible()
    expect(page.get_by_text("We have sent a code by email to")).to_be_visible()
    code = site.code(ERIN, after=sent)
    page.get_by_label("Code").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Verify").click()
    expect(error_summary(page)).to_contain_text("That code is not right")
    check(page)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="All Services")).to_be_visible()
    page.context.close()


def test_change_password_from_profile(browser: Any, site: Portal) -> None:
    # Given Erin signed in, on Profile
    page = new_page(browser, site)
    sent = len(site.outbox(ERIN))
    enter_password(page, ERIN, PASSWORD)
    page.get_by_label("Code").fill(site.code(ERIN, after=sent))
    page.get_by_role("button", name="Verify").click()
    open_profile(page)

    # When Erin changes the password, first giving a wrong current one
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Change password")).to_be_visible()
    check(page)
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password", exact=True).fill("short")
    expect(page.get_by_text("5 more needed")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(PASSWORD + " two")
    page.get_by_label("Confirm new password").fill(PASSWORD + " two")
    page.get_by_role("button", name="Change password").click()
    expect(error_summary(page)).to_contain_text("password is not right")
    check(page)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(PASSWORD + " two")
    page.get_by_label("Confirm new password").fill(PASSWORD + " two")
    page.get_by_role("button", name="Change password").click()

    # Then Profile says so, the old password is refused and the new one signs in
    expect(success_banner(page)).to_contain_text("Your password has been changed")
    check(page)
    sign_out(page)
    enter_password(page, ERIN, PASSWORD)
    expect(error_summary(page)).to_contain_text("The email address or password is not right")
    sent = len(site.outbox(ERIN))
    enter_password(page, ERIN, PASSWORD + " two")
    page.get_by_label("Code").fill(site.code(ERIN, after=sent))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="All Services")).to_be_visible()
    page.context.close()


def change_mfa(page: Any, method: str) -> None:
    open_profile(page)
    page.get_by_role("button", name="Change MFA method").click()
    expect(page.get_by_role("heading", name="Change MFA method")).to_be_visible()
    page.get_by_label(method, exact=True).check()


def test_change_mfa_method_from_profile(browser: Any, site: Portal) -> None:
    # Given Erin signed in with email codes
    page = new_page(browser, site)
    sent = len(site.outbox(ERIN))
    enter_password(page, ERIN, PASSWORD + " two")
    page.get_by_label("Code").fill(site.code(ERIN, after=sent))
    page.get_by_role("button", name="Verify").click()

    # When Erin moves to a new authenticator app
    change_mfa(page, "Authenticator App (most secure)")
    check(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    check(page)
    page.get_by_label("Code").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.get_by_role("button", name="Verify").click()
    expect(error_summary(page)).to_contain_text("That code is not right")
    check(page)
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Verify").click()

    # Then Profile shows the authenticator app, and the next sign-in asks for its code
    expect(success_banner(page)).to_contain_text("authentication method has been changed")
    expect(profile_value(page, "Multi-factor authentication method")).to_have_text(
        "Authenticator App (most secure)"
    )
    sign_out(page)
    enter_password(page, ERIN, PASSWORD + " two")
    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="All Services")).to_be_visible()

    # When Erin moves to text messages, the code goes to the phone given
    change_mfa(page, "Text message (SMS)")
    sent = len(site.outbox(ERIN_PHONE))
    page.get_by_label("Mobile phone number").fill("07911 123222")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your messages")).to_be_visible()
    expect(page.get_by_text("We have sent a code by text message to +447911123222")).to_be_visible()
    check(page)
    page.get_by_label("Code").fill(site.code(ERIN_PHONE, after=sent))
    page.get_by_role("button", name="Verify").click()
    expect(success_banner(page)).to_contain_text("authentication method has been changed")
    expect(profile_value(page, "Multi-factor authentication method")).to_have_text(
        "Text message (SMS)"
    )
    expect(profile_value(page, "Phone number")).to_have_text(ERIN_PHONE)

    # When Erin moves back to email, no code is needed, and the next sign-in sends one by email
    change_mfa(page, "Email")
    page.get_by_role("button", name="Continue").click()
    expect(success_banner(page)).to_contain_text("authentication method has been changed")
    expect(profile_value(page, "Multi-factor authentication method")).to_have_text("Email")
    sign_out(page)
    sent = len(site.outbox(ERIN))
    enter_password(page, ERIN, PASSWORD + " two")
    expect(page.get_by_text("We have sent a code by email to")).to_be_visible()
    page.get_by_label("Code").fill(site.code(ERIN, after=sent))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="All Services")).to_be_visible()
    page.context.close()


def test_resend_an_invite(eo: Any, browser: Any, site: Portal) -> None:
    # Given Rhys, invited, whose first temporary password was never used
    rhys = f"rhys.resend@{DOMAIN}"
    invited(eo, "Rhys", "Resend", rhys)
    first = site.temporary_password(rhys)

    # When the exams officer resends the invite
    open_member(eo, "Rhys Resend")
    expect(eo.get_by_role("button", name="Resend invite")).to_be_visible()
    eo.get_by_role("button", name="Resend invite").click()

    # Then they are told, Rhys gets a second email, and only its password works
    expect(success_banner(eo)).to_contain_text(f"A new invite has been sent to {rhys}")
    check(eo)
    assert len(site.outbox(rhys)) == 2
    second = site.temporary_password(rhys)
    assert second != first
    page = new_page(browser, site)
    enter_password(page, rhys, first)
    expect(error_summary(page)).to_contain_text("The email address or password is not right")
    enter_password(page, rhys, second)
    expect(page.get_by_role("heading", name="Create a new password")).to_be_visible()
    page.context.close()


def test_reset_sign_in_after_a_lost_authenticator(eo: Any, browser: Any, site: Portal) -> None:
    # Given Tom, active with an authenticator app he has since lost; an active member has no
    # invite to resend
    tom = f"tom.totp@{DOMAIN}"
    invited(eo, "Tom", "Totp", tom)
    page = new_page(browser, site)
    lost = first_sign_in(page, site, tom, PASSWORD, "totp")
    page.context.close()
    open_member(eo, "Tom Totp")
    expect(eo.get_by_role("button", name="Resend invite")).to_have_count(0)
    sent = len(site.outbox(tom))

    # When the exams officer resets Tom's sign-in
    eo.get_by_role("button", name="Reset sign-in").click()

    # Then they are told, and Tom gets a new temporary password by email
    expect(success_banner(eo)).to_contain_text(f"A new temporary password has been sent to {tom}")
    check(eo)
    assert len(site.outbox(tom)) == sent + 1
    assert "Temporary password" in site.outbox(tom)[0]["text"]

    # And Tom's old password no longer works; the new one leads to a new password and a new
    # authenticator, never asking for a code from the lost one
    page = new_page(browser, site)
    enter_password(page, tom, PASSWORD)
    expect(error_summary(page)).to_contain_text("The email address or password is not right")
    found = first_sign_in(page, site, tom, PASSWORD + " again", "totp")
    assert found != lost
    page.context.close()


def test_reset_sign_in_of_an_sms_member_sets_up_mfa_again(
    eo: Any, browser: Any, site: Portal
) -> None:
    # Given Sam, active with text-message codes
    open_member(eo, "Sam Sms")

    # When the exams officer resets Sam's sign-in and Sam signs in with the new password
    eo.get_by_role("button", name="Reset sign-in").click()
    expect(success_banner(eo)).to_contain_text(f"A new temporary password has been sent to {SAM}")
    page = new_page(browser, site)
    try:
        enter_password(page, SAM, site.temporary_password(SAM))
        page.get_by_label("New password", exact=True).fill(PASSWORD + " again")
        page.get_by_label("Confirm new password").fill(PASSWORD + " again")
        page.get_by_role("button", name="Update").click()

        # Then MFA is set up again, as Manage Users promised
        expect(page.get_by_role("heading", name="Create a new password")).to_have_count(0)
        expect(page.locator("#main-content h1")).to_contain_text(
            "Set up multi-factor authentication"
        )
    finally:
        page.context.close()


def moto_endpoint(portal: Portal) -> str:
    """The local run's moto address from its banner, or a skip saying why there is none."""
    for line in portal.lines:
        found = re.search(r"AWS \(moto\)\s+(http://\S+)", line)
        if found:
            return found.group(1)
    pytest.skip("the local run does not name its moto endpoint, and has no way to move its clock")


def expire_invite(portal: Portal, user_id: str) -> None:
    """Two months on, as far as the portal can tell: the member record's invite expiry is past.

    The local run serves no route that moves its clock (the portal reads the real time; the
    Cognito layer's clock lives inside the server process), so the record is changed instead,
    through the moto endpoint the local run names.
    """
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=moto_endpoint(portal),
        region_name=DEFAULT_REGION,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    yesterday = datetime.now(UTC) - timedelta(days=1)
    dynamodb.update_item(
        TableName="centre-portal",
        Key=member_key(user_id),
        UpdateExpression="SET invite_expires_at = :past",
        ExpressionAttributeValues={":past": {"S": yesterday.strftime("%Y-%m-%dT%H:%M:%SZ")}},
        ConditionExpression="attribute_exists(pk)",
    )


def test_an_expired_invite_is_explained_and_a_new_one_works(
    eo: Any, browser: Any, site: Portal
) -> None:
    # Given Evan, whose invite ran out before he signed in
    evan = f"evan.expired@{DOMAIN}"
    invited(eo, "Evan", "Expired", evan)
    open_member(eo, "Evan Expired")
    user_id = urllib.parse.parse_qs(urllib.parse.urlparse(eo.url).query)["user"][0]
    expire_invite(site, user_id)

    # Then Manage Users shows the invite as expired
    eo.get_by_role("link", name="Manage Users").first.click()
    expect(eo.get_by_role("row").filter(has_text=evan)).to_contain_text("Invite expired")
    check(eo)

    # When Evan signs in with the emailed temporary password, he is told what to do
    page = new_page(browser, site)
    enter_password(page, evan, site.temporary_password(evan))
    expect(error_summary(page)).to_contain_text("Your invite has expired")
    expect(error_summary(page)).to_contain_text("send you a new one")
    check(page)

    # When the exams officer resends it, the new invite works
    open_member(eo, "Evan Expired")
    eo.get_by_role("button", name="Resend invite").click()
    expect(success_banner(eo)).to_contain_text(f"A new invite has been sent to {evan}")
    eo.get_by_role("link", name="Manage Users").first.click()
    expect(eo.get_by_role("row").filter(has_text=evan)).to_contain_text("Invited")
    enter_password(page, evan, site.temporary_password(evan))
    expect(page.get_by_role("heading", name="Create a new password")).to_be_visible()
    page.context.close()


@pytest.fixture(scope="module")
def ada(eo: Any, browser: Any, site: Portal) -> Iterator[Any]:
    """Ada, an admin invited by the exams officer, signed in with email codes."""
    invited(eo, "Ada", "Admin", ADA, admin=True)
    page = new_page(browser, site)
    first_sign_in(page, site, ADA, PASSWORD, "email")
    yield page
    page.context.close()


def test_an_admin_sees_what_the_exams_officer_sees(ada: Any) -> None:
    page = ada
    expect(page.get_by_role("link", name="A2C Keys")).to_be_visible()
    expect(page.get_by_role("link", name="Manage Users").first).to_be_visible()
    check(page)

    # The exams officer's account is fixed: no access form, no delete
    open_member(page, "Eira Evans")
    expect(page.get_by_text("The exams officer holds every permission")).to_be_visible()
    expect(page.get_by_role("button", name="Save access")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete User")).to_have_count(0)
    check(page)


def test_an_admin_invites_users_and_admins_up_to_three(ada: Any, site: Portal) -> None:
    page = ada
    invited(page, "Uma", "User", f"uma.user@{DOMAIN}")
    assert site.outbox(f"uma.user@{DOMAIN}")

    # Two more admins make three; the invite form says how many a centre may have
    invited(page, "Alun", "Admin", f"alun.admin@{DOMAIN}", admin=True)
    page.get_by_role("button", name="Invite User").click()
    expect(page.get_by_text("A centre can have up to 3 admin accounts")).to_be_visible()
    invited(page, "Aled", "Admin", f"aled.admin@{DOMAIN}", admin=True)

    # A fourth is refused in plain words, and nobody is emailed
    invite(page, "Anwen", "Admin", f"anwen.admin@{DOMAIN}", admin=True)
    expect(error_summary(page)).to_contain_text("already has 3 admin accounts")
    check(page)
    assert site.outbox(f"anwen.admin@{DOMAIN}") == []
    page.get_by_role("link", name="Manage Users").first.click()
    expect(page.get_by_role("row").filter(has_text=f"anwen.admin@{DOMAIN}")).to_have_count(0)


def test_sign_out_clears_the_session(ada: Any) -> None:
    # Given Ada on Manage Users, with the centre's members on screen
    page = ada
    page.get_by_role("link", name="Manage Users").first.click()
    expect(page.get_by_text(EO)).to_be_visible()
    token = page.evaluate("JSON.parse(sessionStorage.getItem('portal.tokens')).access_token")
    assert token
    assert token not in page.evaluate("Object.values(localStorage).join(' ')")

    # When Ada signs out
    sign_out(page)

    # Then nothing of the session is kept in the tab, and nothing was ever in localStorage
    assert page.evaluate("sessionStorage.length") == 0
    stored = page.evaluate("Object.values(localStorage).join(' ')")
    assert token not in stored
    assert "token" not in page.evaluate("Object.keys(localStorage).join(' ')")

    # And neither Back nor a reload shows the members again
    page.go_back()
    expect(page.get_by_role("heading", name="Sign in to Centre Portal")).to_be_visible()
    expect(page.get_by_text(EO)).to_have_count(0)
    page.reload()
    expect(page.get_by_role("heading", name="Sign in to Centre Portal")).to_be_visible()
    expect(page.get_by_text(EO)).to_have_count(0)
    page.goto("/manage-users")
    expect(page.get_by_role("heading", name="Sign in to Centre Portal")).to_be_visible()
    expect(page.get_by_role("button", name="Account menu")).to_have_count(0)
