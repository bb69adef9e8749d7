"""Business events counted from the stream: a ticket created, solved or given an owner is counted
when its stored change is read, not by the request that wrote it, so write retries, rejected
writes and every path that changes a ticket (people, API keys, the router, the seed) count alike.
The workflows consumer calls this once a record has been handled, so a record retried after a
failure is counted by the attempt that succeeds."""

from __future__ import annotations

from chalicelib.data.models import TicketItem
from chalicelib.observability import BusinessEvent, count
from chalicelib.workers.stream import ItemChange


def ticket_milestones(change: ItemChange) -> list[BusinessEvent]:
    new = change.new
    if not isinstance(new, TicketItem):
        return []
    old = change.old if isinstance(change.old, TicketItem) and change.event_name != "INSERT" else None
    reached = []
    if old is None:
        reached.append(BusinessEvent.TICKET_CREATED)
    if new.status == "solved" and (old is None or old.status != "solved"):
        reached.append(BusinessEvent.TICKET_SOLVED)
    if new.assignee_id and new.assignee_id != (old.assignee_id if old else None):
        reached.append(BusinessEvent.ASSIGNMENT_MADE)
    return reached


def count_ticket_milestones(change: ItemChange) -> None:
    for event in ticket_milestones(change):
        count(event)
