"""Request bodies, validated by pydantic before any use case runs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.domain.accounts import Permission

# Printable text on one line: names end up in email subjects and headers.
Name = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f<>]+$"
    ),
]
Email = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254)]
Language = Literal["en", "cy"]
CentreId = Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")]
Domain = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=253)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True, frozen=True)


class InviteMember(Body):
    email: Email
    first_name: Name
    last_name: Name
    language: Language = "en"
    account_type: Literal["admin", "user"]
    permissions: list[Permission] | None = Field(default=None, max_length=len(Permission))


class InviteExamsOfficer(Body):
    email: Email
    first_name: Name
    last_name: Name
    language: Language = "en"


class SetPermissions(Body):
    permissions: list[Permission] = Field(max_length=len(Permission))


class CreateCentre(Body):
    centre_id: CentreId
    name: Name
    email_domains: list[Domain] = Field(min_length=1, max_length=20)
    allow_subdomains: bool = False


class UpdateCentre(Body):
    name: Name | None = None
    email_domains: list[Domain] | None = Field(default=None, min_length=1, max_length=20)
    allow_subdomains: bool | None = None
