"""``make tags-backfill``: recounts the tags of the running local stack (``make run``) from its tickets,
for one workspace (WORKSPACE=slug) or all: tickets tagged before the stream kept tag counts are counted."""

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
    from chalicelib.services.tag_recount import main as recount

    recount(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
