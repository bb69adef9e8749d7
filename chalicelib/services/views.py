"""Saved views with a live count of the tickets they match.

A view's filters are validated as a whole, and counted, before anything is stored: a request
that answers an error changes nothing. A stored view that can no longer be run (saved before a
rule existed, or naming what its reader cannot use, like 'me' for an API key) is reported in its
own entry (``runnable: false`` and the reason), never by failing the whole list."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from chalicelib.data import views as repo
from chalicelib.data.models import ViewItem
from chalicelib.data.store import new_id
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.errors import Forbidden, NotFound, ValidationFailed
from chalicelib.domain.permissions import Permission
from chalicelib.domain.principal import Principal
from chalicelib.domain.tickets import OPEN_STATUSES, SPAM_TAG
from chalicelib.services.ticket_lists import count_tickets

PAGING = ("limit", "cursor")
# What a view may filter on: the parameters of GET /tickets, without paging.
FILTERS = frozenset(
    {
        "status",
        "priority",
        "assignee",
        "queue",
        "tag",
        "requester",
        "created_after",
        "created_before",
        "updated_after",
        "updated_before",
        "sla_due_before",
        "q",
        "sort",
    }
)
LIST_FILTERS = frozenset({"status", "priority"})
SLA_AT_RISK_WITHIN = timedelta(hours=1)
COUNT_WORKERS = 8


def builtin_views(principal: Principal) -> list[dict[str, Any]]:
    """The views every workspace has; 'mine' only for signed-in users."""
    open_statuses = list(OPEN_STATUSES)
    soon = to_text(utcnow() + SLA_AT_RISK_WITHIN)
    views: list[tuple[str, str, dict[str, Any]]] = [
        ("builtin:mine", "My open tickets", {"assignee": "me", "status": open_statuses}),
        ("builtin:unassigned", "Unassigned", {"assignee": "unassigned", "status": ["new", "open"]}),
        ("builtin:open", "All open", {"status": open_statuses}),
        ("builtin:urgent", "Urgent", {"priority": ["urgent"], "status": open_statuses}),
        ("builtin:sla-at-risk", "SLA at risk", {"sla_due_before": soon}),
        ("builtin:spam", "Spam", {"tag": SPAM_TAG}),
    ]
    if principal.user_id is None:
        views = views[1:]
    return [
        {
            "id": view_id,
            "name": name,
            "filters": filters,
            "shared": True,
            "owner_id": None,
            "builtin": True,
            "created_at": None,
            "updated_at": None,
        }
        for view_id, name, filters in views
    ]


def list_views(principal: Principal) -> dict[str, Any]:
    visible = [v for v in repo.list_views(principal.tenant_id) if v.shared or v.owner_id == principal.id]
    visible.sort(key=lambda v: (not v.shared, v.name.lower()))
    views = [*builtin_views(principal), *(_without_count(v) for v in visible)]
    with ThreadPoolExecutor(max_workers=COUNT_WORKERS) as pool:  # the counts are independent Queries
        states = list(pool.map(lambda view: _state(principal, view["filters"]), views))
    return {"items": [{**view, **state} for view, state in zip(views, states, strict=True)], "next_cursor": None}


def create_view(principal: Principal, name: str, filters: dict[str, Any], shared: bool) -> dict[str, Any]:
    if shared:
        principal.require(Permission.VIEWS_SHARE)
    stored = _stored(filters)
    count = _count(principal, stored)  # refuses a filter that cannot run, before anything is saved
    view = repo.view_item(
        principal.tenant_id, new_id(), name=name, filters=stored, owner_id=principal.id, shared=shared
    )
    repo.save_view(view, audit=_audit(principal, "view.created", view, None, _summary(view)))
    return {**_without_count(view), **count, **RUNNABLE}


def update_view(principal: Principal, view_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    view = _editable(principal, view_id)
    if changes.get("shared"):
        principal.require(Permission.VIEWS_SHARE)
    before = _summary(view)
    if changes.get("name") is not None:
        view.name = changes["name"]
    if changes.get("filters") is not None:
        view.filters = _stored(changes["filters"])
        state = {**_count(principal, view.filters), **RUNNABLE}  # new filters must run, or nothing is saved
    else:
        state = _state(principal, view.filters)  # a view that cannot run may still be renamed or unshared
    if changes.get("shared") is not None:
        view.shared = changes["shared"]
    view.updated_at = utcnow()
    repo.save_view(view, audit=_audit(principal, "view.updated", view, before, _summary(view)))
    return {**_without_count(view), **state}


def delete_view(principal: Principal, view_id: str) -> None:
    view = _editable(principal, view_id)
    repo.delete_view(view, audit=_audit(principal, "view.deleted", view, _summary(view), None))


def _editable(principal: Principal, view_id: str) -> ViewItem:
    view = repo.get_view(principal.tenant_id, view_id)
    if view is None or not (view.shared or view.owner_id == principal.id):
        raise NotFound("No such view.")
    if view.owner_id != principal.id and not principal.can(Permission.VIEWS_SHARE):
        raise Forbidden("Only leads and admins change shared views.")
    return view


def _stored(filters: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in filters.items() if k not in PAGING and v not in (None, [], "")}


def _without_count(view: ViewItem) -> dict[str, Any]:
    return {
        **_summary(view),
        "builtin": False,
        "created_at": to_text(view.created_at),
        "updated_at": to_text(view.updated_at),
    }


RUNNABLE: dict[str, Any] = {"runnable": True, "error": None}


def _state(principal: Principal, filters: dict[str, Any]) -> dict[str, Any]:
    """A view's count, or why it cannot be run: the reason belongs to that view alone."""
    try:
        return {**_count(principal, filters), **RUNNABLE}
    except ValidationFailed as refused:
        return {
            "count": None,
            "count_capped": False,
            "runnable": False,
            "error": {"detail": refused.detail, "errors": refused.errors},
        }


