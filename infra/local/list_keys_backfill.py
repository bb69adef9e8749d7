"""``make list-keys-backfill``: gives the tickets of the running local stack (``make run``) written
before the composite list keys existed those keys, for one workspace (WORKSPACE=slug) or all, then
marks each workspace ready so its lists use them. Idempotent: safe to run again; housekeeping does
the same a step at a time."""

from __future__ import annotations

import sys

from infra.local.running_stack import point_at_running_stack


def main(argv: list[str]) -> None:
    point_at_running_stack()
    from chalicelib.data.models import TABLE_MODELS
    from infra.local.tables import ensure_tables

    ensure_tables(TABLE_MODELS)  # a checkout's older table gains the new indexes first
    from chalicelib.services.list_keys_backfill import main as backfill

    backfill(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
