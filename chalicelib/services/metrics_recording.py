"""Folding one stored ticket change into the team's daily rollups, exactly once (the metrics stream
consumer's use case)."""

from __future__ import annotations

from collections import defaultdict

from chalicelib.data import metrics as rollups
from chalicelib.data.models import TicketItem
from chalicelib.domain.clock import utcnow
from chalicelib.domain.metrics_fold import RollupDelta, TicketFacts, backlog_change, fold
from chalicelib.domain.metrics_history import happening
from chalicelib.domain.ticket_change import parse_stream_change
from chalicelib.services.metrics_calendar import business_seconds_for, open_month_for, open_week_for, zone_for


def facts_of(item: TicketItem) -> TicketFacts:
    return TicketFacts(
        ticket_id=item.ticket_id,
        status=item.status,
        priority=item.priority,
        assignee_id=item.assignee_id,
        queue=item.queue,
        tags=tuple(str(t) for t in item.tags or ()),
        channel=item.channel,
        subject=item.subject,
        created_at=item.created_at,
        first_response_at=item.first_response_at,
        # the SLA policies' deadlines, on tickets that carry them
        first_response_due_at=getattr(item, "first_response_due_at", None),
        resolution_due_at=getattr(item, "resolution_due_at", None),
    )


def change_id(item: TicketItem) -> str:
    """Every stored change of a ticket has its own version: ``<ticket>@<version>`` names the change."""
    return f"{item.ticket_id}@{int(item.version or 0)}"


def folded(old: TicketItem | None, new: TicketItem) -> RollupDelta | None:
    """What the stored change adds to the rollups (None: nothing)."""
    last = parse_stream_change(new.last_change)
    before = facts_of(old) if old is not None else None
    if last is None:  # a write that tells no change still moves the backlog counters it moves
        moved = backlog_change(before, facts_of(new))
        return RollupDelta(new.updated_at.date(), (), backlog=moved) if moved else None
    told = happening(last.at, last.actor, last.fields)
    return fold(before, facts_of(new), told, business_seconds_for(new.tenant_id), zone_for(new.tenant_id))


def record_ticket_changes(changes: list[tuple[TicketItem | None, TicketItem]]) -> int:
    """A stream batch's ticket changes, applied per workspace with few writes; returns how many counted."""
    by_tenant: dict[str, list[tuple[str, RollupDelta]]] = defaultdict(list)
    for old, new in changes:
        delta = folded(old, new)
        if delta is not None:
            by_tenant[new.tenant_id].append((change_id(new), delta))
    now = utcnow()
    return sum(
        rollups.apply_changes(tenant_id, deltas, now, open_month_for(tenant_id, now), open_week_for(tenant_id, now))
        for tenant_id, deltas in by_tenant.items()
    )


def record_ticket_change(old: TicketItem | None, new: TicketItem) -> bool:
    """Adds what the change did to its day's rollups; False when it adds nothing or was counted before."""
    delta = folded(old, new)
    if delta is None:
        return False
    now = utcnow()
    tenant_id = new.tenant_id
    return rollups.apply_change(
        tenant_id, change_id(new), delta, now, open_month_for(tenant_id, now), open_week_for(tenant_id, now)
    )
