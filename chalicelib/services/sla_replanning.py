"""Re-planning open tickets after the workspace's SLA policies or business hours changed: run by the
workflows stream consumer on the settings item's change, never inside the request that made it.
Each ticket is one typed change by the system (``ReplanSla``), committed over the version read; a
ticket whose deadlines do not move is not written, so a redelivered record changes nothing twice."""

from __future__ import annotations

from chalicelib.data import tickets
from chalicelib.data.models import TicketItem
from chalicelib.data.ticket_changes import commit, retrying, ticket_of
from chalicelib.domain.actors import ROUTER
from chalicelib.domain.clock import utcnow
from chalicelib.domain.sla_policies import SlaContext
from chalicelib.domain.ticket_change import ReplanSla, replan
from chalicelib.domain.tickets import OPEN_STATUSES
from chalicelib.observability import logger
from chalicelib.services.sla_context import fresh_sla_context


def replan_open_tickets(tenant_id: str, reason: str) -> int:
    """Plans every unsolved ticket of the workspace again with the settings as stored now.
    Returns how many tickets' deadlines moved."""
    sla = fresh_sla_context(tenant_id)
    moved = 0
    for listed in tickets.tickets_in_statuses(tenant_id, OPEN_STATUSES):
        moved += _replan_one(tenant_id, listed.ticket_id, sla, reason)
    logger.info("sla re-planned", extra={"tenant_id": tenant_id, "moved": moved, "reason": reason})
    return moved


def _replan_one(tenant_id: str, ticket_id: str, sla: SlaContext, reason: str) -> int:
    def attempt() -> int:
        item: TicketItem | None = tickets.get_ticket(tenant_id, ticket_id)
        if item is None:
            return 0
        change = replan(ticket_of(item), ROUTER, ReplanSla(reason), utcnow(), sla)
        if change is None:
            return 0
        commit(tenant_id, change)
        return 1

    # A ticket that keeps losing races fails the stream record, which is retried (re-planning twice
    # changes nothing).
    return retrying(attempt, "The ticket kept changing while its SLA was re-planned.")
