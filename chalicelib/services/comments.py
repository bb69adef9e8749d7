"""Answering a ticket: a public reply or an internal note."""

from __future__ import annotations

from typing import Any

from chalicelib.data.store import new_id
from chalicelib.data.ticket_changes import Committed, commit, retrying, ticket_of
from chalicelib.domain.clock import utcnow
from chalicelib.domain.principal import Principal
from chalicelib.domain.ticket_change import AddComment, comment
from chalicelib.services.presenters import comment_public, ticket_public
from chalicelib.services.sla_context import sla_context
from chalicelib.services.ticket_reads import existing_ticket


def add_comment(principal: Principal, ticket_id: str, body: str, public: bool) -> dict[str, Any]:
    """Comments never conflict with a colleague's edit: on a version race the reply is re-applied
    to the ticket as it is now."""
    request = AddComment(new_id(), body, public)

    def attempt() -> Committed:
        current = ticket_of(existing_ticket(principal, ticket_id))
        change = comment(current, principal.as_actor(), request, utcnow(), sla_context(principal.tenant_id))
        return commit(principal.tenant_id, change)

    committed = retrying(attempt, "The ticket is changing too fast; try again.")
    assert committed.comment is not None  # commit returns the comment a comment change carries
    return {"comment": comment_public(committed.comment, True), "ticket": ticket_public(committed.ticket)}
