"""The audit log read by filters: a period is a key range on ``<time>#<id>``; who and what are
filter conditions on that range, so a page reads a bounded number of items and hands back a cursor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.expressions.condition import Condition

from chalicelib.data import keys
from chalicelib.data.cursor import decode_cursor, encode_cursor
from chalicelib.data.models import AuditItem
from chalicelib.domain.clock import to_text

READ_CAP = 1000  # items one request reads at most, whatever the filters leave


@dataclass(frozen=True)
class AuditFilter:
    actor_id: str | None = None
    action: str | None = None  # exact, or a prefix when it ends with "."
    after: datetime | None = None
    before: datetime | None = None

    def listing(self) -> str:
        return f"audit:{self.actor_id}:{self.action}:{self.after}:{self.before}"


def search_events(
    tenant_id: str, f: AuditFilter, limit: int, cursor: str | None, read_cap: int = READ_CAP
) -> tuple[list[AuditItem], str | None]:
    """Newest first: up to ``limit`` matching events, having read at most ``read_cap`` items; a cursor
    when more may match (a page of a sparse filter can be short, even empty, and still have one)."""
    start = decode_cursor(tenant_id, f.listing(), cursor)
    result = AuditItem.query(
        keys.audit_log(tenant_id),
        range_key_condition=_period(f),
        filter_condition=_who_and_what(f),
        scan_index_forward=False,
        last_evaluated_key=start,
        page_size=min(max(limit, 100), read_cap),
    )
    items: list[AuditItem] = []
    for item in result:
        if _matches(f, item):
            items.append(item)
        if len(items) >= limit or result.page_iter.total_scanned_count >= read_cap:
            break
    next_key = result.last_evaluated_key
    return items, encode_cursor(tenant_id, f.listing(), next_key) if next_key else None


def _matches(f: AuditFilter, item: AuditItem) -> bool:
    return f.actor_id is None or dict(item.actor or {}).get("id") == f.actor_id


def _period(f: AuditFilter) -> Condition | None:
    low = to_text(f.after) if f.after else None
    high = to_text(f.before) if f.before else None
    if low and high:
        return AuditItem.sk.between(low, high)  # type: ignore[no-any-return]
    if low:
        return AuditItem.sk >= low  # type: ignore[no-any-return]
    if high:
        return AuditItem.sk < high  # type: ignore[no-any-return]
    return None


def _who_and_what(f: AuditFilter) -> Condition | None:
    conditions: list[Condition] = []
    if f.actor_id:
        # The actor is stored as JSON text: contains() narrows the read, _matches() makes it exact.
        conditions.append(AuditItem.actor.contains(f.actor_id))
    if f.action:
        conditions.append(
            AuditItem.action.startswith(f.action) if f.action.endswith(".") else AuditItem.action == f.action
        )
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition
    return combined
