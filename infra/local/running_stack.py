"""For one-off jobs run against the stack `make run` started (the backfills): its DynamoDB Local, found by
the same port variables, with the same local keys. Called before any ``chalicelib`` module is imported,
since the settings and clients read the environment when they are made."""

from __future__ import annotations

import os

from infra.local.processes import LOOPBACK
from infra.local.stack import REGION, port_from_env


def point_at_running_stack() -> None:
    os.environ.setdefault("AWS_ENDPOINT_URL_DYNAMODB", f"http://{LOOPBACK}:{port_from_env('dynamodb')}")
    for name, value in (
        ("AWS_DEFAULT_REGION", REGION),
        ("AWS_ACCESS_KEY_ID", "local"),
        ("AWS_SECRET_ACCESS_KEY", "local"),
    ):
        os.environ.setdefault(name, value)
