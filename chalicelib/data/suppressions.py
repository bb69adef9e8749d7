"""A workspace's suppressed addresses: hard bounces and complaints SES reported for its mail."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys
from chalicelib.data.models import SuppressedAddressItem


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
