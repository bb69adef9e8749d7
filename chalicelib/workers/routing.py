"""Stream triggers of automatic assignment: a ticket starts waiting, room frees up, an agent
comes online or goes away. Every action re-reads and writes conditionally, so a redelivered
record changes nothing twice."""

from __future__ import annotations

from chalicelib.data.models import TicketItem, UserItem, WorkspaceItem
from chalicelib.domain.assignment import RoutingSettings, contribution
from chalicelib.domain.tickets import waiting_for_owner
from chalicelib.services import assignment
from chalicelib.workers.stream import ItemChange


class RoutingSettingsOnce:
    """Each workspace's routing settings, read once per stream batch instead of once per new ticket (a
    change of them in the batch is read again: its record says so)."""

    def __init__(self) -> None:
        self._by_tenant: dict[str, RoutingSettings] = {}

    def of(self, tenant_id: str) -> RoutingSettings:
        if tenant_id not in self._by_tenant:
            self._by_tenant[tenant_id] = assignment.settings_for(tenant_id)
        return self._by_tenant[tenant_id]

    def changed(self, tenant_id: str) -> None:
        self._by_tenant.pop(tenant_id, None)


def route_change(change: ItemChange, settings: RoutingSettingsOnce | None = None) -> None:
    new, old = change.new, change.old
    settings = settings or RoutingSettingsOnce()
    if isinstance(new, TicketItem):
        _on_ticket(new, old if isinstance(old, TicketItem) else None, settings)
    elif isinstance(new, UserItem) and isinstance(old, UserItem):
        _on_user(new, old, settings)
    elif isinstance(new, WorkspaceItem):
        settings.changed(new.tenant_id)
        if isinstance(old, WorkspaceItem) and new.routing != old.routing:
            assignment.assign_waiting(new.tenant_id)


def _on_ticket(new: TicketItem, old: TicketItem | None, settings: RoutingSettingsOnce) -> None:
    starts_waiting = waiting_for_owner(new.status, new.assignee_id) and (
        old is None or not waiting_for_owner(old.status, old.assignee_id)
    )
    if starts_waiting and settings.of(new.tenant_id).auto_assigns(new.queue):
        assignment.auto_assign(new.tenant_id, new.ticket_id)
    if old is not None and _frees_room(old, new):
        assignment.assign_waiting(new.tenant_id)


def _frees_room(old: TicketItem, new: TicketItem) -> bool:
    before = contribution(old.status, old.assignee_id, old.priority)
    after = contribution(new.status, new.assignee_id, new.priority)
    return before is not None and before != after


def _on_user(new: UserItem, old: UserItem, settings: RoutingSettingsOnce) -> None:
    came_online = new.availability == "online" and old.availability != "online"
    more_room = int(new.capacity) > int(old.capacity) or set(new.skills or ()) != set(old.skills or ())
    if new.active and (came_online or (new.availability == "online" and more_room)):
        assignment.assign_waiting(new.tenant_id)
    went_away = old.availability == "online" and new.availability != "online"
    if went_away and settings.of(new.tenant_id).on_unavailable == "return":
        assignment.return_open_tickets(new.tenant_id, new.user_id)
