"""``make tags-backfill``: recounts the tags of the running local stack (``make run``) from its tickets,
for one workspace (WORKSPACE=slug) or all: tickets tagged before the stream kept tag counts are counted."""

from __future__ import annotations

import sys

from infra.local.running_stack import point_at_running_stack


def main(argv: list[str]) -> None:
    point_at_running_stack()
    from chalicelib.services.tag_recount import main as recount

    recount(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
