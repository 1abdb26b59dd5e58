"""Which addresses a centre may invite."""

from __future__ import annotations

import pytest

from shared.domain.email_policy import (
    check_centre_domains,
    check_centre_email,
    normalise_email,
    personal_email_domains,
)
from shared.domain.errors import EmailDomainNotAllowed, InvalidInput, PersonalEmailNotAllowed

DOMAINS = ["ysgol-example.cymru", "example-school.example"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("J.Jones@Ysgol-Example.Cymru", "j.jones@ysgol-example.cymru"),
        ("  exams@example-school.example\t", "exams@example-school.example"),
        (
            "first.o'neil+portal@example-school.example",
            "first.o'neil+portal@example-school.example",
        ),
    ],
)
def test_addresses_are_trimmed_and_lower_cased(raw: str, expected: str) -> None:
    assert check_centre_email(raw, DOMAINS) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "no-at-sign.example",
        "@example-school.example",
        "two@@example-school.example",
        "a@b",
        "a@-bad-.example",
        "a..b@example-school.example",
        ".a@example-school.example",
        "a b@example-school.example",
        "a@192.168.0.1",
        "x" * 65 + "@example-school.example",
        "a@" + "b" * 250 + ".example",
        "name <a@example-school.example>",
        "a@example-school.example\r\nBcc: x@evil.example",
    ],
)
def test_malformed_addresses_are_invalid(raw: str) -> None:
    with pytest.raises(InvalidInput):
        normalise_email(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "someone@gmail.com",
        "SOMEONE@GoogleMail.com",
        "someone@hotmail.co.uk",
        "someone@outlook.com",
        "someone@icloud.com",
        "someone@btinternet.com",
        "someone@proton.me",
        "someone@mail.yahoo.com",  # a subdomain of a provider is still the provider
    ],
)
def test_personal_providers_are_refused(raw: str) -> None:
    with pytest.raises(PersonalEmailNotAllowed):
        check_centre_email(raw, DOMAINS)


def test_a_personal_provider_listed_by_mistake_is_still_refused() -> None:
    with pytest.raises(PersonalEmailNotAllowed):
        check_centre_email("head@gmail.com", ["gmail.com", *DOMAINS])


@pytest.mark.parametrize(
    ("raw", "allow_subdomains", "accepted"),
    [
        ("a@ysgol-example.cymru", False, True),
        ("a@staff.ysgol-example.cymru", False, False),
        ("a@staff.ysgol-example.cymru", True, True),
        ("a@evil-ysgol-example.cymru", True, False),  # a suffix is not a subdomain
        ("a@ysgol-example.cymru.evil.example", True, False),
        ("a@other-school.example", True, False),
    ],
)
def test_centre_domains_and_their_subdomains(
    raw: str, allow_subdomains: bool, accepted: bool
) -> None:
    if accepted:
        assert check_centre_email(raw, DOMAINS, allow_subdomains=allow_subdomains)
    else:
        with pytest.raises(EmailDomainNotAllowed):
            check_centre_email(raw, DOMAINS, allow_subdomains=allow_subdomains)


def test_centre_domain_lists_are_normalised_and_deduplicated() -> None:
    assert check_centre_domains([" Ysgol-Example.Cymru ", "ysgol-example.cymru."]) == [
        "ysgol-example.cymru"
    ]


@pytest.mark.parametrize("domains", [[], ["not a domain"], ["localhost"]])
def test_bad_centre_domain_lists_are_invalid(domains: list[str]) -> None:
    with pytest.raises(InvalidInput):
        check_centre_domains(domains)


def test_a_centre_cannot_list_a_personal_provider() -> None:
    with pytest.raises(PersonalEmailNotAllowed):
        check_centre_domains(["example-school.example", "outlook.com"])


def test_the_personal_provider_list_is_data_with_the_major_providers() -> None:
    listed = personal_email_domains()
    for provider in (
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "gmx.com",
    ):
        assert provider in listed
