"""Stream side of contacts: a new ticket counts on its requester's contact; a requester's message
marks them seen. Both writes are idempotent, so a redelivered record changes nothing."""

from __future__ import annotations

from chalicelib.data.models import CommentItem, TicketItem
from chalicelib.services.contacts import record_new_ticket, record_requester_seen
from chalicelib.workers.stream import ItemChange


def keep_contacts(change: ItemChange) -> None:
    if change.event_name != "INSERT":
        return
    if isinstance(change.new, TicketItem):
        record_new_ticket(change.new)
    elif isinstance(change.new, CommentItem) and (change.new.author or {}).get("type") == "requester":
        record_requester_seen(change.new.tenant_id, str(change.new.author.get("id", "")), change.new.created_at)
