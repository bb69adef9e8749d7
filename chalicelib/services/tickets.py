"""Creating, changing, answering and listing tickets."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from chalicelib.contracts.responses import TicketOut
from chalicelib.data import identity
from chalicelib.data import tickets as repo
from chalicelib.data.models import TicketItem
from chalicelib.data.store import TransactionConflict, backoff, new_id
from chalicelib.domain import tickets as lifecycle
from chalicelib.domain.assignment import contribution
from chalicelib.domain.clock import maybe_text, utcnow
from chalicelib.domain.errors import Conflict, Forbidden, NotFound, PreconditionRequired, invalid
from chalicelib.domain.permissions import Permission, Role, sees_internal_notes
from chalicelib.domain.principal import SYSTEM_ACTOR, Principal
from chalicelib.domain.ticket_query import UNASSIGNED, TicketFilter, plan_ticket_query, validate_filter
from chalicelib.services.assignment import load_changes
from chalicelib.services.presenters import comment_public, history_public, ticket_public, ticket_snapshot

WRITE_ATTEMPTS = 8


def create_ticket(principal: Principal, fields: dict[str, Any]) -> TicketOut:
    now = utcnow()
    assignee_id = fields.get("assignee_id")
    if assignee_id is not None:
        _check_assignment(principal, current=None, requested=assignee_id)
    state = lifecycle.initial_state(fields["priority"], now)
    ticket = repo.new_ticket_item(
        principal.tenant_id,
        new_id(),
        number=repo.next_ticket_number(principal.tenant_id),
        subject=fields["subject"],
        description=fields["description"],
        requester={"email": fields["requester"]["email"].lower(), "name": fields["requester"]["name"]},
        status=state.status,
        priority=state.priority,
        assignee_id=assignee_id,
        queue=fields["queue"],
        tags=sorted(set(fields["tags"])),
        channel=fields.get("channel") or _default_channel(principal),
        created_at=now,
        updated_at=now,
        sla_due_at=state.sla_due_at,
        last_change={"actor": principal.actor(), "fields": [], "at": now.isoformat(), "kind": "created"},
    )
    history = repo.history_item(
        ticket, now, principal.actor(), [{"field": "created", "from": None, "to": ticket.status}]
    )
    audit = _audit(principal, "ticket.created", ticket, None, ticket_snapshot(ticket))
    for attempt in range(WRITE_ATTEMPTS):
        try:  # only the assignee's load counter can race here; the number is already ours
            repo.create_ticket(
                ticket, history, audit=audit, loads=load_changes(principal.tenant_id, None, _contribution(ticket))
            )
        except TransactionConflict:
            backoff(attempt)
            continue
        return ticket_public(ticket)
    raise Conflict("The assignee's workload is changing too fast; try again.")


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


def update_ticket(
    principal: Principal, ticket_id: str, changes: dict[str, Any], expected_version: int | None
) -> TicketOut:
    """Applies the changes only to the version the caller edited: a stale version answers 409 with
    the current ticket. A race on an agent's load counter alone is retried, not reported."""
    if expected_version is None:
        raise PreconditionRequired("Send the version you edited, as If-Match or as 'version'.")
    for attempt in range(WRITE_ATTEMPTS):
        ticket = _existing(principal, ticket_id)
        if int(ticket.version) != expected_version:
            raise _stale(ticket)
        before_load = _contribution(ticket)
        recorded = _apply_changes(principal, ticket, changes)
        if not recorded:
            return ticket_public(ticket)
        now = ticket.updated_at
        history = repo.history_item(ticket, now, principal.actor(), recorded)
        ticket.last_change = {"actor": principal.actor(), "fields": recorded, "at": now.isoformat(), "kind": "updated"}
        audit = _audit(
            principal,
            "ticket.updated",
            ticket,
            {c["field"]: c["from"] for c in recorded},
            {c["field"]: c["to"] for c in recorded},
        )
        try:
            repo.save_ticket(
                ticket,
                history,
                audit=audit,
                loads=load_changes(principal.tenant_id, before_load, _contribution(ticket)),
            )
        except TransactionConflict:
            backoff(attempt)
            continue
        return ticket_public(ticket)
    raise Conflict("The ticket is changing too fast; try again.")


