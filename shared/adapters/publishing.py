"""The PublishingStore port on the portal's table: series, results files, A2C keys, resources.

These items share the single table of store.py (its key design is unchanged) and add:

| item                | pk           | sk                            |
|---------------------|--------------|-------------------------------|
| series              | SERIES       | <series_id>                   |
| centre file marker  | CENTRE#<id>  | RESULTS#<series_id>#<kind>    |
| A2C keys            | CENTRE#<id>  | A2C_KEYS                      |
| resource            | RESOURCES    | <published at, µs>#<resource> |

A centre's files and keys sit beside its centre item (sk CENTRE), so one Query on the centre's
partition with a sort-key prefix lists its files. The file itself is in S3; the marker says a
file was published (board staff upload it through the URL issued with the marker). Resources
sort newest first; filters by subject, kind and series are applied by DynamoDB to each page.
A2C keys are secrets: the table is encrypted at rest with its KMS key, and this module never
logs them. Every change here is written with its audit event in one transaction.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from shared.adapters.aws import client, config
from shared.adapters.store import (
    _from_iso,
    _iso,
    _item,
    _plain,
    decode_cursor,
    encode_cursor,
    event_to_item,
)
from shared.domain.members import AuditEvent, Page
from shared.domain.publishing import A2CKey, Resource, ResultsFile
from shared.domain.results import Series

SERIES_PK, RESOURCES_PK, A2C_SK = "SERIES", "RESOURCES", "A2C_KEYS"


def _instant(text: str) -> datetime:
    """A timestamp this module always writes; a record without one is corrupt, not optional."""
    moment = _from_iso(text)
    if moment is None:
        raise ValueError("a published record is missing its timestamp")
    return moment


def centre_partition(centre_id: str) -> str:
    return f"CENTRE#{centre_id}"


def series_to_item(series: Series) -> dict[str, Any]:
    return _item(
        {
            "pk": SERIES_PK,
            "sk": series.series_id,
            "series_id": series.series_id,
            "name": series.name,
            "embargo_from": _iso(series.embargo_from),
            "results_day": series.results_day.isoformat(),
        }
    )


def series_from_item(item: dict[str, Any]) -> Series:
    v = _plain(item)
    embargo_from = _instant(v["embargo_from"])
    return Series(v["series_id"], v["name"], embargo_from, date.fromisoformat(v["results_day"]))


def resource_sort_key(resource: Resource) -> str:
    moment = resource.published_at.astimezone(UTC).isoformat(timespec="microseconds")
    return f"{moment}#{resource.resource_id}"


def resource_from_item(item: dict[str, Any]) -> Resource:
    v = _plain(item)
    published_at = _instant(v["published_at"])
    return Resource(
        resource_id=v["resource_id"],
        subject=v["subject"],
        kind=v["kind"],
        title=v["title"],
        series_id=v["series_id"],
        language=v["language"],
        published_at=published_at,
        published_by=v["published_by"],
    )


class DynamoPublishing:
    """One request per method, unless its docstring says more."""

    def __init__(self, table_name: str | None = None) -> None:
        self._table = table_name or config().table_name

    @property
    def _db(self) -> Any:
        return client("dynamodb")

    def _with_event(self, item: dict[str, Any], event: AuditEvent) -> None:
        self._db.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": self._table, "Item": item}},
                {"Put": {"TableName": self._table, "Item": event_to_item(event)}},
            ]
        )

    def _query(self, pk: str, prefix: str | None = None) -> list[dict[str, Any]]:
        """Every item of a small partition (series, one centre's files), all pages."""
        query: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": pk}},
        }
        if prefix:
            query["KeyConditionExpression"] += " AND begins_with(sk, :prefix)"
            query["ExpressionAttributeValues"][":prefix"] = {"S": prefix}
        items: list[dict[str, Any]] = []
        for page in self._db.get_paginator("query").paginate(**query):
            items.extend(page.get("Items", []))
        return items

    # --- series ----------------------------------------------------------------------------

    def put_series(self, series: Series) -> None:
        self._db.put_item(TableName=self._table, Item=series_to_item(series))

    def get_series(self, series_id: str) -> Series | None:
        found = self._db.get_item(
            TableName=self._table, Key={"pk": {"S": SERIES_PK}, "sk": {"S": series_id}}
        )
        item = found.get("Item")
        return series_from_item(item) if item else None

    def list_series(self) -> list[Series]:
        return [series_from_item(item) for item in self._query(SERIES_PK)]

    # --- a centre's files and keys -----------------------------------------------------------

    def put_results_file(self, marker: ResultsFile, event: AuditEvent) -> None:
        item = _item(
            {
                "pk": centre_partition(marker.centre_id),
                "sk": f"RESULTS#{marker.series_id}#{marker.kind}",
                "centre_id": marker.centre_id,
                "series_id": marker.series_id,
                "kind": marker.kind,
                "published_at": _iso(marker.published_at),
                "published_by": marker.published_by,
            }
        )
        self._with_event(item, event)

    def results_files(self, centre_id: str) -> list[ResultsFile]:
        markers = []
        for item in self._query(centre_partition(centre_id), "RESULTS#"):
            v = _plain(item)
            published_at = _instant(v["published_at"])
            markers.append(
                ResultsFile(
                    v["centre_id"], v["series_id"], v["kind"], published_at, v["published_by"]
                )
            )
        return markers

    def put_a2c_keys(self, centre_id: str, keys: list[A2CKey], event: AuditEvent) -> None:
        """Replace the centre's keys; the audit event names the key ids, never the keys."""
        stored = [{"key_id": k.key_id, "key": k.key, "label": k.label} for k in keys]
        item = _item(
            {
                "pk": centre_partition(centre_id),
                "sk": A2C_SK,
                "centre_id": centre_id,
                "keys": json.dumps(stored),
            }
        )
        self._with_event(item, event)

    def get_a2c_keys(self, centre_id: str) -> list[A2CKey]:
        found = self._db.get_item(
            TableName=self._table,
            Key={"pk": {"S": centre_partition(centre_id)}, "sk": {"S": A2C_SK}},
            ConsistentRead=True,
        )
        raw = found.get("Item", {}).get("keys", {}).get("S", "[]")
        return [A2CKey(k["key_id"], k["key"], k["label"]) for k in json.loads(raw)]

    # --- resources -------------------------------------------------------------------------

    def put_resource(self, resource: Resource) -> None:
        item = _item(
            {
                "pk": RESOURCES_PK,
                "sk": resource_sort_key(resource),
                "resource_id": resource.resource_id,
                "subject": resource.subject,
                "kind": resource.kind,
                "title": resource.title,
                "series_id": resource.series_id,
                "language": resource.language,
                "published_at": _iso(resource.published_at),
                "published_by": resource.published_by,
            }
        )
        self._db.put_item(TableName=self._table, Item=item)

    def list_resources(self, limit: int, cursor: str | None, **filters: str | None) -> Page:
        """One page, newest first; a page may hold fewer than `limit` when filters apply."""
        query: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": RESOURCES_PK}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        wanted = {name: value for name, value in filters.items() if value is not None}
        if wanted:
            query["FilterExpression"] = " AND ".join(f"#{name} = :{name}" for name in wanted)
            query["ExpressionAttributeNames"] = {f"#{name}": name for name in wanted}
            for name, value in wanted.items():
                query["ExpressionAttributeValues"][f":{name}"] = {"S": value}
        start = decode_cursor(cursor, RESOURCES_PK)
        if start:
            query["ExclusiveStartKey"] = start
        found = self._db.query(**query)
        resources = [resource_from_item(item) for item in found.get("Items", [])]
        return Page(resources, encode_cursor(found.get("LastEvaluatedKey")))

    # --- audit -----------------------------------------------------------------------------

    def record(self, event: AuditEvent) -> None:
        """An audit event on its own: a read of keys or a download, written before it happens."""
        self._db.put_item(TableName=self._table, Item=event_to_item(event))
