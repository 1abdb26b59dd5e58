"""Configuration from the environment and lazily created AWS clients, one per process."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Config:
    table_name: str
    idempotency_table_name: str
    bucket_name: str
    user_pool_id: str
    user_pool_client_id: str
    portal_name: str
    sign_in_url: str
    # Launch URLs of the services that run elsewhere, by service name.
    launch_urls: dict[str, str]


@cache
def config() -> Config:
    """Read once per process; a missing variable fails loudly at first use."""
    env = os.environ
    return Config(
        table_name=env["TABLE_NAME"],
        idempotency_table_name=env.get("IDEMPOTENCY_TABLE_NAME", ""),
        bucket_name=env.get("BUCKET_NAME", ""),
        user_pool_id=env.get("USER_POOL_ID", ""),
        user_pool_client_id=env.get("USER_POOL_CLIENT_ID", ""),
        portal_name=env.get("PORTAL_NAME", "Centre Portal"),
        sign_in_url=env.get("SIGN_IN_URL", "http://127.0.0.1:8000/"),
        launch_urls={
            "iamis": env.get("IAMIS_URL", "https://iamis.example.org/"),
            "access_arrangements": env.get("ACCESS_ARRANGEMENTS_URL", "https://cap.example.org/"),
            "entries": env.get("ENTRIES_URL", "https://entries.example.org/"),
            "view_scripts": env.get("VIEW_SCRIPTS_URL", "https://scripts.example.org/"),
        },
    )


@cache
def client(service: str) -> Any:
    """A boto3 client, created on first use so that cold starts pay only for what a route uses."""
    import boto3  # noqa: PLC0415 - deferred: boto3 is the largest import a handler makes

    return boto3.client(service)


def reset() -> None:
    """Forget cached configuration and clients (tests switch environments between cases)."""
    config.cache_clear()
    client.cache_clear()