def release_ticket(ticket: TicketItem, reason: str) -> bool:
    """Hands an assigned ticket back to the queue on the system's behalf; False if it moved meanwhile."""
    now = utcnow()
    before_load = _contribution(ticket)
    fields = [{"field": "assignee_id", "from": ticket.assignee_id, "to": None}]
    ticket.assignee_id = None
    ticket.updated_at = now
    ticket.last_change = {
        "actor": SYSTEM_ACTOR,
        "fields": fields,
        "at": now.isoformat(),
        "kind": "released",
        "automatic": True,
    }
    history = repo.history_item(ticket, now, SYSTEM_ACTOR, fields, note={"automatic": True, "reason": reason})
    audit = {
        "actor": SYSTEM_ACTOR,
        "action": "ticket.released",
        "target": {"type": "ticket", "id": ticket.ticket_id},
        "before": {"assignee_id": fields[0]["from"]},
        "after": {"assignee_id": None},
    }
    try:
        repo.save_ticket(ticket, history, audit=audit, loads=load_changes(ticket.tenant_id, before_load, None))
    except TransactionConflict:
        return False
    return True


def _apply_changes(principal: Principal, ticket: TicketItem, changes: dict[str, Any]) -> list[dict[str, Any]]:
    now = utcnow()
    state = _state(ticket)
    change = lifecycle.Change(state)
    if "assignee_id" in changes and changes["assignee_id"] != ticket.assignee_id:
        _check_assignment(principal, current=ticket.assignee_id, requested=changes["assignee_id"])
        change.record("assignee_id", ticket.assignee_id, changes["assignee_id"])
        ticket.assignee_id = changes["assignee_id"]
    if changes.get("status") is not None:
        state = lifecycle.change_status(state, changes["status"], now)
    if changes.get("priority") is not None:
        state = lifecycle.change_priority(state, changes["priority"])
    for name in ("status", "priority"):
        change.record(name, getattr(ticket, name), getattr(state, name))
    if changes.get("queue") is not None:
        change.record("queue", ticket.queue, changes["queue"])
        ticket.queue = changes["queue"]
    if changes.get("tags") is not None:
        tags = sorted(set(changes["tags"]))
        change.record("tags", list(ticket.tags or []), tags)
        ticket.tags = tags
    if change.fields:
        _store_state(ticket, state)
        ticket.updated_at = now
    return change.fields


def add_comment(principal: Principal, ticket_id: str, body: str, public: bool) -> dict[str, Any]:
    """Comments never conflict with a colleague's edit: on a version race the reply is re-applied."""
    for attempt in range(WRITE_ATTEMPTS):
        ticket = _existing(principal, ticket_id)
        try:
            return _save_comment(principal, ticket, body, public)
        except TransactionConflict:
            backoff(attempt)
    raise Conflict("The ticket is changing too fast; try again.")


def _save_comment(principal: Principal, ticket: TicketItem, body: str, public: bool) -> dict[str, Any]:
    now = utcnow()
    before = ticket_snapshot(ticket)
    before_load = _contribution(ticket)
    state = lifecycle.after_reply(_state(ticket), public=public, by_agent=principal.kind == "user", now=now)
    change = lifecycle.Change(state)
    change.record("status", ticket.status, state.status)
    change.record("first_response_at", before["first_response_at"], maybe_text(state.first_response_at))
    _store_state(ticket, state)
    ticket.updated_at = now
    comment = repo.comment_item(ticket, now, body=body, public=public, author=principal.actor())
    recorded = [{"field": "comment", "from": None, "to": "public reply" if public else "internal note"}, *change.fields]
    ticket.last_change = {
        "actor": principal.actor(),
        "fields": recorded,
        "at": now.isoformat(),
        "kind": "commented",
        "comment_id": comment.comment_id,
        "public": public,
    }
    history = repo.history_item(ticket, now, principal.actor(), recorded)
    repo.save_ticket(
        ticket,
        history,
        comment=comment,
        loads=load_changes(ticket.tenant_id, before_load, _contribution(ticket)),
        audit=_audit(principal, "comment.created", ticket, None, {"comment_id": comment.comment_id, "public": public}),
    )
    return {"comment": comment_public(comment, True), "ticket": ticket_public(ticket)}


MAX_WATCHERS = 50


def set_watching(principal: Principal, ticket_id: str, user_id: str, watching: bool) -> dict[str, Any]:
    """Adds or removes one watcher. Idempotent: asking for the state it is already in changes
    nothing and records nothing. Never touches the ticket's version."""
    for attempt in range(WRITE_ATTEMPTS):
        ticket = _existing(principal, ticket_id)
        watcher = _watcher_id(principal, user_id, must_exist=watching and attempt == 0)
        watchers = repo.get_watchers(principal.tenant_id, ticket_id)
        before = sorted(watchers.user_ids or ())
        if (watcher in before) == watching:
            return {"watchers": before}
        if watching and len(before) >= MAX_WATCHERS:
            raise invalid("user_id", f"cannot be added: a ticket has at most {MAX_WATCHERS} watchers")
        after = sorted({*before, watcher} if watching else set(before) - {watcher})
        now = utcnow()
        watchers.user_ids, watchers.updated_at = set(after) or None, now
        history = repo.history_item(
            ticket, now, principal.actor(), [{"field": "watchers", "from": before, "to": after}]
        )
        action = "ticket.watcher_added" if watching else "ticket.watcher_removed"
        try:
            repo.save_watchers(
                watchers, history, _audit(principal, action, ticket, {"watchers": before}, {"watchers": after})
            )
        except TransactionConflict:
            backoff(attempt)
            continue
        return {"watchers": after}
    raise Conflict("The watchers of this ticket are changing too fast; try again.")


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


