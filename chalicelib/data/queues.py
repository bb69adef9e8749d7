"""Queues as things: one partition per workspace, keyed by the queue's name."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys
from chalicelib.data.models import QueueItem
from chalicelib.data.store import transaction
from chalicelib.domain.audit import AuditEntry

MAX_QUEUES = 200  # a workspace of 5-50 agents; the whole partition is one Query page


def list_queues(tenant_id: str) -> list[QueueItem]:
    return list(QueueItem.query(keys.queues(tenant_id), limit=MAX_QUEUES))


def get_queue(tenant_id: str, name: str) -> QueueItem | None:
    try:
        return QueueItem.get(keys.queues(tenant_id), name, consistent_read=True)
    except DoesNotExist:
        return None


def new_queue(tenant_id: str, name: str) -> QueueItem:
    return QueueItem(keys.queues(tenant_id), name, tenant_id=tenant_id, name=name)


def save_queue(queue: QueueItem, audit: AuditEntry, *, create: bool) -> None:
    """Creating fails on an existing name and saving on a stale version (TransactionConflict)."""
    with transaction(queue.tenant_id, audit) as tx:
        condition = QueueItem.pk.does_not_exist() if create else None
        tx.save(queue, condition=condition)


def delete_queue(queue: QueueItem, audit: AuditEntry) -> None:
    with transaction(queue.tenant_id, audit) as tx:
        tx.delete(queue)
