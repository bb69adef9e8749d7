"""Tag counts for suggestions: how many tickets carry each tag now, folded from the stream with a
per-ticket marker so a record delivered twice is counted once."""

from __future__ import annotations

from datetime import datetime

from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.data import keys
from chalicelib.data.models import TagCountItem, TagMarkerItem
from chalicelib.data.store import TransactionConflict, transaction

TAGS_READ = 500  # tag items one suggestion read looks at, at most


def count_tag_change(
    tenant_id: str, ticket_id: str, version: int, added: set[str], removed: set[str], at: datetime
) -> bool:
    """Counts a ticket's tag change once: False when this version (or a later one) was counted already."""
    marker = TagMarkerItem(
        keys.tag_markers(tenant_id), ticket_id, tenant_id=tenant_id, ticket_id=ticket_id, counted_version=version
    )
    try:
        with transaction(tenant_id, None) as tx:
            _write(tx, marker, version, tenant_id, added, removed, at)
    except TransactionConflict:
        return False
    return True


def _write(
    tx: TransactWrite,
    marker: TagMarkerItem,
    version: int,
    tenant_id: str,
    added: set[str],
    removed: set[str],
    at: datetime,
) -> None:
    tx.save(
        marker,
        condition=TagMarkerItem.pk.does_not_exist() | (TagMarkerItem.counted_version < version),
    )
    for tag, step in [*((t, 1) for t in sorted(added)), *((t, -1) for t in sorted(removed))]:
        item = TagCountItem(keys.tag_counts(tenant_id), tag)
        actions: list[Action] = [
            TagCountItem.tickets.add(step),
            TagCountItem.tag.set(tag),
            TagCountItem.tenant_id.set(tenant_id),
            TagCountItem.kind.set(TagCountItem),
        ]
        if step > 0:
            actions.append(TagCountItem.last_used_at.set(at))
        tx.update(item, actions=actions)


def list_tag_counts(tenant_id: str) -> list[TagCountItem]:
    """At most TAGS_READ tags of the workspace (in tag order): one bounded Query."""
    return list(TagCountItem.query(keys.tag_counts(tenant_id), limit=TAGS_READ))


def set_counted(tenant_id: str, versions: dict[str, int], counts: dict[str, int]) -> None:
    """A recount's result: each ticket's marker at the version read (later stream records still count,
    earlier or repeated ones do not), then every tag's count as recounted (tags no ticket carries: 0)."""
    with TagMarkerItem.batch_write() as batch:
        for ticket_id, version in versions.items():
            batch.save(
                TagMarkerItem(
                    keys.tag_markers(tenant_id),
                    ticket_id,
                    tenant_id=tenant_id,
                    ticket_id=ticket_id,
                    counted_version=version,
                )
            )
    known = {str(item.tag): item for item in TagCountItem.query(keys.tag_counts(tenant_id))}
    with TagCountItem.batch_write() as batch:
        for tag in sorted(set(known) | set(counts)):
            item = known.get(tag) or TagCountItem(keys.tag_counts(tenant_id), tag, tenant_id=tenant_id, tag=tag)
            item.tickets = counts.get(tag, 0)
            batch.save(item)