def ticket_history(principal: Principal, ticket_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    _existing(principal, ticket_id)
    items, next_cursor = repo.list_history(principal.tenant_id, ticket_id, limit, cursor)
    return {"items": [history_public(h) for h in items], "next_cursor": next_cursor}


def list_tickets(principal: Principal, query: dict[str, Any]) -> dict[str, Any]:
    ticket_filter = ticket_filter_from(principal, query)
    if query.get("q"):
        from chalicelib.services.search import search_tickets

        return search_tickets(principal, query["q"], ticket_filter, query["limit"], query.get("cursor"))
    plan = plan_ticket_query(ticket_filter)
    listing = "tickets:" + repr(sorted(asdict(ticket_filter).items()))
    items, next_cursor = repo.query_tickets(principal.tenant_id, plan, query["limit"], query.get("cursor"), listing)
    return {"items": [ticket_public(t) for t in items], "next_cursor": next_cursor}


def count_tickets(principal: Principal, query: dict[str, Any]) -> repo.TicketCount:
    ticket_filter = ticket_filter_from(principal, query)
    if query.get("q"):
        from chalicelib.services.search import count_matches

        return count_matches(principal, query["q"], ticket_filter)
    return repo.count_tickets(principal.tenant_id, plan_ticket_query(ticket_filter))


def ticket_filter_from(principal: Principal, query: dict[str, Any]) -> TicketFilter:
    """The filter of a list query (GET /tickets, a view), validated as a whole: ValidationFailed
    names each field that keeps it from running."""
    problems: list[dict[str, str]] = []
    assignee = query.get("assignee")
    if assignee == "me":
        if principal.user_id is None:
            problems.append({"field": "assignee", "message": "'me' needs a signed-in user, not an API key"})
        assignee = principal.user_id
    elif assignee == "unassigned":
        assignee = UNASSIGNED
    return validate_filter(
        TicketFilter(
            statuses=tuple(query.get("status") or ()),
            priorities=tuple(query.get("priority") or ()),
            assignee=assignee,
            queue=query.get("queue"),
            tag=query.get("tag"),
            requester=query.get("requester"),
            created_after=query.get("created_after"),
            created_before=query.get("created_before"),
            updated_after=query.get("updated_after"),
            updated_before=query.get("updated_before"),
            sla_due_before=query.get("sla_due_before"),
            sort=query.get("sort") or "-updated_at",
        ),
        problems,
    )


def _check_assignment(principal: Principal, current: str | None, requested: str | None) -> None:
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


def _existing(principal: Principal, ticket_id: str) -> TicketItem:
    ticket = repo.get_ticket(principal.tenant_id, ticket_id)
    if ticket is None:
        raise NotFound("No such ticket.")
    return ticket


def _stale(current: TicketItem) -> Conflict:
    return Conflict(
        "Someone changed this ticket since you loaded it. Review the current version and re-apply your change.",
        current=ticket_snapshot(current),
    )


def _state(ticket: TicketItem) -> lifecycle.TicketState:
    return lifecycle.TicketState(
        status=ticket.status,
        priority=ticket.priority,
        created_at=ticket.created_at,
        first_response_at=ticket.first_response_at,
        solved_at=ticket.solved_at,
        sla_due_at=ticket.sla_due_at,
    )


def _store_state(ticket: TicketItem, state: lifecycle.TicketState) -> None:
    ticket.status, ticket.priority = state.status, state.priority
    ticket.first_response_at, ticket.solved_at, ticket.sla_due_at = (
        state.first_response_at,
        state.solved_at,
        state.sla_due_at,
    )


def _contribution(ticket: TicketItem) -> tuple[str, str] | None:
    return contribution(ticket.status, ticket.assignee_id, ticket.priority)


def _default_channel(principal: Principal) -> str:
    return "api" if principal.kind == "api_key" else "web"


def _audit(
    principal: Principal, action: str, ticket: TicketItem, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> dict[str, Any]:
    return {
        "actor": principal.actor(),
        "action": action,
        "target": {"type": "ticket", "id": ticket.ticket_id, "number": str(ticket.number)},
        "before": before,
        "after": after,
    }
