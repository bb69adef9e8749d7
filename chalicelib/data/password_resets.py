"""Live "forgot password" links, one per user in the tenant's partition; spending one and setting
the password land together."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys
from chalicelib.data.models import PasswordResetItem, UserItem
from chalicelib.data.store import transaction
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.clock import utcnow


def save_reset(tenant_id: str, user_id: str, email: str, token_hash: str, expires: datetime, audit: AuditEntry) -> None:
    """Stores the user's reset (replacing any earlier one, whose link stops working) with its audit."""
    item = PasswordResetItem(
        *keys.password_reset(tenant_id, user_id),
        tenant_id=tenant_id,
        user_id=user_id,
        email=email.lower(),
        token_hash=token_hash,
        created_at=utcnow(),
        expires=expires,
    )
    with transaction(tenant_id, audit) as tx:
        tx.save(item)


def get_reset(tenant_id: str, user_id: str) -> PasswordResetItem | None:
    try:
        return PasswordResetItem.get(*keys.password_reset(tenant_id, user_id), consistent_read=True)
    except DoesNotExist:
        return None


def spend_reset(reset: PasswordResetItem, user: UserItem, audit: AuditEntry) -> None:
    """Deletes the reset only if it is still the one presented (a second use, or a newer link, fails
    the condition: ``TransactionConflict`` with the reset first) and saves the user (version lock)."""
    with transaction(user.tenant_id, audit) as tx:
        tx.delete(reset, condition=PasswordResetItem.token_hash == reset.token_hash)
        tx.save(user)
