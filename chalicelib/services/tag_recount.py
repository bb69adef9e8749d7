"""Recounting a workspace's tags from its tickets: the backfill for tickets tagged before the stream
kept ``#TAGCOUNTS``, and the repair for counts that drifted. Idempotent: a second run writes the same
counts. Visits every ticket once in creation order (pages of Query, never a Scan).

Run it while the workspace is quiet: a ticket whose tags change between this job's read and its
write may be counted as it was read (the next change of its tags is counted normally).

    python -m chalicelib.services.tag_recount [--workspace slug]      (make tags-backfill locally)
"""

from __future__ import annotations

import argparse
from collections import Counter

from chalicelib.data import identity
from chalicelib.data import tags as repo
from chalicelib.data import tickets as ticket_repo

PAGE = 500


def recount(tenant_id: str) -> dict[str, int]:
    """Every tag's ticket count, from the tickets as they are now; written, and returned."""
    counts: Counter[str] = Counter()
    versions: dict[str, int] = {}
    after: str | None = None
    while True:
        page = ticket_repo.tickets_created_after(tenant_id, after, PAGE)
        for ticket in page:
            counts.update({str(tag) for tag in ticket.tags or ()})
            versions[ticket.ticket_id] = int(ticket.version)
        if len(page) < PAGE:
            break
        after = str(page[-1].created_sk)
    repo.set_counted(tenant_id, versions, dict(counts))
    return dict(counts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Recount a workspace's tags from its tickets.")
    parser.add_argument("--workspace", help="workspace slug (default: every workspace)")
    args = parser.parse_args(argv)
    if args.workspace is None:
        tenants = [entry.tenant_id for entry in identity.all_registry_entries()]
    else:
        found = identity.tenant_for_slug(args.workspace)
        if found is None:
            parser.error(f"no workspace {args.workspace!r}")
        tenants = [found]
    for tenant_id in tenants:
        counts = recount(tenant_id)
        print(f"workspace {tenant_id}: {len(counts)} tags on {sum(counts.values())} ticket-tags recounted", flush=True)


if __name__ == "__main__":
    main()
