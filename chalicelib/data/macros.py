"""Macros and their usage counts. Every function takes the tenant first."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys
from chalicelib.data.models import MacroItem, MacroUsageItem
from chalicelib.data.store import transaction
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.clock import utcnow


def macro_item(tenant_id: str, macro_id: str, **fields: Any) -> MacroItem:
    now = utcnow()
    return MacroItem(
        keys.macros(tenant_id),
        macro_id,
        tenant_id=tenant_id,
        macro_id=macro_id,
        created_at=now,
        updated_at=now,
        **fields,
    )


def list_macros(tenant_id: str) -> list[MacroItem]:
    return list(MacroItem.query(keys.macros(tenant_id)))


def get_macro(tenant_id: str, macro_id: str) -> MacroItem | None:
    try:
        return MacroItem.get(keys.macros(tenant_id), macro_id)
    except DoesNotExist:
        return None


def save_macro(macro: MacroItem, audit: AuditEntry) -> None:
    """Saved only if unchanged since read (its version), with its audit entry."""
    with transaction(macro.tenant_id, audit) as tx:
        tx.save(macro)


def delete_macro(macro: MacroItem, audit: AuditEntry) -> None:
    with transaction(macro.tenant_id, audit) as tx:
        tx.delete(macro)


def usage_counts(tenant_id: str) -> dict[str, int]:
    return {item.macro_id: int(item.uses) for item in MacroUsageItem.query(keys.macro_usage(tenant_id))}


def count_use(tenant_id: str, macro_id: str) -> None:
    """One more use: an atomic ADD, so concurrent applications all count."""
    item = MacroUsageItem(keys.macro_usage(tenant_id), macro_id, tenant_id=tenant_id, macro_id=macro_id)
    item.update(
        actions=[
            MacroUsageItem.uses.add(1),
            MacroUsageItem.tenant_id.set(tenant_id),
            MacroUsageItem.macro_id.set(macro_id),
            MacroUsageItem.kind.set(MacroUsageItem),  # a first use creates the item: its type must be stored
        ]
    )
