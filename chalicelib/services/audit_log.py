"""Reading the audit log by who, what and when, as a page or as a CSV export."""

from __future__ import annotations

import io
from typing import Any

from chalicelib.contracts.responses import AuditListOut
from chalicelib.data.audit_search import AuditFilter, search_events
from chalicelib.domain.errors import invalid
from chalicelib.domain.principal import Principal
from chalicelib.services.metrics_report import CellWriter
from chalicelib.services.presenters import audit_public

EXPORT_ROWS = 5000  # one export holds at most this many events; narrow the period for more
EXPORT_READS = 20  # pages of reads one export makes at most


def audit_filter(query: dict[str, Any]) -> AuditFilter:
    after, before = query.get("after"), query.get("before")
    if after is not None and before is not None and after >= before:
        raise invalid("before", "must be later than after")
    return AuditFilter(actor_id=query.get("actor"), action=query.get("action"), after=after, before=before)


def list_audit(principal: Principal, query: dict[str, Any]) -> AuditListOut:
    items, cursor = search_events(principal.tenant_id, audit_filter(query), query["limit"], query.get("cursor"))
    return AuditListOut(items=[audit_public(e) for e in items], next_cursor=cursor)


def audit_csv(principal: Principal, query: dict[str, Any]) -> str:
    """The matching events, newest first, as CSV (every cell safe from spreadsheet formulas)."""
    f = audit_filter(query)
    out = io.StringIO()
    writer = CellWriter(out)
    writer.writerow(
        [
            "at",
            "actor",
            "actor_type",
            "actor_id",
            "action",
            "target",
            "target_type",
            "target_id",
            "request_id",
            "source_ip",
        ]
    )
    cursor, rows = query.get("cursor"), 0
    for _ in range(EXPORT_READS):
        items, cursor = search_events(principal.tenant_id, f, EXPORT_ROWS - rows, cursor)
        for event in items:
            actor, target = dict(event.actor or {}), dict(event.target or {})
            number = target.get("number")
            writer.writerow(
                [
                    audit_public(event).at,
                    actor.get("name", ""),
                    actor.get("type", ""),
                    actor.get("id", ""),
                    event.action,
                    f"#{number}" if number else target.get("name", ""),
                    target.get("type", ""),
                    target.get("id", ""),
                    event.request_id,
                    event.source_ip,
                ]
            )
        rows += len(items)
        if cursor is None or rows >= EXPORT_ROWS:
            break
    return out.getvalue()
