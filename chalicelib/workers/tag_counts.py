"""The workflows consumer's tag counting: what the tag suggestions read."""

from __future__ import annotations

from chalicelib.services.tags import count_tags
from chalicelib.workers.stream import ItemChange


def count_ticket_tags(change: ItemChange) -> None:
    count_tags(change.old if change.event_name != "INSERT" else None, change.new)