def _count(principal: Principal, filters: dict[str, Any]) -> dict[str, Any]:
    """Raises ValidationFailed, naming each field as ``filters.<name>``, when the filters cannot run."""
    try:
        count = count_tickets(principal, {"limit": 25, **_as_query(filters)})
    except ValidationFailed as refused:
        errors = [{**e, "field": f"filters.{e['field']}"} for e in refused.errors]
        raise ValidationFailed(errors, detail="; ".join(f"{e['field']}: {e['message']}" for e in errors)) from None
    return {"count": count.value, "count_capped": count.capped}


def _as_query(filters: dict[str, Any]) -> dict[str, Any]:
    """Stored filters as the query GET /tickets would parse: times come back as text. A view saved
    under older rules may hold what no longer parses; each such field is named."""
    unknown = [name for name in filters if name not in FILTERS and name not in PAGING]
    problems = [{"field": name, "message": "is not a filter of GET /tickets"} for name in unknown]
    query: dict[str, Any] = {}
    for name, value in filters.items():
        if name not in FILTERS:
            continue
        if name in LIST_FILTERS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            problems.append({"field": name, "message": "must be a list of strings"})
        elif name not in LIST_FILTERS and not isinstance(value, str):
            problems.append({"field": name, "message": "must be a string"})
        elif name.endswith(("_after", "_before")):
            try:
                query[name] = datetime.fromisoformat(value)
            except ValueError:
                problems.append({"field": name, "message": "is not an ISO 8601 date-time"})
        else:
            query[name] = value
    if problems:
        raise ValidationFailed(problems)
    return query


def _summary(view: ViewItem) -> dict[str, Any]:
    return {
        "id": view.view_id,
        "name": view.name,
        "filters": view.filters,
        "shared": view.shared,
        "owner_id": view.owner_id,
    }


def _audit(principal: Principal, action: str, view: ViewItem, before: Any, after: Any) -> AuditEntry:
    return AuditEntry(principal.as_actor(), action, AuditTarget("view", view.view_id), before=before, after=after)
