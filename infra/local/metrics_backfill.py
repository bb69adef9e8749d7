"""``make metrics-backfill``: rebuilds the metrics rollups of the running local stack (``make run``)
from its tickets, for the last DAYS days (default 90) of one workspace (WORKSPACE=slug) or all.

A checkout whose demo tickets predate the metrics table (or whose rollups drifted) shows empty goal
cards until its days are rebuilt. The rebuild is the nightly job's, ``rebuild_days``: each day from
the tickets and their history, then each closed month it touched."""

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
    from chalicelib.services.metrics_rebuild import main as rebuild

    rebuild(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
