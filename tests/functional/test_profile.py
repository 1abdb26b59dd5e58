"""GET and PATCH /me: the member's own profile, kept the same in DynamoDB and Cognito."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
from botocore.exceptions import ClientError

from local.cognito import Outbox
from shared.adapters import aws
from shared.domain.members import Member
from tests.support.events import call
from tests.support.portal import CENTRE_ID, Portal, claims

UK_MOBILE = "+447911123456"


def cognito_attributes(portal: Portal, member: Member) -> dict[str, str]:
    user = portal.idp.admin_get_user(UserPoolId=portal.env["USER_POOL_ID"], Username=member.email)
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


def stored(portal: Portal, member: Member) -> Member:
    found = portal.store.get_member(member.user_id)
    assert found is not None
    return found


def unchanged(portal: Portal, member: Member) -> bool:
    """The stored record is the one the test began with (stored to the second)."""
    moment = member.invited_at.replace(microsecond=0) if member.invited_at else None
    return stored(portal, member) == replace(member, invited_at=moment)


@contextmanager
def failing(service: str, operation: str) -> Iterator[list[str]]:
    """Make the handlers' client fail every `operation` with a server error."""
    failed: list[str] = []

    def fail(**_: Any) -> None:
        failed.append(operation)
        raise ClientError({"Error": {"Code": "InternalErrorException", "Message": "x"}}, operation)

    events = aws.client(service).meta.events
    event_name = f"before-call.{service}.{operation}"
    events.register(event_name, fail)
    try:
        yield failed
    finally:
        events.unregister(event_name, fail)


# --- GET /me -----------------------------------------------------------------------------


def test_a_member_reads_their_profile_with_centre_type_permissions_and_mfa(user: Member) -> None:
    reply = call("GET", "/me", claims=claims(user))

    assert reply.status == 200
    assert reply.body["user_id"] == user.user_id
    assert reply.body["centre"] == {"centre_id": CENTRE_ID, "name": f"Centre {CENTRE_ID}"}
    assert reply.body["account_type"] == "user"
    assert reply.body["permissions"] == ["resources"]
    assert reply.body["mfa"] == {"preferred": None, "enabled": []}


def test_board_staff_read_their_identity_without_a_centre(board: Member) -> None:
    reply = call("GET", "/me", claims=claims(board))

    assert reply.status == 200
    assert reply.body["account_type"] == "board_staff"
    assert reply.body["centre"] is None
    assert reply.body["centre_id"] is None


def test_a_deleted_member_is_refused_at_once(portal: Portal, user: Member) -> None:
    portal.db.delete_item(
        TableName="portal", Key={"pk": {"S": f"USER#{user.user_id}"}, "sk": {"S": "MEMBER"}}
    )

    assert call("GET", "/me", claims=claims(user)).status == 401


# --- PATCH /me, field by field -------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "attribute"),
    [
        ("title", "Dr", None),
        ("first_name", "Siân", "given_name"),
        ("middle_name", "Elen", "middle_name"),
        ("surname", "Jones", "family_name"),
        ("job_role", "Head of Science", None),
        ("language", "cy", "locale"),
    ],
)
def test_each_field_is_saved_and_mirrored_in_cognito(
    portal: Portal, user: Member, field: str, value: str, attribute: str | None
) -> None:
    reply = call("PATCH", "/me", claims=claims(user), body={field: value})

    assert reply.status == 200
    assert reply.body[field] == value
    assert getattr(stored(portal, user), field) == value
    if attribute:
        assert cognito_attributes(portal, user)[attribute] == value
    assert portal.audit_actions() == ["update_profile"]


def test_fields_not_sent_are_left_alone_and_null_clears_an_optional_one(
    portal: Portal, user: Member
) -> None:
    call("PATCH", "/me", claims=claims(user), body={"title": "Mr", "job_role": "Teacher"})

    reply = call("PATCH", "/me", claims=claims(user), body={"job_role": None})

    assert reply.status == 200
    assert (reply.body["title"], reply.body["job_role"]) == ("Mr", None)
    assert stored(portal, user).job_role is None


@pytest.mark.parametrize("field", ["first_name", "surname", "language"])
def test_required_fields_cannot_be_cleared(portal: Portal, user: Member, field: str) -> None:
    reply = call("PATCH", "/me", claims=claims(user), body={field: None})

    assert (reply.status, reply.error_code) == (400, "validation_error")
    assert field in reply.body["error"]["message"]
    assert unchanged(portal, user)


