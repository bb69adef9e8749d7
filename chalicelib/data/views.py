"""Saved views: named ticket filters, personal or shared with the workspace."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys
from chalicelib.data.models import ViewItem
from chalicelib.data.store import transaction
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.clock import utcnow


def view_item(tenant_id: str, view_id: str, **fields: Any) -> ViewItem:
    now = utcnow()
    return ViewItem(
        keys.views(tenant_id), view_id, tenant_id=tenant_id, view_id=view_id, created_at=now, updated_at=now, **fields
    )


def list_views(tenant_id: str) -> list[ViewItem]:
    return list(ViewItem.query(keys.views(tenant_id)))


def get_view(tenant_id: str, view_id: str) -> ViewItem | None:
    try:
        return ViewItem.get(keys.views(tenant_id), view_id)
    except DoesNotExist:
        return None


def save_view(view: ViewItem, audit: AuditEntry) -> None:
    with transaction(view.tenant_id, audit) as tx:
        tx.save(view)


def delete_view(view: ViewItem, audit: AuditEntry) -> None:
    with transaction(view.tenant_id, audit) as tx:
        tx.delete(view)
