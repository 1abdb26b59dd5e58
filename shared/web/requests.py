"""Request bodies, validated by pydantic before any use case runs."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

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


def _e164(raw: str) -> str:
    """A UK or international phone number in E.164, or ValueError naming what is wrong."""
    import phonenumbers  # noqa: PLC0415 - only the SMS set-up route needs it

    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException as error:
        raise ValueError("not a phone number") from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Secrets stay out of a model's repr, which Powertools logs at DEBUG when it calls a route.
# Passwords are never trimmed: what the member typed is what Cognito checks.
Password = Annotated[str, StringConstraints(min_length=1, max_length=256), Field(repr=False)]
NewPassword = Annotated[str, StringConstraints(max_length=256), Field(repr=False)]
# Cognito's own bounds on a session (20 to 2048 characters): botocore refuses a shorter one
# before sending it, which would otherwise surface as a 500 instead of a 400.
Session = Annotated[str, StringConstraints(min_length=20, max_length=2048), Field(repr=False)]
Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=16),
    Field(repr=False),
]
RefreshToken = Annotated[str, StringConstraints(min_length=1, max_length=8192), Field(repr=False)]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=32), AfterValidator(_e164)
]
MfaMethod = Literal["totp", "sms", "email"]


class SignIn(Body):
    email: Email
    password: Password


class NewPasswordAnswer(Body):
    email: Email
    session: Session
    new_password: NewPassword


class MfaSetup(Body):
    email: Email
    session: Session


class SmsSetup(MfaSetup):
    phone: Phone


# Cognito's sign-in codes are at least six characters; VerifySoftwareToken (the answer to
# totp_setup) refuses a shorter one before sending it.
ChallengeCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=6, max_length=16),
    Field(repr=False),
]


class MfaAnswer(MfaSetup):
    challenge: Literal["totp_setup", "totp", "sms", "email"]
    code: ChallengeCode


class SelectMfa(MfaSetup):
    method: MfaMethod


class Refresh(Body):
    refresh_token: RefreshToken


class ForgotPassword(Body):
    email: Email


class ResetPassword(Body):
    email: Email
    code: Code
    new_password: NewPassword


class ChangePassword(Body):
    current_password: Password
    new_password: NewPassword


# Cognito's codes for verifying a new authenticator or phone are six digits; VerifySoftwareToken
# refuses anything shorter before sending it.
VerificationCode = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{6}$"), Field(repr=False)
]


class CodeAnswer(Body):
    code: VerificationCode


class PhoneNumber(Body):
    phone: Phone


class ChooseMfa(Body):
    method: MfaMethod


# --- profile and publishing (services issue) ------------------------------------------------

Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20, pattern=r"^[^<>]+$")
]
SeriesId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")]


class PhoneParts(Body):
    """The profile page's two fields: country code (`+44`, or a region such as `GB`), number."""

    country_code: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=r"^(\+?[0-9]{1,4}|[A-Za-z]{2})$")
    ]
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]


LEFT_OUT: Any = None


def _left_out_never_null(schema: dict[str, Any]) -> None:
    """A field a member always has: it may be left out of a change, but never sent as null.

    Pydantic does not validate a default, so the None that stands for "left out" is never
    checked; an explicit null is, and is refused. The schema drops that default so the OpenAPI
    document does not offer null either.
    """
    schema.pop("default", None)


class UpdateProfile(Body):
    """Only the fields sent are changed; `null` clears an optional one. `email` is refused."""

    title: Title | None = None
    first_name: Name = Field(default=LEFT_OUT, json_schema_extra=_left_out_never_null)
    middle_name: Name | None = None
    surname: Name = Field(default=LEFT_OUT, json_schema_extra=_left_out_never_null)
    job_role: Name | None = None
    language: Language = Field(default=LEFT_OUT, json_schema_extra=_left_out_never_null)
    phone: PhoneParts | Annotated[str, StringConstraints(max_length=32)] | None = None
    email: str | None = Field(default=None, max_length=254)


class PutSeries(Body):
    name: Name
    embargo_from: AwareDatetime
    results_day: date


class A2CKeyBody(Body):
    key_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    key: Annotated[str, StringConstraints(min_length=1, max_length=512), Field(repr=False)]
    label: Name


class PutA2CKeys(Body):
    keys: list[A2CKeyBody] = Field(max_length=50)


class CreateResource(Body):
    subject: Name
    kind: Literal["past_paper", "marking_scheme", "exemplar", "grade_boundaries"]
    title: Name
    series_id: SeriesId
    language: Language
