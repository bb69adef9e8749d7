"""Pending sign-ups (keyed by the hash of the emailed token) and the platform's own audit log,
where what happens before a workspace exists is recorded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys
from chalicelib.data.models import PendingSignupItem
from chalicelib.data.store import audit_item
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.clock import utcnow

# Tenant ids are uuid4 hex, so this never names a workspace: its audit partition holds sign-up
# requests, confirmations and refusals, which belong to no workspace yet.
PLATFORM_TENANT = "platform"


def save_pending(token_hash: str, expires: datetime, **fields: Any) -> PendingSignupItem:
    item = PendingSignupItem(
        *keys.pending_signup(token_hash), tenant_id=PLATFORM_TENANT, created_at=utcnow(), expires=expires, **fields
    )
    item.save(condition=PendingSignupItem.pk.does_not_exist())
    return item


def get_pending(token_hash: str) -> PendingSignupItem | None:
    try:
        return PendingSignupItem.get(*keys.pending_signup(token_hash), consistent_read=True)
    except DoesNotExist:
        return None


def record_platform_event(entry: AuditEntry) -> None:
    audit_item(PLATFORM_TENANT, entry).save()
