"""Saved views with a live count of the tickets they match."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from chalicelib.data import views as repo
from chalicelib.data.models import ViewItem
from chalicelib.data.store import new_id
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.errors import Forbidden, NotFound
from chalicelib.domain.permissions import Permission
from chalicelib.domain.principal import Principal
from chalicelib.domain.tickets import OPEN_STATUSES
from chalicelib.services.tickets import count_tickets

PAGING = ("limit", "cursor")
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
        counts = list(pool.map(lambda view: _count(principal, view["filters"]), views))
    return {"items": [{**view, **count} for view, count in zip(views, counts, strict=True)], "next_cursor": None}


def create_view(principal: Principal, name: str, filters: dict[str, Any], shared: bool) -> dict[str, Any]:
    if shared:
        principal.require(Permission.VIEWS_SHARE)
    view = repo.view_item(
        principal.tenant_id, new_id(), name=name, filters=_stored(filters), owner_id=principal.id, shared=shared
    )
    repo.save_view(view, audit=_audit(principal, "view.created", view, None, _summary(view)))
    return _public(principal, view)


def update_view(principal: Principal, view_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    view = _editable(principal, view_id)
    if changes.get("shared"):
        principal.require(Permission.VIEWS_SHARE)
    before = _summary(view)
    if changes.get("name") is not None:
        view.name = changes["name"]
    if changes.get("filters") is not None:
        view.filters = _stored(changes["filters"])
    if changes.get("shared") is not None:
        view.shared = changes["shared"]
    view.updated_at = utcnow()
    repo.save_view(view, audit=_audit(principal, "view.updated", view, before, _summary(view)))
    return _public(principal, view)


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


def _public(principal: Principal, view: ViewItem) -> dict[str, Any]:
    return {**_without_count(view), **_count(principal, view.filters)}


def _without_count(view: ViewItem) -> dict[str, Any]:
    return {
        **_summary(view),
        "builtin": False,
        "created_at": to_text(view.created_at),
        "updated_at": to_text(view.updated_at),
    }


def _count(principal: Principal, filters: dict[str, Any]) -> dict[str, Any]:
    count = count_tickets(principal, _as_query({"limit": 25, **filters}))
    return {"count": count.value, "count_capped": count.capped}


def _as_query(filters: dict[str, Any]) -> dict[str, Any]:
    """Stored filters were validated when saved; only their times come back as text."""
    return {
        name: datetime.fromisoformat(value) if name.endswith(("_after", "_before")) and value else value
        for name, value in filters.items()
    }


def _summary(view: ViewItem) -> dict[str, Any]:
    return {
        "id": view.view_id,
        "name": view.name,
        "filters": view.filters,
        "shared": view.shared,
        "owner_id": view.owner_id,
    }


def _audit(principal: Principal, action: str, view: ViewItem, before: Any, after: Any) -> dict[str, Any]:
    return {
        "actor": principal.actor(),
        "action": action,
        "target": {"type": "view", "id": view.view_id},
        "before": before,
        "after": after,
    }
