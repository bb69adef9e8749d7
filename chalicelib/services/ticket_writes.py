"""Creating and changing a ticket's fields, and handing it back to the queue. Each is one
``TicketChange`` decided by the domain and committed by the data layer."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.contracts.responses import TicketOut
from chalicelib.data import identity
from chalicelib.data import tickets as repo
from chalicelib.data.models import TicketItem
from chalicelib.data.store import TransactionConflict, new_id
from chalicelib.data.ticket_changes import commit, retrying, ticket_of
from chalicelib.domain.actors import ROUTER
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import Conflict, Forbidden, PreconditionRequired, invalid
from chalicelib.domain.permissions import Permission, Role
from chalicelib.domain.principal import Principal
from chalicelib.domain.ticket_change import (
    KEEP,
    CreateTicket,
    Release,
    Requester,
    UpdateTicket,
    create,
    release,
    update,
)
from chalicelib.domain.tickets import MAX_TAGS, adjusted_tags
from chalicelib.services.presenters import ticket_public, ticket_snapshot
from chalicelib.services.queues import may_work
from chalicelib.services.sla_context import sla_context
from chalicelib.services.ticket_reads import existing_ticket


def create_ticket(principal: Principal, fields: dict[str, Any]) -> TicketOut:
    tenant_id = principal.tenant_id
    if fields.get("assignee_id") is not None:
        check_assignment(principal, current=None, requested=fields["assignee_id"], queue=fields["queue"])
    request = CreateTicket(
        ticket_id=new_id(),
        number=repo.next_ticket_number(tenant_id),
        subject=fields["subject"],
        description=fields["description"],
        requester=Requester(fields["requester"]["email"], fields["requester"]["name"]),
        priority=fields["priority"],
        queue=fields["queue"],
        tags=tuple(fields["tags"]),
        assignee_id=fields.get("assignee_id"),
        channel=fields.get("channel"),
    )
    change = create(principal.as_actor(), request, utcnow(), sla_context(tenant_id))
    # only the assignee's load counter can race here; the number is already ours
    committed = retrying(lambda: commit(tenant_id, change), "The assignee's workload is changing too fast; try again.")
    return ticket_public(committed.ticket)


def update_ticket(
    principal: Principal, ticket_id: str, changes: dict[str, Any], expected_version: int | None
) -> TicketOut:
    """Applies the changes only to the version the caller edited: a stale version answers 409 with
    the current ticket. A race on an agent's load counter alone is retried, not reported."""
    if expected_version is None:
        raise PreconditionRequired("Send the version you edited, as If-Match or as 'version'.")
    base = UpdateTicket(
        status=changes.get("status"),
        priority=changes.get("priority"),
        queue=changes.get("queue"),
        tags=tuple(changes["tags"]) if changes.get("tags") is not None else None,
        assignee_id=changes.get("assignee_id", KEEP),
    )

    def attempt() -> TicketItem:
        item = existing_ticket(principal, ticket_id)
        if int(item.version) != expected_version:
            raise stale(item)
        request = _with_tag_adjustments(base, item, changes)
        if request.assignee_id is not KEEP and request.assignee_id != item.assignee_id:
            queue = request.queue or item.queue
            check_assignment(principal, current=item.assignee_id, requested=request.assignee_id, queue=queue)
        sla = sla_context(principal.tenant_id)
        change = update(ticket_of(item), principal.as_actor(), request, utcnow(), sla)
        return item if change is None else commit(principal.tenant_id, change).ticket

    return ticket_public(retrying(attempt, "The ticket is changing too fast; try again."))


def _with_tag_adjustments(request: UpdateTicket, item: TicketItem, changes: dict[str, Any]) -> UpdateTicket:
    """Tags added or removed (a bulk change) apply to the tags this ticket has, not a list for all."""
    if not changes.get("tags_add") and not changes.get("tags_remove"):
        return request
    current = [str(tag) for tag in item.tags or ()]
    tags = adjusted_tags(current, changes.get("tags_add") or (), changes.get("tags_remove") or ())
    if len(tags) > MAX_TAGS:
        raise invalid("tags_add", f"would give the ticket more than {MAX_TAGS} tags")
    return replace(request, tags=tags)


def release_ticket(ticket: TicketItem, reason: str) -> bool:
    """Hands an assigned ticket back to the queue on the system's behalf; False if it moved
    meanwhile (then whoever moved it decided, and nothing is retried)."""
    change = release(ticket_of(ticket), ROUTER, Release(reason), utcnow())
    if change is None:
        return False
    try:
        commit(ticket.tenant_id, change)
    except TransactionConflict:
        return False
    return True


def check_assignment(
    principal: Principal, current: str | None, requested: str | None, queue: str | None = None
) -> None:
    """Taking an unassigned ticket or releasing one's own needs no more than editing; anything
    else needs 'tickets.assign'. An assignee must be an active agent of the workspace and, when the
    ticket's queue names who may work it, one of them."""
    if not principal.can(Permission.TICKETS_ASSIGN):
        taking = current is None and requested is not None and requested == principal.user_id
        releasing = current is not None and current == principal.user_id and requested is None
        if not (taking or releasing):
            raise Forbidden(
                "You may take an unassigned ticket or release your own; assigning others needs 'tickets.assign'."
            )
    if requested is not None:
        user = identity.get_user(principal.tenant_id, requested)
        if user is None or not user.active or user.role == Role.VIEWER:
            raise invalid("assignee_id", "is not an active agent of this workspace")
        if queue is not None and not may_work(principal.tenant_id, queue, requested):
            raise invalid("assignee_id", f"does not work the queue '{queue}' (see Settings → Queues)")


def stale(current: TicketItem) -> Conflict:
    return Conflict(
        "Someone changed this ticket since you loaded it. Review the current version and re-apply your change.",
        current=ticket_snapshot(current),
    )
