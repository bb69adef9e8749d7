"""A workspace's suppressed addresses: hard bounces and complaints SES reported for its mail."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys
from chalicelib.data.cursor import decode_cursor, encode_cursor
from chalicelib.data.models import SuppressedAddressItem
from chalicelib.data.store import transaction
from chalicelib.domain.audit import AuditEntry


def suppress(tenant_id: str, email: str, reason: str, detail: str, at: datetime) -> None:
    """Idempotent: SES may report one bounce twice; the latest report wins."""
    SuppressedAddressItem(
        *keys.suppressed_address(tenant_id, email),
        tenant_id=tenant_id,
        email=email.lower(),
        reason=reason,
        detail=detail[:500],
        at=at,
    ).save()


def suppression_of(tenant_id: str, email: str) -> SuppressedAddressItem | None:
    try:
        return SuppressedAddressItem.get(*keys.suppressed_address(tenant_id, email))
    except DoesNotExist:
        return None


def list_suppressions(tenant_id: str, limit: int, cursor: str | None) -> tuple[list[SuppressedAddressItem], str | None]:
    """One page of the workspace's suppressed addresses, in address order (one Query)."""
    listing = "suppressions"
    pk, _ = keys.suppressed_address(tenant_id, "")
    result = SuppressedAddressItem.query(pk, limit=limit, last_evaluated_key=decode_cursor(tenant_id, listing, cursor))
    items = list(result)
    next_key = result.last_evaluated_key
    return items, encode_cursor(tenant_id, listing, next_key) if next_key else None


def lift(item: SuppressedAddressItem, audit: AuditEntry) -> None:
    """Mail may go to the address again. Raises TransactionConflict when it was lifted meanwhile."""
    with transaction(item.tenant_id, audit) as tx:
        tx.delete(item, condition=SuppressedAddressItem.pk.exists())
