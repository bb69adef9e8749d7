"""Reading one ticket: with its conversation and watchers, or its history."""

from __future__ import annotations

from typing import Any

from chalicelib.data import tickets as repo
from chalicelib.data.models import TicketItem
from chalicelib.domain.errors import NotFound
from chalicelib.domain.permissions import sees_internal_notes
from chalicelib.domain.principal import Principal
from chalicelib.services.presenters import comment_public, history_public, ticket_public


def get_ticket(principal: Principal, ticket_id: str) -> dict[str, Any]:
    found = repo.get_ticket_with_conversation(principal.tenant_id, ticket_id)
    if found is None:
        raise NotFound("No such ticket.")
    internal = sees_internal_notes(principal.permissions)
    return {
        "ticket": ticket_public(found.ticket),
        "comments": [comment_public(c, internal) for c in found.comments],
        "watchers": found.watcher_ids,
    }


def ticket_history(principal: Principal, ticket_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    existing_ticket(principal, ticket_id)
    items, next_cursor = repo.list_history(principal.tenant_id, ticket_id, limit, cursor)
    return {"items": [history_public(h) for h in items], "next_cursor": next_cursor}


def existing_ticket(principal: Principal, ticket_id: str) -> TicketItem:
    """The ticket as stored now (a consistent read), or 404."""
    ticket = repo.get_ticket(principal.tenant_id, ticket_id)
    if ticket is None:
        raise NotFound("No such ticket.")
    return ticket
