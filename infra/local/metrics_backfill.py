"""``make metrics-backfill``: rebuilds the metrics rollups of the running local stack (``make run``)
from its tickets, for the last DAYS days (default 90) of one workspace (WORKSPACE=slug) or all.

A checkout whose demo tickets predate the metrics table (or whose rollups drifted) shows empty goal
cards until its days are rebuilt. The rebuild is the nightly job's, ``rebuild_days``: each day from
the tickets and their history, then each closed month it touched."""

from __future__ import annotations

import sys

from infra.local.running_stack import point_at_running_stack


def main(argv: list[str]) -> None:
    point_at_running_stack()
    from chalicelib.services.metrics_rebuild import main as rebuild

    rebuild(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
