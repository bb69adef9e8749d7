"""One change applied to many tickets (POST /tickets/bulk): each ticket is its own typed change,
through the one write path, against the version the caller saw. One ticket's conflict or refusal
never stops or undoes the others; the answer says per ticket what happened."""

from __future__ import annotations

from typing import Any

from chalicelib.contracts.desk import BulkResultOut, TicketBulkOut
from chalicelib.domain.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
    invalid,
)
from chalicelib.domain.principal import Principal
from chalicelib.services.presenters import ticket_public
from chalicelib.services.ticket_reads import existing_ticket
from chalicelib.services.ticket_writes import update_ticket


def bulk_update(principal: Principal, tickets: list[dict[str, Any]], changes: dict[str, Any]) -> TicketBulkOut:
    if not changes:
        raise invalid(
            "changes", "name at least one of status, priority, queue, tags, tags_add, tags_remove or assignee_id"
        )
    if changes.get("tags") is not None and (changes.get("tags_add") or changes.get("tags_remove")):
        raise invalid("changes.tags", "replaces every tag: send it alone, or tags_add and tags_remove")
    both = set(changes.get("tags_add") or ()) & set(changes.get("tags_remove") or ())
    if both:
        raise invalid("changes.tags_remove", f"also adds {', '.join(sorted(both))}; a tag is either added or removed")
    ids = [t["id"] for t in tickets]
    if len(set(ids)) != len(ids):
        raise invalid("tickets", "lists a ticket twice; send each ticket once")
    results = [_apply(principal, ref["id"], ref["version"], changes) for ref in tickets]
    return TicketBulkOut(
        results=results,
        applied=sum(r.outcome == "applied" for r in results),
        unchanged=sum(r.outcome == "unchanged" for r in results),
        conflicts=sum(r.outcome == "conflict" for r in results),
        errors=sum(r.outcome == "error" for r in results),
    )


def _apply(principal: Principal, ticket_id: str, version: int, changes: dict[str, Any]) -> BulkResultOut:
    try:
        ticket = update_ticket(principal, ticket_id, dict(changes), version)
    except NotFound as error:
        return _error(ticket_id, "not_found", error.detail)
    except Forbidden as error:
        return _error(ticket_id, "forbidden", error.detail)
    except (ValidationFailed, InvalidTransition) as error:
        return _error(ticket_id, "invalid", error.detail)
    except Conflict as error:  # a stale version, or the ticket kept changing under every retry
        current = ticket_public(existing_ticket(principal, ticket_id))
        return BulkResultOut(id=ticket_id, outcome="conflict", error=None, detail=error.detail, ticket=current)
    if ticket.version == version:
        return BulkResultOut(id=ticket_id, outcome="unchanged", error=None, detail=None, ticket=ticket)
    return BulkResultOut(id=ticket_id, outcome="applied", error=None, detail=None, ticket=ticket)


def _error(ticket_id: str, kind: Any, detail: str) -> BulkResultOut:
    return BulkResultOut(id=ticket_id, outcome="error", error=kind, detail=detail, ticket=None)
