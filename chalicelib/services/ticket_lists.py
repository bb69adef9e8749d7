"""Listing and counting tickets by filter (GET /tickets, views), or by keyword search."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from chalicelib.data import tickets as repo
from chalicelib.data.list_keys import list_keys_ready
from chalicelib.data.ticket_pages import TicketPage, read_ticket_page
from chalicelib.domain.principal import Principal
from chalicelib.domain.ticket_query import UNASSIGNED, TicketFilter, plan_ticket_query, validate_filter
from chalicelib.services.presenters import ticket_public
from chalicelib.services.search import count_matches, search_tickets


def list_tickets(principal: Principal, query: dict[str, Any]) -> dict[str, Any]:
    ticket_filter = ticket_filter_from(principal, query)
    if query.get("q"):
        return search_tickets(principal, query["q"], ticket_filter, query["limit"], query.get("cursor"))
    page = ticket_page(principal, ticket_filter, query["limit"], query.get("cursor"))
    return {"items": [ticket_public(t) for t in page.items], "next_cursor": page.next_cursor}


def ticket_page(principal: Principal, ticket_filter: TicketFilter, limit: int, cursor: str | None) -> TicketPage:
    """One page of a filtered list, with what it read. The cursor is bound to the filter, not the
    plan: a page resumes a cursor of the plan before the workspace's composite keys were ready."""
    plan = plan_ticket_query(ticket_filter, composite=list_keys_ready(principal.tenant_id))
    listing = "tickets:" + repr(sorted(asdict(ticket_filter).items()))
    return read_ticket_page(principal.tenant_id, plan, limit, cursor, listing)


def count_tickets(principal: Principal, query: dict[str, Any]) -> repo.TicketCount:
    ticket_filter = ticket_filter_from(principal, query)
    if query.get("q"):
        return count_matches(principal, query["q"], ticket_filter)
    # no read of its own: the metrics report and the views' counts read nothing but their Queries
    plan = plan_ticket_query(ticket_filter, composite=list_keys_ready(principal.tenant_id, ask=False))
    return repo.count_tickets(principal.tenant_id, plan)


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
