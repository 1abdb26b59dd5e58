"""Domain errors: each names a contract error code; the HTTP layer maps the families to statuses.

PortalError
 ├── InvalidInput        400  (validation_error, email_immutable, password_too_short, invalid_code)
 ├── Unauthorized        401  (unauthorized, invalid_credentials)
 ├── Forbidden           403  (forbidden, cannot_grant, embargoed, invite_expired)
 ├── NotFound            404  (not_found; also anything in another centre)
 ├── Conflict            409  (user_exists, admin_limit_reached, centre_exists, ...)
 ├── Unprocessable       422  (personal_email_not_allowed, email_domain_not_allowed)
 └── TooManyRequests     429
"""

from __future__ import annotations

from typing import Any, ClassVar


class PortalError(Exception):
    """Base of every error the portal reports to a caller."""

    code: ClassVar[str] = "internal_error"

    def __init__(self, code: str | None = None, **params: Any) -> None:
        self.code = code or type(self).code  # type: ignore[misc]
        self.params = params
        super().__init__(self.code)


class InvalidInput(PortalError):
    code = "validation_error"


class Unauthorized(PortalError):
    code = "unauthorized"


class Forbidden(PortalError):
    code = "forbidden"


class NotFound(PortalError):
    code = "not_found"


class Conflict(PortalError):
    code = "conflict"


class Unprocessable(PortalError):
    code = "unprocessable"


class TooManyRequests(PortalError):
    code = "too_many_requests"


class CannotGrant(Forbidden):
    code = "cannot_grant"


class Embargoed(Forbidden):
    code = "embargoed"


class AdminLimitReached(Conflict):
    code = "admin_limit_reached"


class ExamsOfficerExists(Conflict):
    code = "exams_officer_exists"


class UserExists(Conflict):
    code = "user_exists"


class CannotDeleteSelf(Conflict):
    code = "cannot_delete_self"


class PersonalEmailNotAllowed(Unprocessable):
    code = "personal_email_not_allowed"


class EmailDomainNotAllowed(Unprocessable):
    code = "email_domain_not_allowed"


class EmailImmutable(InvalidInput):
    code = "email_immutable"


class InvalidPhone(InvalidInput):
    code = "invalid_phone"
