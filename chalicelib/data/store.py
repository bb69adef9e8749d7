"""Shared data-layer plumbing: ids, the audited transaction, connection caching."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.data import keys
from chalicelib.data.models import AuditItem, MainItem
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.errors import Conflict
from chalicelib.observability import current_request_info


def new_id() -> str:
    return uuid.uuid4().hex


def backoff(attempt: int) -> None:
    """Full-jitter exponential pause before retrying a write that lost a race (5 ms .. 160 ms)."""
    time.sleep(random.uniform(0, 0.005 * 2**attempt))  # noqa: S311 - jitter, not a secret


def _connection() -> Connection:
    """The connection transactions commit on: the main table's (a transaction carries its items' tables and
    keys; the connection only sends it), so a container keeps one botocore client for both."""
    return MainItem._get_connection().connection


def reset_connections() -> None:
    """Forget cached clients so a changed endpoint (moto, DynamoDB Local) takes effect."""
    for model in _all_model_classes(Model):
        model._connection = None


def _all_model_classes(base: type[Model]) -> Iterator[type[Model]]:
    for sub in base.__subclasses__():
        yield sub
        yield from _all_model_classes(sub)


class TransactionConflict(Conflict):
    """A condition in a transaction failed; ``reasons`` has one code per item (None if it passed)."""

    def __init__(self, reasons: list[str | None]) -> None:
        super().__init__("The data changed while you were writing; nothing was saved.")
        self.reasons = reasons


@contextmanager
def transaction(tenant_id: str, audit: AuditEntry | None) -> Iterator[TransactWrite]:
    """All writes made on the yielded transaction, plus the audit event, land together or not at all."""
    try:
        with TransactWrite(connection=_connection()) as tx:
            yield tx
            if audit is not None:
                tx.save(audit_item(tenant_id, audit), condition=AuditItem.pk.does_not_exist())
    except TransactWriteError as error:
        reasons = [reason.code if reason else None for reason in (error.cancellation_reasons or [])]
        if any(code == "ConditionalCheckFailed" for code in reasons):
            raise TransactionConflict(reasons) from error
        raise


def audit_item(tenant_id: str, entry: AuditEntry, at: datetime | None = None) -> AuditItem:
    """The entry as stored: stamped with its time, the request id and the caller's address."""
    moment = at or utcnow()
    event_id = new_id()
    info = current_request_info()
    return AuditItem(
        keys.audit_log(tenant_id),
        f"{to_text(moment)}#{event_id}",
        tenant_id=tenant_id,
        event_id=event_id,
        at=moment,
        **entry.record(),
        request_id=info.request_id,
        source_ip=info.source_ip,
    )
