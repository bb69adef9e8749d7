"""Tag counts for suggestions: how many tickets carry each tag now, folded from the stream with a
per-ticket marker so a record delivered twice is counted once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.data import keys
from chalicelib.data.models import TagCountItem, TagMarkerItem
from chalicelib.data.store import TransactionConflict, transaction

TAGS_READ = 500  # tag items one suggestion read looks at, at most
ITEMS_PER_TRANSACTION = 100  # TransactWriteItems' limit: markers and tag counts together


@dataclass(frozen=True)
class TagChange:
    """One ticket version's tag change, as counted: tags added and removed by the version."""

    ticket_id: str
    version: int
    added: frozenset[str]
    removed: frozenset[str]
    at: datetime


def count_tag_changes(tenant_id: str, changes: list[TagChange]) -> int:
    """Counts several tickets' tag changes (a stream batch's) in few transactions: each holds a ticket at
    most once and sums the steps of each tag. A transaction refused because a ticket's version was
    counted before (a redelivered record) is done again change by change. Returns how many counted."""
    counted = 0
    for chunk in _chunks(changes):
        try:
            with transaction(tenant_id, None) as tx:
                steps: dict[str, int] = {}
                used_at: dict[str, datetime] = {}
                for change in chunk:
                    tx.save(
                        _marker(tenant_id, change.ticket_id, change.version), condition=_counts_later(change.version)
                    )
                    for tag in change.added:
                        steps[tag] = steps.get(tag, 0) + 1
                        used_at[tag] = max(used_at.get(tag, change.at), change.at)
                    for tag in change.removed:
                        steps[tag] = steps.get(tag, 0) - 1
                for tag in sorted(steps):
                    tx.update(
                        TagCountItem(keys.tag_counts(tenant_id), tag),
                        actions=_count_actions(tenant_id, tag, steps[tag], used_at.get(tag)),
                    )
        except TransactionConflict:
            counted += sum(
                count_tag_change(tenant_id, c.ticket_id, c.version, set(c.added), set(c.removed), c.at) for c in chunk
            )
            continue
        counted += len(chunk)
    return counted


def _chunks(changes: list[TagChange]) -> Iterator[list[TagChange]]:
    chunk: list[TagChange] = []
    tickets: set[str] = set()
    tags: set[str] = set()
    for change in changes:
        touched = tags | change.added | change.removed
        if chunk and (change.ticket_id in tickets or len(chunk) + 1 + len(touched) > ITEMS_PER_TRANSACTION):
            yield chunk
            chunk, tickets, touched = [], set(), set(change.added | change.removed)
        chunk.append(change)
        tickets.add(change.ticket_id)
        tags = touched
    if chunk:
        yield chunk


def _marker(tenant_id: str, ticket_id: str, version: int) -> TagMarkerItem:
    return TagMarkerItem(
        keys.tag_markers(tenant_id), ticket_id, tenant_id=tenant_id, ticket_id=ticket_id, counted_version=version
    )


def _counts_later(version: int) -> Condition:
    condition: Condition = TagMarkerItem.pk.does_not_exist() | (TagMarkerItem.counted_version < version)
    return condition


def _count_actions(tenant_id: str, tag: str, step: int, used_at: datetime | None) -> list[Action]:
    actions: list[Action] = [
        TagCountItem.tickets.add(step),
        TagCountItem.tag.set(tag),
        TagCountItem.tenant_id.set(tenant_id),
        TagCountItem.kind.set(TagCountItem),
    ]
    if used_at is not None:
        actions.append(TagCountItem.last_used_at.set(used_at))
    return actions


def count_tag_change(
    tenant_id: str, ticket_id: str, version: int, added: set[str], removed: set[str], at: datetime
) -> bool:
    """Counts a ticket's tag change once: False when this version (or a later one) was counted already."""
    try:
        with transaction(tenant_id, None) as tx:
            tx.save(_marker(tenant_id, ticket_id, version), condition=_counts_later(version))
            for tag, step in [*((t, 1) for t in sorted(added)), *((t, -1) for t in sorted(removed))]:
                item = TagCountItem(keys.tag_counts(tenant_id), tag)
                tx.update(item, actions=_count_actions(tenant_id, tag, step, at if step > 0 else None))
    except TransactionConflict:
        return False
    return True


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
