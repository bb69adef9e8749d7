"""Automation rules, their run log and their markers; the reads a time rule's sweep makes. Every
function takes the tenant first."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.data import keys
from chalicelib.data.models import MainItem, RuleItem, RuleMarkerItem, RuleRunItem, TicketItem
from chalicelib.data.store import new_id, transaction
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.clock import to_text, utcnow

RUNS_KEPT = timedelta(days=30)
# A time rule's marker must outlive the period it marks; one that still matches after this long
# acts again, which for a "waited N hours" rule is a reminder, not a repeat within a period.
MARKERS_KEPT = timedelta(days=180)
EVENT_MARKERS_KEPT = timedelta(days=2)  # a stream record is redelivered within a day at most


def list_rules(tenant_id: str) -> list[RuleItem]:
    """Every rule of the workspace, in running order (one Query)."""
    items = [i for i in RuleItem.query(keys.rules(tenant_id), consistent_read=True) if isinstance(i, RuleItem)]
    return sorted(items, key=lambda item: (int(item.position), str(item.created_at)))


def get_rule(tenant_id: str, rule_id: str) -> RuleItem | None:
    try:
        return RuleItem.get(keys.rules(tenant_id), rule_id, consistent_read=True)
    except DoesNotExist:
        return None


def rule_item(tenant_id: str, rule_id: str, **fields: Any) -> RuleItem:
    return RuleItem(keys.rules(tenant_id), rule_id, tenant_id=tenant_id, rule_id=rule_id, **fields)


def save_rules(tenant_id: str, items: Sequence[RuleItem], audit: AuditEntry) -> None:
    """Each rule only if still at the version read (a new one only if new); all or none."""
    with transaction(tenant_id, audit) as tx:
        for item in items:
            tx.save(item, condition=RuleItem.pk.does_not_exist() if item.version is None else None)


def delete_rule(item: RuleItem, audit: AuditEntry) -> None:
    with transaction(item.tenant_id, audit) as tx:
        tx.delete(item, condition=RuleItem.version == item.version)


# --- runs ----------------------------------------------------------------------------------------


def record_run(
    tenant_id: str,
    rule_id: str,
    ticket: TicketItem,
    outcome: str,
    actions: list[str],
    error: str | None = None,
    at: datetime | None = None,
) -> RuleRunItem:
    moment = at or utcnow()
    run = RuleRunItem(
        keys.rule_runs(tenant_id, rule_id),
        f"{to_text(moment)}#{new_id()}",
        tenant_id=tenant_id,
        rule_id=rule_id,
        ticket_id=ticket.ticket_id,
        ticket_number=int(ticket.number),
        at=moment,
        outcome=outcome,
        actions=actions,
        error=error,
        expires=moment + RUNS_KEPT,
    )
    run.save()
    return run


def recent_runs(tenant_id: str, rule_id: str, limit: int = 50) -> list[RuleRunItem]:
    """The newest ``limit`` runs, newest first (one Query, read backwards)."""
    found = RuleRunItem.query(keys.rule_runs(tenant_id, rule_id), scan_index_forward=False, limit=limit)
    return [run for run in islice(found, limit) if isinstance(run, RuleRunItem)]


# --- markers -------------------------------------------------------------------------------------


def marker(tenant_id: str, rule_id: str, ticket_id: str, period: str, *, event: bool = False) -> RuleMarkerItem:
    now = utcnow()
    return RuleMarkerItem(
        keys.rule_markers(tenant_id, rule_id),
        f"{ticket_id}#{period}",
        tenant_id=tenant_id,
        rule_id=rule_id,
        ticket_id=ticket_id,
        at=now,
        expires=now + (EVENT_MARKERS_KEPT if event else MARKERS_KEPT),
    )


def has_marker(item: RuleMarkerItem) -> bool:
    try:
        RuleMarkerItem.get(item.pk, item.sk, consistent_read=True)
    except DoesNotExist:
        return False
    return True


def place_marker(item: RuleMarkerItem) -> bool:
    """Writes the marker unless it exists; False if it did (the rule acted already)."""
    try:
        item.save(condition=RuleMarkerItem.pk.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def marked_sort_keys(tenant_id: str, rule_id: str) -> set[str]:
    """Every ``<ticket id>#<period>`` a time rule has acted in: one Query per sweep of the rule."""
    return {str(item.sk) for item in RuleMarkerItem.query(keys.rule_markers(tenant_id, rule_id))}


# --- the tickets a time rule reads ---------------------------------------------------------------


def tickets_by_status(tenant_id: str, status: str, updated_before: datetime | None, limit: int) -> Iterator[TicketItem]:
    """Tickets in ``status`` (``by_status``, one paged Query), last updated before the given time if
    one is given (the sort key bounds the read), at most ``limit`` of them, oldest update first."""
    condition = MainItem.updated_sk < to_text(updated_before) if updated_before is not None else None
    found = MainItem.by_status.query(
        keys.ticket_partition(tenant_id, "status", status), range_key_condition=condition, limit=limit
    )
    for item in islice(found, limit):
        if isinstance(item, TicketItem):
            yield item


def tickets_created_before(tenant_id: str, created_before: datetime, limit: int) -> Iterator[TicketItem]:
    found = MainItem.by_created.query(
        keys.ticket_partition(tenant_id, "tenant", ""),
        range_key_condition=MainItem.created_sk < to_text(created_before),
        limit=limit,
    )
    for item in islice(found, limit):
        if isinstance(item, TicketItem):
            yield item
