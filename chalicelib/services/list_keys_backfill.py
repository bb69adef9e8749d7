"""Giving tickets written before the composite list keys existed those keys, a budget of tickets per
call, resuming where the last call stopped (housekeeping, ``make list-keys-backfill``). Until a
workspace is done its lists use the single-field indexes, which every ticket has: correct meanwhile."""

from __future__ import annotations

import argparse

from chalicelib.data import identity, list_keys
from chalicelib.data import tickets as repo
from chalicelib.data.models import RegistryEntry
from chalicelib.data.ticket_changes import set_list_keys

BACKFILL_TICKETS_PER_RUN = 500


def backfill_list_keys(entry: RegistryEntry, budget: int = BACKFILL_TICKETS_PER_RUN) -> int:
    """Sets the keys on up to ``budget`` of one workspace's tickets, oldest first; returns how many
    were looked at. Idempotent: a ticket that has them, or changed since it was read (its writer set
    them), is left as it is; the workspace is marked ready after its last ticket."""
    tenant_id = entry.tenant_id
    tickets = repo.tickets_created_after(tenant_id, entry.list_keys_after, budget)
    for ticket in tickets:
        if ticket.status_priority_pk is None:
            set_list_keys(tenant_id, ticket)
    after = tickets[-1].created_sk if tickets else entry.list_keys_after
    list_keys.record_list_keys_progress(entry, after, done=len(tickets) < budget)
    return len(tickets)


def backfill_everywhere(budget: int = BACKFILL_TICKETS_PER_RUN) -> int:
    """One step of every workspace not ready yet (housekeeping); returns the tickets looked at."""
    pending = [entry for entry in identity.all_registry_entries() if not entry.list_keys_ready]
    return sum(backfill_list_keys(entry, budget) for entry in pending)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Give tickets written before the composite list keys those keys.")
    parser.add_argument("--workspace", help="workspace slug (default: every workspace)")
    args = parser.parse_args(argv)
    entries = identity.all_registry_entries()
    if args.workspace is not None:
        found = identity.tenant_for_slug(args.workspace)
        if found is None:
            parser.error(f"no workspace {args.workspace!r}")
        entries = [entry for entry in entries if entry.tenant_id == found]
    for entry in entries:
        done = 0
        while not entry.list_keys_ready:
            done += backfill_list_keys(entry)
        print(f"workspace {entry.tenant_id}: list keys ready ({done} tickets looked at)", flush=True)


if __name__ == "__main__":
    main()
