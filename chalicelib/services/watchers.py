"""Following a ticket: who is told about its changes besides its assignee."""

from __future__ import annotations

from typing import Any

from chalicelib.data import identity
from chalicelib.data import tickets as repo
from chalicelib.data.ticket_changes import commit, retrying, ticket_of, watchers_of
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import invalid
from chalicelib.domain.permissions import Permission
from chalicelib.domain.principal import Principal
from chalicelib.domain.ticket_change import SetWatching, watch
from chalicelib.services.ticket_reads import existing_ticket


def set_watching(principal: Principal, ticket_id: str, user_id: str, watching: bool) -> dict[str, Any]:
    """Adds or removes one watcher. Idempotent: asking for the state it is already in changes
    nothing and records nothing. Never touches the ticket's version."""
    resolved: list[str] = []  # the watcher, checked once (after the ticket is known to exist)

    def attempt() -> list[str]:
        current = ticket_of(existing_ticket(principal, ticket_id))
        if not resolved:
            resolved.append(_watcher_id(principal, user_id, must_exist=watching))
        watchers = watchers_of(repo.get_watchers(principal.tenant_id, ticket_id))
        change = watch(current, principal.as_actor(), SetWatching(resolved[0], watching, watchers), utcnow())
        if change is None:
            return list(watchers.user_ids)
        return list(commit(principal.tenant_id, change).watcher_ids)

    return {"watchers": retrying(attempt, "The watchers of this ticket are changing too fast; try again.")}


def _watcher_id(principal: Principal, user_id: str, must_exist: bool) -> str:
    """Anyone who can read the ticket may watch it; choosing for others is like assigning."""
    if user_id == "me":
        if principal.user_id is None:
            raise invalid("user_id", "'me' needs a signed-in user; an API key must name the user")
        return principal.user_id
    if user_id != principal.user_id:
        principal.require(Permission.TICKETS_ASSIGN)
    if must_exist:
        user = identity.get_user(principal.tenant_id, user_id)
        if user is None or not user.active:
            raise invalid("user_id", "is not an active user of this workspace")
    return user_id