@pytest.mark.parametrize(
    "phone",
    [
        {"country_code": "+44", "number": "07911 123456"},
        {"country_code": "GB", "number": "7911123456"},
        "+44 7911 123456",
        "07911123456",
    ],
)
def test_phone_is_normalised_to_e164_and_unverified_until_verified(
    portal: Portal, user: Member, outbox: Outbox, phone: Any
) -> None:
    reply = call("PATCH", "/me", claims=claims(user), body={"phone": phone})

    assert (reply.status, reply.body["phone"]) == (200, UK_MOBILE)
    assert stored(portal, user).phone == UK_MOBILE
    attributes = cognito_attributes(portal, user)
    assert attributes["phone_number"] == UK_MOBILE
    assert attributes["phone_number_verified"] == "false"
    # Cognito sends a code to the new number, so that the member can verify it.
    assert outbox.latest_code(UK_MOBILE)


@pytest.mark.parametrize(
    "phone",
    [
        {"country_code": "+44", "number": "123"},
        {"country_code": "+999", "number": "7911123456"},
        "not a phone",
        "+44 79",
    ],
)
def test_an_invalid_phone_is_refused_with_a_clear_message(
    portal: Portal, user: Member, phone: Any
) -> None:
    reply = call("PATCH", "/me", claims=claims(user), body={"phone": phone})

    assert (reply.status, reply.error_code) == (400, "invalid_phone")
    assert "country code" in reply.body["error"]["message"]
    assert unchanged(portal, user)
    assert "phone_number" not in cognito_attributes(portal, user)


def test_removing_the_phone_removes_it_from_cognito(portal: Portal, user: Member) -> None:
    call("PATCH", "/me", claims=claims(user), body={"phone": UK_MOBILE})

    reply = call("PATCH", "/me", claims=claims(user), body={"phone": None})

    assert (reply.status, reply.body["phone"]) == (200, None)
    assert "phone_number" not in cognito_attributes(portal, user)


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Ask your exams officer"), ("cy", "swyddog arholiadau")]
)
def test_email_cannot_be_changed(portal: Portal, centre: str, language: str, words: str) -> None:
    from shared.domain.accounts import Role

    member = portal.add_member(Role.USER, language=language)

    reply = call(
        "PATCH",
        "/me",
        claims=claims(member),
        body={"email": "new@example-school.example", "first_name": "New"},
    )

    assert (reply.status, reply.error_code) == (400, "email_immutable")
    assert words in reply.body["error"]["message"]
    assert unchanged(portal, member)


def test_a_new_language_words_errors_and_messages_from_then_on(
    user: Member, outbox: Outbox
) -> None:
    call("PATCH", "/me", claims=claims(user), body={"language": "cy"})

    refused = call("PATCH", "/me", claims=claims(user), body={"email": "x@example-school.example"})
    call("PATCH", "/me", claims=claims(user), body={"phone": UK_MOBILE})

    assert refused.body["error"]["message"].startswith("Ni ellir newid")
    assert outbox.latest(UK_MOBILE, "code").text.startswith("Cod dilysu")


def test_board_staff_edit_their_own_profile(portal: Portal, board: Member) -> None:
    reply = call("PATCH", "/me", claims=claims(board), body={"job_role": "Portal team"})

    assert (reply.status, reply.body["job_role"]) == (200, "Portal team")
    assert stored(portal, board).job_role == "Portal team"


# --- both stores or neither --------------------------------------------------------------


def test_when_cognito_fails_the_record_is_put_back(portal: Portal, user: Member) -> None:
    with failing("cognito-idp", "AdminUpdateUserAttributes") as failed:
        reply = call(
            "PATCH", "/me", claims=claims(user), body={"first_name": "Siân", "phone": UK_MOBILE}
        )

    assert failed and (reply.status, reply.error_code) == (500, "internal_error")
    after = stored(portal, user)
    assert (after.first_name, after.phone) == (user.first_name, user.phone)
    assert portal.audit_actions() == []
    assert cognito_attributes(portal, user).get("given_name") is None
    # The record can still be changed: the version restored is a fresh one.
    assert call("PATCH", "/me", claims=claims(user), body={"first_name": "Siân"}).status == 200


def test_when_dynamodb_fails_cognito_is_not_asked(portal: Portal, user: Member) -> None:
    with (
        failing("dynamodb", "TransactWriteItems") as failed,
        failing("cognito-idp", "AdminUpdateUserAttributes") as cognito_calls,
    ):
        reply = call("PATCH", "/me", claims=claims(user), body={"surname": "Evans"})

    assert failed and not cognito_calls
    assert reply.status == 500
    assert unchanged(portal, user)
    assert "family_name" not in cognito_attributes(portal, user)
