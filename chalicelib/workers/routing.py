"""Stream triggers of automatic assignment: a ticket starts waiting, room frees up, an agent
comes online or goes away. Every action re-reads and writes conditionally, so a redelivered
record changes nothing twice."""

from __future__ import annotations

from chalicelib.data.models import TicketItem, UserItem, WorkspaceItem
from chalicelib.domain.assignment import contribution
from chalicelib.domain.tickets import waiting_for_owner
from chalicelib.services import assignment
from chalicelib.workers.stream import ItemChange


def route_change(change: ItemChange) -> None:
    new, old = change.new, change.old
    if isinstance(new, TicketItem):
        _on_ticket(new, old if isinstance(old, TicketItem) else None)
    elif isinstance(new, UserItem) and isinstance(old, UserItem):
        _on_user(new, old)
    elif isinstance(new, WorkspaceItem) and isinstance(old, WorkspaceItem) and new.routing != old.routing:
        assignment.assign_waiting(new.tenant_id)


def _on_ticket(new: TicketItem, old: TicketItem | None) -> None:
    starts_waiting = waiting_for_owner(new.status, new.assignee_id) and (
        old is None or not waiting_for_owner(old.status, old.assignee_id)
    )
    if starts_waiting and assignment.settings_for(new.tenant_id).auto_assigns(new.queue):
        assignment.auto_assign(new.tenant_id, new.ticket_id)
    if old is not None and _frees_room(old, new):
        assignment.assign_waiting(new.tenant_id)


def _frees_room(old: TicketItem, new: TicketItem) -> bool:
    before = contribution(old.status, old.assignee_id, old.priority)
    after = contribution(new.status, new.assignee_id, new.priority)
    return before is not None and before != after


def _on_user(new: UserItem, old: UserItem) -> None:
    came_online = new.availability == "online" and old.availability != "online"
    more_room = int(new.capacity) > int(old.capacity) or set(new.skills or ()) != set(old.skills or ())
    if new.active and (came_online or (new.availability == "online" and more_room)):
        assignment.assign_waiting(new.tenant_id)
    went_away = old.availability == "online" and new.availability != "online"
    if went_away and assignment.settings_for(new.tenant_id).on_unavailable == "return":
        assignment.return_open_tickets(new.tenant_id, new.user_id)
