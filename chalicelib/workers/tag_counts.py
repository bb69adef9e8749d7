"""The workflows consumer's tag counting: what the tag suggestions read."""

from __future__ import annotations

from chalicelib.services.tags import TagChanges
from chalicelib.workers.stream import ItemChange


def count_ticket_tags(change: ItemChange, counts: TagChanges) -> None:
    """Gathered into the batch's ``counts`` (written once the batch is handled)."""
    counts.collect(change.old if change.event_name != "INSERT" else None, change.new)
