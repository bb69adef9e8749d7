"""Stream side of contacts: a new ticket counts on its requester's contact; a requester's message
marks them seen. Both writes are idempotent, so a redelivered record changes nothing."""

from __future__ import annotations

from chalicelib.data.models import CommentItem, TicketItem
from chalicelib.services.contacts import record_new_tickets, record_requester_seen
from chalicelib.workers.stream import ItemChange


class ContactChanges:
    """A stream batch's new tickets, counted on their contacts together by :meth:`write` (one transaction
    per requester, not one per ticket); a requester's sighting is written at once (it is rare)."""

    def __init__(self) -> None:
        self._new_tickets: list[TicketItem] = []

    def keep(self, change: ItemChange) -> None:
        if change.event_name != "INSERT":
            return
        if isinstance(change.new, TicketItem):
            self._new_tickets.append(change.new)
        elif isinstance(change.new, CommentItem) and (change.new.author or {}).get("type") == "requester":
            record_requester_seen(change.new.tenant_id, str(change.new.author.get("id", "")), change.new.created_at)

    def write(self) -> None:
        tickets, self._new_tickets = self._new_tickets, []
        record_new_tickets(tickets)


def keep_contacts(change: ItemChange, contacts: ContactChanges) -> None:
    contacts.keep(change)
