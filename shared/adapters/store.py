"""The portal's single DynamoDB table: members, centres, email guards and the audit log.

Key design (one table, one GSI):

| item           | pk                | sk              | gsi1pk              | gsi1sk  |
|----------------|-------------------|-----------------|---------------------|---------|
| member         | USER#<sub>        | MEMBER          | CENTRE#<id>#MEMBERS | <email> |
| board staff    | USER#<sub>        | MEMBER          | -                   | -       |
| email guard    | EMAIL#<email>     | EMAIL           | -                   | -       |
| centre, counts | CENTRE#<id>       | CENTRE          | -                   | -       |
| audit event    | CENTRE#<id>#AUDIT | <at>#<event id> | -                   | -       |

Every authenticated request reads its caller with one GetItem on USER#<sub>. The email guard
makes addresses unique across the portal; the centre item carries the counters whose
conditional updates enforce "at most 3 admins" and "one exams officer" atomically.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from shared.adapters.aws import client, config
from shared.domain.accounts import MAX_ADMINS_PER_CENTRE, Permission, Role
from shared.domain.errors import (
    AdminLimitReached,
    Conflict,
    ExamsOfficerExists,
    InvalidInput,
    NotFound,
    UserExists,
)
from shared.domain.members import ACTIVE, AuditEvent, Centre, Member, Page

MEMBER_SK, CENTRE_SK, EMAIL_SK = "MEMBER", "CENTRE", "EMAIL"


def member_key(user_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"USER#{user_id}"}, "sk": {"S": MEMBER_SK}}


def centre_key(centre_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"CENTRE#{centre_id}"}, "sk": {"S": CENTRE_SK}}


def email_key(email: str) -> dict[str, Any]:
    return {"pk": {"S": f"EMAIL#{email}"}, "sk": {"S": EMAIL_SK}}


def members_partition(centre_id: str) -> str:
    return f"CENTRE#{centre_id}#MEMBERS"


def audit_partition(centre_id: str) -> str:
    return f"CENTRE#{centre_id}#AUDIT"


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _from_iso(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def _serialize(value: Any) -> dict[str, Any]:
    from boto3.dynamodb.types import TypeSerializer  # noqa: PLC0415 - keep cold start small

    return TypeSerializer().serialize(value)


def _item(values: dict[str, Any]) -> dict[str, Any]:
    """A DynamoDB item from plain values, leaving out the ones that are None."""
    return {key: _serialize(value) for key, value in values.items() if value is not None}


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    from boto3.dynamodb.types import TypeDeserializer  # noqa: PLC0415

    deserializer = TypeDeserializer()
    return {key: deserializer.deserialize(value) for key, value in item.items()}


def member_to_item(member: Member) -> dict[str, Any]:
    values: dict[str, Any] = {
        "user_id": member.user_id,
        "email": member.email,
        "account_type": str(member.account_type),
        "first_name": member.first_name,
        "surname": member.surname,
        "language": member.language,
        "centre_id": member.centre_id,
        "permissions": sorted(str(p) for p in member.permissions) or None,
        "status": member.status,
        "title": member.title,
        "middle_name": member.middle_name,
        "job_role": member.job_role,
        "phone": member.phone,
        "invited_by": member.invited_by,
        "invited_at": _iso(member.invited_at),
        "invite_expires_at": _iso(member.invite_expires_at),
        "mfa_preferred": member.mfa_preferred,
        "mfa_enabled": list(member.mfa_enabled) or None,
        "version": member.version,
    }
    if member.centre_id is not None:
        values["gsi1pk"] = members_partition(member.centre_id)
        values["gsi1sk"] = member.email
    return member_key(member.user_id) | _item(values)


def member_from_item(item: dict[str, Any]) -> Member:
    v = _plain(item)
    return Member(
        user_id=v["user_id"],
        email=v["email"],
        account_type=Role(v["account_type"]),
        first_name=v["first_name"],
        surname=v["surname"],
        language=v.get("language", "en"),
        centre_id=v.get("centre_id"),
        permissions=frozenset(Permission(p) for p in v.get("permissions", [])),
        status=v["status"],
        title=v.get("title"),
        middle_name=v.get("middle_name"),
        job_role=v.get("job_role"),
        phone=v.get("phone"),
        invited_by=v.get("invited_by"),
        invited_at=_from_iso(v.get("invited_at")),
        invite_expires_at=_from_iso(v.get("invite_expires_at")),
        mfa_preferred=v.get("mfa_preferred"),
        mfa_enabled=tuple(v.get("mfa_enabled", [])),
        version=int(v.get("version", 1)),
    )


def centre_from_item(item: dict[str, Any]) -> Centre:
    v = _plain(item)
    return Centre(
        centre_id=v["centre_id"],
        name=v["name"],
        email_domains=tuple(v["email_domains"]),
        allow_subdomains=bool(v.get("allow_subdomains", False)),
        exams_officer_id=v.get("exams_officer_id"),
        admin_count=int(v.get("admin_count", 0)),
        user_count=int(v.get("user_count", 0)),
    )


def event_to_item(event: AuditEvent) -> dict[str, Any]:
    at = _iso(event.at)
    # Microseconds in the sort key keep events of the same second in the order they happened.
    order = event.at.astimezone(UTC).isoformat(timespec="microseconds")
    return {
        "pk": {"S": audit_partition(event.centre_id)},
        "sk": {"S": f"{order}#{event.event_id}"},
    } | _item(
        {
            "at": at,
            "actor": event.actor,
            "action": event.action,
            "target": event.target,
            "details": json.dumps(event.details, sort_keys=True),
            "event_id": event.event_id,
        }
    )


def event_from_item(centre_id: str, item: dict[str, Any]) -> AuditEvent:
    v = _plain(item)
    return AuditEvent(
        centre_id=centre_id,
        at=_from_iso(v["at"]) or datetime.now(UTC),
        actor=v["actor"],
        action=v["action"],
        target=v.get("target"),
        event_id=v["event_id"],
        details=json.loads(v.get("details", "{}")),
    )


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(key, sort_keys=True).encode()).decode()


def decode_cursor(cursor: str | None, partition: str) -> dict[str, Any] | None:
    """The start key a cursor stands for; a cursor from another listing is invalid input."""
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(field="cursor") from error
    pk = key.get("gsi1pk", key.get("pk")) if isinstance(key, dict) else None
    if not isinstance(pk, dict) or pk.get("S") != partition:
        raise InvalidInput(field="cursor")
    return key


def _cancellation_codes(error: Exception) -> list[str]:
    reasons = getattr(error, "response", {}).get("CancellationReasons", [])
    return [reason.get("Code", "None") for reason in reasons]


class DynamoStore:
    """The Store port on DynamoDB. Each method is one request unless its docstring says more."""

    def __init__(self, table_name: str | None = None) -> None:
        self._table = table_name or config().table_name

    @property
    def _db(self) -> Any:
        return client("dynamodb")

    def _transact(self, items: list[dict[str, Any]]) -> None:
        for entry in items:
            next(iter(entry.values()))["TableName"] = self._table
        self._db.transact_write_items(TransactItems=items)

    # --- reads ---------------------------------------------------------------------------

    def get_member(self, user_id: str) -> Member | None:
        found = self._db.get_item(TableName=self._table, Key=member_key(user_id))
        item = found.get("Item")
        return member_from_item(item) if item else None

    def member_by_email(self, email: str) -> Member | None:
        """Two GetItems: the email guard names the member, then the member record."""
        found = self._db.get_item(
            TableName=self._table, Key=email_key(email), ProjectionExpression="user_id"
        )
        user_id = found.get("Item", {}).get("user_id", {}).get("S")
        return self.get_member(user_id) if user_id else None

    def get_centre(self, centre_id: str) -> Centre | None:
        found = self._db.get_item(TableName=self._table, Key=centre_key(centre_id))
        item = found.get("Item")
        return centre_from_item(item) if item else None

    def list_members(self, centre_id: str, limit: int, cursor: str | None) -> Page:
        partition = members_partition(centre_id)
        query: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": partition}},
            "Limit": limit,
        }
        start = decode_cursor(cursor, partition)
        if start:
            query["ExclusiveStartKey"] = start
        found = self._db.query(**query)
        members = [member_from_item(item) for item in found.get("Items", [])]
        return Page(members, encode_cursor(found.get("LastEvaluatedKey")))

    def list_audit(self, centre_id: str, limit: int, cursor: str | None) -> Page:
        partition = audit_partition(centre_id)
        query: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": partition}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        start = decode_cursor(cursor, partition)
        if start:
            query["ExclusiveStartKey"] = start
        found = self._db.query(**query)
        events = [event_from_item(centre_id, item) for item in found.get("Items", [])]
        return Page(events, encode_cursor(found.get("LastEvaluatedKey")))

    # --- centres -------------------------------------------------------------------------

    def _centre_put(self, centre: Centre) -> dict[str, Any]:
        return centre_key(centre.centre_id) | _item(
            {
                "centre_id": centre.centre_id,
                "name": centre.name,
                "email_domains": list(centre.email_domains),
                "allow_subdomains": centre.allow_subdomains,
                "admin_count": 0,
                "user_count": 0,
            }
        )

    def create_centre(self, centre: Centre, event: AuditEvent) -> None:
        """Centre and audit event together; a centre number is taken once."""
        try:
            self._transact(
                [
                    {
                        "Put": {
                            "Item": self._centre_put(centre),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {"Put": {"Item": event_to_item(event)}},
                ]
            )
        except self._db.exceptions.TransactionCanceledException as error:
            if _cancellation_codes(error)[0] == "ConditionalCheckFailed":
                raise Conflict("centre_exists") from error
            raise

    def update_centre(self, centre: Centre, event: AuditEvent) -> None:
        self._transact(
            [
                {
                    "Update": {
                        "Key": centre_key(centre.centre_id),
                        "UpdateExpression": "SET #n = :name, email_domains = :domains, "
                        "allow_subdomains = :subs",
                        "ConditionExpression": "attribute_exists(pk)",
                        "ExpressionAttributeNames": {"#n": "name"},
                        "ExpressionAttributeValues": {
                            ":name": {"S": centre.name},
                            ":domains": _serialize(list(centre.email_domains)),
                            ":subs": {"BOOL": centre.allow_subdomains},
                        },
                    }
                },
                {"Put": {"Item": event_to_item(event)}},
            ]
        )

    # --- invites: reserve, commit, release ------------------------------------------------

    def _seat_update(self, centre_id: str, account_type: Role, *, take: bool) -> dict[str, Any]:
        """The centre counter change that takes (or gives back) a seat of this type."""
        update: dict[str, Any] = {"Key": centre_key(centre_id)}
        if account_type is Role.EXAMS_OFFICER:
            if take:
                update["UpdateExpression"] = "SET exams_officer_id = :pending"
                update["ConditionExpression"] = (
                    "attribute_exists(pk) AND attribute_not_exists(exams_officer_id)"
                )
                update["ExpressionAttributeValues"] = {":pending": {"S": "pending"}}
            else:
                update["UpdateExpression"] = "REMOVE exams_officer_id"
            return {"Update": update}
        counter = "admin_count" if account_type is Role.ADMIN else "user_count"
        update["ExpressionAttributeNames"] = {"#c": counter}
        update["UpdateExpression"] = "SET #c = #c + :one" if take else "SET #c = #c - :one"
        update["ExpressionAttributeValues"] = {":one": {"N": "1"}}
        if take and account_type is Role.ADMIN:
            update["ConditionExpression"] = "attribute_exists(pk) AND #c < :max"
            update["ExpressionAttributeValues"][":max"] = {"N": str(MAX_ADMINS_PER_CENTRE)}
        elif take:
            update["ConditionExpression"] = "attribute_exists(pk)"
        return {"Update": update}

    def reserve_invite(self, centre_id: str, email: str, account_type: Role) -> None:
        """Claim the address and a seat of the type in one transaction, before Cognito is asked.

        Two admins inviting the 3rd and 4th admin at once race on the same counter condition;
        DynamoDB lets exactly one of them through.
        """
        guard = email_key(email) | _item({"email": email, "centre_id": centre_id})
        try:
            self._transact(
                [
                    {"Put": {"Item": guard, "ConditionExpression": "attribute_not_exists(pk)"}},
                    self._seat_update(centre_id, account_type, take=True),
                ]
            )
        except self._db.exceptions.TransactionCanceledException as error:
            codes = _cancellation_codes(error)
            if codes[0] == "ConditionalCheckFailed":
                raise UserExists() from error
            if codes[1] == "ConditionalCheckFailed":
                if account_type is Role.EXAMS_OFFICER:
                    raise ExamsOfficerExists() from error
                if account_type is Role.ADMIN:
                    raise AdminLimitReached() from error
                raise NotFound() from error
            raise

    def release_invite(self, centre_id: str, email: str, account_type: Role) -> None:
        """Undo reserve_invite."""
        self._transact(
            [
                {"Delete": {"Key": email_key(email)}},
                self._seat_update(centre_id, account_type, take=False),
            ]
        )

    def commit_member(self, member: Member, event: AuditEvent) -> None:
        """Member record, email guard's owner and audit event in one transaction."""
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "Item": member_to_item(member),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {
                "Update": {
                    "Key": email_key(member.email),
                    "UpdateExpression": "SET user_id = :u",
                    "ExpressionAttributeValues": {":u": {"S": member.user_id}},
                }
            },
            {"Put": {"Item": event_to_item(event)}},
        ]
        if member.account_type is Role.EXAMS_OFFICER and member.centre_id:
            items.append(
                {
                    "Update": {
                        "Key": centre_key(member.centre_id),
                        "UpdateExpression": "SET exams_officer_id = :u",
                        "ExpressionAttributeValues": {":u": {"S": member.user_id}},
                    }
                }
            )
        self._transact(items)

    # --- changes to existing members -----------------------------------------------------

    def _version_condition(self, member: Member) -> dict[str, Any]:
        return {
            "ConditionExpression": "version = :v",
            "ExpressionAttributeValues": {":v": {"N": str(member.version)}},
        }

    def save_member(self, before: Member, after: Member, event: AuditEvent) -> None:
        """Replace a member record if nobody changed it since it was read, with its audit event."""
        try:
            self._transact(
                [
                    {"Put": {"Item": member_to_item(after)} | self._version_condition(before)},
                    {"Put": {"Item": event_to_item(event)}},
                ]
            )
        except self._db.exceptions.TransactionCanceledException as error:
            if _cancellation_codes(error)[0] == "ConditionalCheckFailed":
                raise Conflict() from error
            raise

    def delete_member(self, member: Member, event: AuditEvent) -> None:
        """Record, email guard and seat go together, with the audit event."""
        items: list[dict[str, Any]] = [
            {"Delete": {"Key": member_key(member.user_id)} | self._version_condition(member)},
            {"Delete": {"Key": email_key(member.email)}},
            {"Put": {"Item": event_to_item(event)}},
        ]
        if member.centre_id:
            items.append(self._seat_update(member.centre_id, member.account_type, take=False))
        try:
            self._transact(items)
        except self._db.exceptions.TransactionCanceledException as error:
            if _cancellation_codes(error)[0] == "ConditionalCheckFailed":
                raise Conflict() from error
            raise

    def restore_member(self, member: Member, event: AuditEvent) -> None:
        """Undo delete_member after the identity provider refused the deletion."""
        items: list[dict[str, Any]] = [
            {"Put": {"Item": member_to_item(member)}},
            {
                "Put": {
                    "Item": email_key(member.email)
                    | _item(
                        {
                            "email": member.email,
                            "centre_id": member.centre_id,
                            "user_id": member.user_id,
                        }
                    )
                }
            },
            {"Delete": {"Key": self._event_key(event)}},
        ]
        if member.centre_id:
            seat = self._seat_update(member.centre_id, member.account_type, take=True)
            seat["Update"].pop("ConditionExpression", None)
            if member.account_type is Role.EXAMS_OFFICER:
                seat["Update"]["ExpressionAttributeValues"] = {":pending": {"S": member.user_id}}
            else:
                seat["Update"]["ExpressionAttributeValues"].pop(":max", None)
            items.append(seat)
        self._transact(items)

    def add_board_staff(self, member: Member) -> None:
        """A board staff record and its email guard; an address already in use is refused."""
        guard = email_key(member.email) | _item({"email": member.email, "user_id": member.user_id})
        try:
            self._transact(
                [
                    {"Put": {"Item": guard, "ConditionExpression": "attribute_not_exists(pk)"}},
                    {
                        "Put": {
                            "Item": member_to_item(member),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                ]
            )
        except self._db.exceptions.TransactionCanceledException as error:
            raise UserExists() from error

    # --- sign-in ---------------------------------------------------------------------------

    def record_sign_in(self, member: Member, method: str | None, phone: str | None = None) -> None:
        """One UpdateItem: the member is active, and a newly set-up MFA method becomes preferred
        (with the phone its codes go to, for SMS)."""
        expression = "SET #s = :active, version = version + :one"
        values: dict[str, Any] = {":active": {"S": ACTIVE}, ":one": {"N": "1"}}
        if method and method not in member.mfa_enabled:
            expression += ", mfa_preferred = :method, mfa_enabled = :enabled"
            values[":method"] = {"S": method}
            values[":enabled"] = _serialize([*member.mfa_enabled, method])
        if phone:
            expression += ", phone = :phone"
            values[":phone"] = {"S": phone}
        try:
            self._db.update_item(
                TableName=self._table,
                Key=member_key(member.user_id),
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=values,
            )
        except self._db.exceptions.ConditionalCheckFailedException:
            # Deleted while signing in: the next authenticated request is refused anyway.
            return

    def remember_setup_session(self, email: str, digest: str) -> None:
        """Note which MFA set-up session belongs to this address (on its email guard)."""
        try:
            self._db.update_item(
                TableName=self._table,
                Key=email_key(email),
                UpdateExpression="SET mfa_setup_session = :digest",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":digest": {"S": digest}},
            )
        except self._db.exceptions.ConditionalCheckFailedException:
            # No guard (board staff are not centre members): SMS set-up stays closed to them.
            return

    def setup_session_matches(self, email: str, digest: str) -> bool:
        """Whether `digest` is the MFA set-up session last issued to this address."""
        found = self._db.get_item(
            TableName=self._table,
            Key=email_key(email),
            ProjectionExpression="mfa_setup_session",
            ConsistentRead=True,
        )
        stored = found.get("Item", {}).get("mfa_setup_session", {}).get("S")
        return stored is not None and hmac.compare_digest(stored, digest)

    def _event_key(self, event: AuditEvent) -> dict[str, Any]:
        item = event_to_item(event)
        return {"pk": item["pk"], "sk": item["sk"]}

    def remove_event(self, event: AuditEvent) -> None:
        """Take back an audit event whose change was undone."""
        self._db.delete_item(TableName=self._table, Key=self._event_key(event))

    # --- the signed-in member's credentials (auth function: GetItem and UpdateItem only) ----

    def _event_update(self, event: AuditEvent) -> dict[str, Any]:
        """An audit event written by an Update that creates it, so UpdateItem is all it needs."""
        item = event_to_item(event)
        values = {name: value for name, value in item.items() if name not in ("pk", "sk")}
        names = {f"#a{index}": name for index, name in enumerate(values)}
        return {
            "Key": {"pk": item["pk"], "sk": item["sk"]},
            "UpdateExpression": "SET " + ", ".join(f"{alias} = :{alias[1:]}" for alias in names),
            "ConditionExpression": "attribute_not_exists(pk)",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {
                f":{alias[1:]}": values[name] for alias, name in names.items()
            },
        }

    def record_event(self, event: AuditEvent) -> None:
        """One UpdateItem: an audit event on its own (a change made only in Cognito)."""
        self._db.update_item(TableName=self._table, **self._event_update(event))

    def record_mfa(self, member: Member, event: AuditEvent) -> None:
        """The member's MFA methods and phone as `member` holds them, with the audit event."""
        values: dict[str, Any] = {
            ":preferred": _serialize(member.mfa_preferred),
            ":enabled": _serialize(list(member.mfa_enabled)),
            ":one": {"N": "1"},
        }
        expression = "SET mfa_preferred = :preferred, mfa_enabled = :enabled"
        if member.phone:
            expression += ", phone = :phone"
            values[":phone"] = {"S": member.phone}
        try:
            self._transact(
                [
                    {
                        "Update": {
                            "Key": member_key(member.user_id),
                            "UpdateExpression": f"{expression} ADD version :one",
                            "ConditionExpression": "attribute_exists(pk)",
                            "ExpressionAttributeValues": values,
                        }
                    },
                    {"Update": self._event_update(event)},
                ]
            )
        except self._db.exceptions.TransactionCanceledException as error:
            if _cancellation_codes(error)[0] == "ConditionalCheckFailed":
                # Deleted meanwhile: the Cognito user is gone too, and the next request refused.
                return
            raise
