"""``make list-keys-backfill``: gives the tickets of the running local stack (``make run``) written
before the composite list keys existed those keys, for one workspace (WORKSPACE=slug) or all, then
marks each workspace ready so its lists use them. Idempotent: safe to run again; housekeeping does
the same a step at a time."""

from __future__ import annotations

import os
import sys

from infra.local.dynamodb import LOOPBACK
from infra.local.stack import REGION, port_from_env


def main(argv: list[str]) -> None:
    # the stack's DynamoDB Local, as `make run` started it (same port variables, same local keys)
    os.environ.setdefault("AWS_ENDPOINT_URL_DYNAMODB", f"http://{LOOPBACK}:{port_from_env('dynamodb')}")
    for name, value in (
        ("AWS_DEFAULT_REGION", REGION),
        ("AWS_ACCESS_KEY_ID", "local"),
        ("AWS_SECRET_ACCESS_KEY", "local"),
    ):
        os.environ.setdefault(name, value)
    from chalicelib.data.models import TABLE_MODELS
    from infra.local.tables import ensure_tables

    ensure_tables(TABLE_MODELS)  # a checkout's older table gains the new indexes first
    from chalicelib.services.list_keys_backfill import main as backfill

    backfill(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
