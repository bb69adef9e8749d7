"""Agent load counters and the workspace's routing settings."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys
from chalicelib.data.models import AgentLoadItem, TicketItem, WorkspaceItem
from chalicelib.data.store import transaction
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.ticket_query import SPAM_SHADOW

WAITING_SCAN_LIMIT = 500


def load_item(tenant_id: str, user_id: str) -> AgentLoadItem:
    try:
        return AgentLoadItem.get(keys.agent_loads(tenant_id), user_id, consistent_read=True)
    except DoesNotExist:
        return AgentLoadItem(
            keys.agent_loads(tenant_id), user_id, tenant_id=tenant_id, user_id=user_id, open_by_priority={}
        )


# What planning reads of a counter (not its keys or tenant): one item per agent, read for every ticket placed.
_PLANNED_LOAD = [
    AgentLoadItem.kind.attr_name,
    AgentLoadItem.user_id.attr_name,
    AgentLoadItem.open_by_priority.attr_name,
    AgentLoadItem.last_assigned_at.attr_name,
    AgentLoadItem.version.attr_name,
]


def all_loads(tenant_id: str) -> dict[str, AgentLoadItem]:
    """Every agent's counter as the router plans with it (read, not to be saved: a commit reads its own)."""
    counters = AgentLoadItem.query(keys.agent_loads(tenant_id), consistent_read=True, attributes_to_get=_PLANNED_LOAD)
    return {item.user_id: item for item in counters}


def save_loads(tenant_id: str, loads: list[AgentLoadItem], audit: AuditEntry | None) -> None:
    with transaction(tenant_id, audit) as tx:
        for load in loads:
            tx.save(load)


def waiting_tickets(tenant_id: str, open_statuses: tuple[str, ...]) -> list[TicketItem]:
    """Unassigned, unsolved tickets: one Query on the unassigned partition of the assignee index."""
    results = TicketItem.by_assignee.query(
        keys.ticket_partition(tenant_id, "assignee", "none"),
        filter_condition=TicketItem.status.is_in(*open_statuses),
        limit=WAITING_SCAN_LIMIT,
    )
    return [t for t in results if isinstance(t, TicketItem)]


def assigned_open_tickets(
    tenant_id: str, user_id: str, open_statuses: tuple[str, ...], attributes: list[str] | None = None
) -> list[TicketItem]:
    """Every unsolved ticket of one agent, spam they were given included (it counts towards their load);
    read with only ``attributes`` when given."""
    found: list[TicketItem] = []
    for kind in ("assignee", SPAM_SHADOW + "assignee"):
        results = TicketItem.by_assignee.query(
            keys.ticket_partition(tenant_id, kind, user_id),
            filter_condition=TicketItem.status.is_in(*open_statuses),
            attributes_to_get=attributes,
        )
        found += [t for t in results if isinstance(t, TicketItem)]
    return found


def open_by_priority(tenant_id: str, user_id: str, open_statuses: tuple[str, ...]) -> dict[str, int]:
    """An agent's unsolved tickets counted by priority, from the tickets (what their load counter should say):
    each ticket read with its priority alone, as the recount reads every open ticket of the team."""
    counts: dict[str, int] = {}
    attributes = [TicketItem.kind.attr_name, TicketItem.priority.attr_name]
    for ticket in assigned_open_tickets(tenant_id, user_id, open_statuses, attributes):
        counts[ticket.priority] = counts.get(ticket.priority, 0) + 1
    return counts


def routing_settings(tenant_id: str) -> dict[str, Any] | None:
    try:
        routing: dict[str, Any] | None = WorkspaceItem.get(*keys.workspace(tenant_id)).routing
        return routing
    except DoesNotExist:
        return None


def save_routing_settings(tenant_id: str, routing: dict[str, Any], audit: AuditEntry) -> None:
    workspace = WorkspaceItem(*keys.workspace(tenant_id), tenant_id=tenant_id)
    with transaction(tenant_id, audit) as tx:
        tx.update(workspace, actions=[WorkspaceItem.routing.set(routing)], condition=WorkspaceItem.pk.exists())
