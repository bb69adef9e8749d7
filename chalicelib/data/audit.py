"""The tenant's audit log, newest first."""

from __future__ import annotations

from chalicelib.data import keys
from chalicelib.data.cursor import decode_cursor, encode_cursor
from chalicelib.data.models import AuditItem
from chalicelib.data.store import audit_item
from chalicelib.domain.audit import AuditEntry


def record(tenant_id: str, entry: AuditEntry) -> None:
    """An audit event that goes with no other write (a sign-in, a refused sign-in)."""
    audit_item(tenant_id, entry).save()


def list_events(tenant_id: str, limit: int, cursor: str | None) -> tuple[list[AuditItem], str | None]:
    start = decode_cursor(tenant_id, "audit", cursor)
    result = AuditItem.query(keys.audit_log(tenant_id), scan_index_forward=False, limit=limit, last_evaluated_key=start)
    items = list(result)
    next_key = result.last_evaluated_key
    return items, encode_cursor(tenant_id, "audit", next_key) if next_key else None
