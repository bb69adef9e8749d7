"""Stream triggers of automatic assignment: a ticket starts waiting, room frees up, an agent
comes online or goes away. Every action re-reads and writes conditionally, so a redelivered
record changes nothing twice.

A stream batch serves each workspace's waiting queue once: its records only note what they ask for
(``BatchRouting``), and the queue is then served for all of them together. Serving it once per record
read the whole team (every agent and their load) again for each: up to 40,000 items for a batch of 100
records in a 200-agent workspace, where one serving reads about 400.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.data.models import QueueItem, TicketItem, UserItem, WorkspaceItem
from chalicelib.domain.assignment import RoutingSettings, contribution
from chalicelib.domain.tickets import waiting_for_owner
from chalicelib.observability import logger
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


@dataclass
class _QueueToServe:
    asked_by: list[str] = field(default_factory=list)  # the records' identifiers
    include: dict[str, TicketItem] = field(default_factory=dict)  # tickets that started waiting


class BatchRouting:
    def __init__(self) -> None:
        self.settings = RoutingSettingsOnce()
        self._queues: dict[str, _QueueToServe] = {}

    def serve_queue(self, tenant_id: str, record_id: str, waiting: TicketItem | None = None) -> None:
        queue = self._queues.setdefault(tenant_id, _QueueToServe())
        queue.asked_by.append(record_id)
        if waiting is not None:
            queue.include[waiting.ticket_id] = waiting

    def serve(self) -> set[str]:
        """Serves every queue asked for; answers the records whose workspace's queue failed (they are
        delivered again, and the queue served again: assignment writes are conditional)."""
        failed: set[str] = set()
        for tenant_id, queue in self._queues.items():
            try:
                settings = self.settings.of(tenant_id)
                assignment.assign_waiting(tenant_id, queue.include.values(), settings)
            except Exception:
                logger.exception("serving the waiting queue failed", extra={"tenant_id": tenant_id})
                failed.update(queue.asked_by)
        self._queues.clear()
        return failed


def route_change(change: ItemChange, routing: BatchRouting, record_id: str) -> None:
    new, old = change.new, change.old
    if isinstance(new, TicketItem):
        _on_ticket(new, old if isinstance(old, TicketItem) else None, routing, record_id)
    elif isinstance(change.current, UserItem | QueueItem):
        if _changes_team(old, new):
            assignment.forget_team(change.current.tenant_id)
        if isinstance(new, UserItem) and isinstance(old, UserItem):
            _on_user(new, old, routing, record_id)
    elif isinstance(new, WorkspaceItem):
        routing.settings.changed(new.tenant_id)
        if isinstance(old, WorkspaceItem) and new.routing != old.routing:
            routing.serve_queue(new.tenant_id, record_id)


def _on_ticket(new: TicketItem, old: TicketItem | None, routing: BatchRouting, record_id: str) -> None:
    starts_waiting = waiting_for_owner(new.status, new.assignee_id) and (
        old is None or not waiting_for_owner(old.status, old.assignee_id)
    )
    if starts_waiting and routing.settings.of(new.tenant_id).auto_assigns(new.queue):
        routing.serve_queue(new.tenant_id, record_id, waiting=new)
    if old is not None and _frees_room(old, new):
        routing.serve_queue(new.tenant_id, record_id)


def _frees_room(old: TicketItem, new: TicketItem) -> bool:
    before = contribution(old.status, old.assignee_id, old.priority)
    after = contribution(new.status, new.assignee_id, new.priority)
    return before is not None and before != after


TEAM_FIELDS = ("role", "active", "name", "availability", "skills", "capacity", "member_ids")


def _changes_team(old: object, new: object) -> bool:
    """A change routing plans with (not a user's last-seen time, say)."""
    if old is None or new is None:
        return True
    return any(getattr(old, name, None) != getattr(new, name, None) for name in TEAM_FIELDS)


def _on_user(new: UserItem, old: UserItem, routing: BatchRouting, record_id: str) -> None:
    came_online = new.availability == "online" and old.availability != "online"
    more_room = int(new.capacity) > int(old.capacity) or set(new.skills or ()) != set(old.skills or ())
    if new.active and (came_online or (new.availability == "online" and more_room)):
        routing.serve_queue(new.tenant_id, record_id)
    went_away = old.availability == "online" and new.availability != "online"
    if went_away and routing.settings.of(new.tenant_id).on_unavailable == "return":
        assignment.return_open_tickets(new.tenant_id, new.user_id)
