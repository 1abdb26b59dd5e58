"""The portal's fixed settings, declared once.

The CDK stack, the Lambda functions, the local Cognito layer and the tests all read these
numbers from here, so the user pool that is deployed and the one that runs on a laptop
cannot drift apart. Plain Python: no AWS calls, no imports beyond the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_REGION = "eu-west-2"
BOARD_STAFF_GROUP = "board_staff"
LANGUAGES = ("en", "cy")


@dataclass(frozen=True)
class IdentitySettings:
    """How the Cognito user pool and its app client behave."""

    password_min_length: int = 10
    # Cognito's own backstop; the member record holds the exact two-calendar-month expiry,
    # which is never more than 62 days.
    temporary_password_validity_days: int = 62
    invite_validity_months: int = 2
    mfa_methods: tuple[str, ...] = ("totp", "sms", "email")
    # Access and id tokens are short so that a stolen token is useful briefly; every request
    # also re-reads the caller's membership from DynamoDB, so revocation does not wait on them.
    access_token_minutes: int = 60
    id_token_minutes: int = 60
    # One working day: a member signs in each morning, refresh keeps them in until evening.
    refresh_token_hours: int = 12
    # Cognito's own limits, which the local layer reproduces.
    auth_session_minutes: int = 3
    mfa_code_minutes: int = 3
    forgot_password_code_hours: int = 1


IDENTITY = IdentitySettings()


# The web front end's Content-Security-Policy, one text for the laptop run (local/web_static.py)
# and for CloudFront (infra/site.py). The page loads only its own files and calls only its own
# origin (the API sits under it in both places), plus, in the cloud, the files bucket that board
# staff upload to through presigned URLs. The QR code is a data: image.
def site_content_security_policy(*connect_to: str) -> str:
    """The policy, letting scripts also call these origins (each https://host)."""
    connect = " ".join(("'self'", *connect_to))
    return (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        f"connect-src {connect}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
        "object-src 'none'"
    )


SITE_CONTENT_SECURITY_POLICY = site_content_security_policy()
