"""Which email addresses a centre may invite: its own domains, never a personal mailbox."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from shared.domain.errors import EmailDomainNotAllowed, InvalidInput, PersonalEmailNotAllowed

_PERSONAL_DOMAINS_FILE = Path(__file__).with_name("personal_email_domains.txt")
# A pragmatic address shape: the local part as mail systems accept it, a dotted domain of
# letters, digits and hyphens. Cognito and SES apply their own checks after this one.
_LOCAL_PART = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_DOMAIN_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
MAX_EMAIL_LENGTH = 254


@cache
def personal_email_domains() -> frozenset[str]:
    """The personal mail providers, kept as data beside this module."""
    lines = _PERSONAL_DOMAINS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def normalise_email(raw: str) -> str:
    """Trim and lower-case an address, or raise InvalidInput if it is not one."""
    email = raw.strip().lower()
    local, at, domain = email.rpartition("@")
    if not at or len(email) > MAX_EMAIL_LENGTH or not _valid_local(local):
        raise InvalidInput(field="email")
    normalise_domain(domain, field="email")
    return email


def normalise_domain(raw: str, *, field: str = "email_domains") -> str:
    """Trim and lower-case a domain name, or raise InvalidInput naming the field."""
    domain = raw.strip().lower().rstrip(".")
    labels = domain.split(".")
    valid = len(labels) >= 2 and all(_DOMAIN_LABEL.match(label) for label in labels)
    # A numeric top-level label is an IP address, not a mail domain.
    if not valid or labels[-1].isdigit():
        raise InvalidInput(field=field)
    return domain


def _valid_local(local: str) -> bool:
    return 0 < len(local) <= 64 and _LOCAL_PART.match(local) is not None


def _within(domain: str, parent: str) -> bool:
    return domain == parent or domain.endswith("." + parent)


def is_personal(domain: str) -> bool:
    """True for a personal mail provider's domain or any subdomain of one."""
    return any(_within(domain, personal) for personal in personal_email_domains())


def domain_of(email: str) -> str:
    return email.rpartition("@")[2]


def check_centre_email(
    raw_email: str, centre_domains: Iterable[str], *, allow_subdomains: bool = False
) -> str:
    """The normalised address if the centre may invite it; otherwise a specific error.

    Personal providers are refused with their own error even when a centre lists one of them
    by mistake, because an invite there would hand a school's access to a private mailbox.
    """
    email = normalise_email(raw_email)
    domain = domain_of(email)
    if is_personal(domain):
        raise PersonalEmailNotAllowed()
    for allowed in centre_domains:
        if domain == allowed or (allow_subdomains and _within(domain, allowed)):
            return email
    raise EmailDomainNotAllowed()


def check_centre_domains(raw_domains: Iterable[str]) -> list[str]:
    """Normalise a centre's domain list; a personal provider can never be one of them."""
    domains = []
    for raw in raw_domains:
        domain = normalise_domain(raw)
        if is_personal(domain):
            raise PersonalEmailNotAllowed(field="email_domains")
        if domain not in domains:
            domains.append(domain)
    if not domains:
        raise InvalidInput(field="email_domains")
    return domains
