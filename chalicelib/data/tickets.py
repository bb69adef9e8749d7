"""Tickets, their conversation and history. Every function takes the tenant first."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from heapq import merge
from itertools import islice

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.condition import Condition

from chalicelib.data import keys
from chalicelib.data.cursor import decode_cursor, encode_cursor
from chalicelib.data.models import (
    TICKET_INDEXES,
    CommentItem,
    CounterItem,
    HistoryItem,
    MainItem,
    TicketItem,
    WatchersItem,
)
from chalicelib.domain.clock import to_text
from chalicelib.domain.ticket_query import SPAM_SHADOW, Plan, Residual

_EVERY_TENANT_PARTITION = ("tenant", SPAM_SHADOW + "tenant")  # held spam lives in the shadow


def next_ticket_number(tenant_id: str) -> int:
    """Atomic increment: concurrent creators always get distinct numbers, never reused."""
    counter = CounterItem(*keys.ticket_counter(tenant_id), tenant_id=tenant_id)
    counter.update(actions=[CounterItem.value.add(1), CounterItem.tenant_id.set(tenant_id)])
    return int(counter.value)


def ticket_count(tenant_id: str) -> int:
    """How many ticket numbers were handed out (tickets are never deleted)."""
    try:
        return int(CounterItem.get(*keys.ticket_counter(tenant_id)).value)
    except DoesNotExist:
        return 0


def get_ticket(tenant_id: str, ticket_id: str) -> TicketItem | None:
    try:
        return TicketItem.get(keys.ticket(tenant_id, ticket_id), keys.TICKET_SK, consistent_read=True)
    except DoesNotExist:
        return None


@dataclass(frozen=True)
class Conversation:
    ticket: TicketItem
    comments: list[CommentItem]
    watcher_ids: list[str]


def get_ticket_with_conversation(tenant_id: str, ticket_id: str) -> Conversation | None:
    """The ticket, its watchers and every comment in one Query: they share a partition, the ticket
    sorting first and the history last."""
    items = list(
        MainItem.query(keys.ticket(tenant_id, ticket_id), MainItem.sk < keys.HISTORY_PREFIX, consistent_read=True)
    )
    if not items or not isinstance(items[0], TicketItem):
        return None
    watchers = next((item for item in items if isinstance(item, WatchersItem)), None)
    return Conversation(
        items[0],
        [item for item in items[1:] if isinstance(item, CommentItem)],
        sorted(watchers.user_ids or ()) if watchers is not None else [],
    )


def get_watchers(tenant_id: str, ticket_id: str) -> WatchersItem:
    """The ticket's watcher list, or a new empty one to save."""
    try:
        return WatchersItem.get(keys.ticket(tenant_id, ticket_id), keys.WATCHERS_SK, consistent_read=True)
    except DoesNotExist:
        return WatchersItem(
            keys.ticket(tenant_id, ticket_id), keys.WATCHERS_SK, tenant_id=tenant_id, ticket_id=ticket_id
        )


def watchers_of(tenant_id: str, ticket_ids: Iterable[str]) -> dict[str, list[str]]:
    """Several tickets' watcher ids (a ticket nobody follows: none), one BatchGetItem per hundred."""
    wanted = sorted(set(ticket_ids))
    found = WatchersItem.batch_get(
        [(keys.ticket(tenant_id, t), keys.WATCHERS_SK) for t in wanted], consistent_read=True
    )
    by_ticket = {str(item.ticket_id): sorted(item.user_ids or ()) for item in found}
    return {ticket_id: by_ticket.get(ticket_id, []) for ticket_id in wanted}


def tickets_due_between(tenant_id: str, after: datetime, until: datetime) -> Iterator[TicketItem]:
    """Open tickets whose SLA deadline falls in (after, until], soonest first."""
    for item in MainItem.by_sla_due.query(
        keys.ticket_partition(tenant_id, "sla", ""),
        MainItem.sla_due_sk.between(to_text(after) + "~", to_text(until) + "~"),
    ):
        if isinstance(item, TicketItem):
            yield item


def tickets_in_statuses(tenant_id: str, statuses: tuple[str, ...]) -> Iterator[TicketItem]:
    """Every ticket in the given statuses, spam included: one paged Query per status partition of
    ``by_status`` and its spam shadow (eventually consistent: a writer re-reads the ticket before
    changing it)."""
    for kind in ("status", SPAM_SHADOW + "status"):
        for status in statuses:
            for item in MainItem.by_status.query(keys.ticket_partition(tenant_id, kind, status)):
                if isinstance(item, TicketItem):
                    yield item


def list_history(
    tenant_id: str, ticket_id: str, limit: int, cursor: str | None
) -> tuple[list[HistoryItem], str | None]:
    listing = f"history:{ticket_id}"
    start = decode_cursor(tenant_id, listing, cursor)
    result = HistoryItem.query(
        keys.ticket(tenant_id, ticket_id),
        HistoryItem.sk.startswith(keys.HISTORY_PREFIX),
        limit=limit,
        last_evaluated_key=start,
    )
    items = list(result)
    next_key = result.last_evaluated_key
    return items, encode_cursor(tenant_id, listing, next_key) if next_key else None


def tickets_created_after(tenant_id: str, after: str | None, limit: int) -> list[TicketItem]:
    """Up to ``limit`` tickets, oldest first, created after the ``created_sk`` ``after``: a job that
    visits every ticket once resumes from the last one it did (creation order never changes)."""
    pages = [
        MainItem.by_created.query(
            keys.ticket_partition(tenant_id, kind, ""),
            range_key_condition=MainItem.created_sk > after if after else None,
            limit=limit,
        )
        for kind in _EVERY_TENANT_PARTITION
    ]
    merged = merge(*pages, key=lambda t: str(t.created_sk))  # spam's shadow too: every ticket, once
    return [t for t in islice(merged, limit) if isinstance(t, TicketItem)]


def get_tickets(tenant_id: str, ticket_ids: list[str]) -> dict[str, TicketItem]:
    wanted = [(keys.ticket(tenant_id, t), keys.TICKET_SK) for t in dict.fromkeys(ticket_ids)]
    return {item.ticket_id: item for item in TicketItem.batch_get(wanted)}


# --- counting by plan (a page of a list: data/ticket_pages.py) -------------------------------


COUNT_CAP = 1000  # index items a count reads at most; a view of more shows "1,000+"


@dataclass(frozen=True)
class TicketCount:
    value: int
    capped: bool  # stopped at COUNT_CAP items read: ``value`` is a lower bound


def count_tickets(tenant_id: str, plan: Plan) -> TicketCount:
    """Counts with Select=COUNT, which still reads (and bills) every item it counts: beyond
    COUNT_CAP items a live count would cost more than it tells a person scanning a list of views."""
    cap = COUNT_CAP
    index = getattr(MainItem, plan.index)
    connection = MainItem._get_connection()
    matched = read = 0
    for partition in plan.partitions:
        start = None
        while True:
            page = connection.query(
                keys.ticket_partition(tenant_id, *partition),
                range_key_condition=_key_condition(plan, None),
                filter_condition=residual_filter(tenant_id, plan.residuals),
                index_name=index.Meta.index_name,
                exclusive_start_key=start,
                limit=max(cap - read, 1),
                select="COUNT",
            )
            matched, read = matched + int(page["Count"]), read + int(page["ScannedCount"])
            start = page.get("LastEvaluatedKey")
            if start is None:
                break
            if read >= cap:
                return TicketCount(matched, capped=True)
    return TicketCount(matched, capped=False)


def count_at_risk(tenant_id: str, now: datetime, until: datetime, narrowed: dict[str, str]) -> TicketCount:
    """Open tickets due in (now, until] on the SLA index whose deadline's last quarter has begun
    (``sla_at_risk_at``) and whose clock runs, where each field of ``narrowed`` (queue, priority) has its
    value: counted with Select=COUNT, so no ticket crosses the wire, and stopping at COUNT_CAP items
    read, the soonest due first (a workspace with hundreds of open tickets due this month read each
    one whole for a figure)."""
    condition = (TicketItem.sla_at_risk_at <= now) & TicketItem.sla_paused_at.does_not_exist()
    for name, value in sorted(narrowed.items()):
        condition &= getattr(TicketItem, name) == value
    connection = MainItem._get_connection()
    matched = read = 0
    start = None
    while True:
        page = connection.query(
            keys.ticket_partition(tenant_id, "sla", ""),
            range_key_condition=MainItem.sla_due_sk.between(to_text(now) + "~", to_text(until) + "~"),
            filter_condition=condition,
            index_name=MainItem.by_sla_due.Meta.index_name,
            exclusive_start_key=start,
            limit=max(COUNT_CAP - read, 1),
            select="COUNT",
        )
        matched, read = matched + int(page["Count"]), read + int(page["ScannedCount"])
        start = page.get("LastEvaluatedKey")
        if start is None:
            return TicketCount(matched, capped=False)
        if read >= COUNT_CAP:
            return TicketCount(matched, capped=True)


def _sort_attr(plan: Plan) -> str:
    return TICKET_INDEXES[plan.index][1]


def _key_condition(plan: Plan, cursor_key: str | None) -> Condition | None:
    """Sort-key bounds from the filter and the cursor; the cursor's own item is dropped by the caller."""
    attr = getattr(MainItem, _sort_attr(plan))
    low, high = plan.key_after, plan.key_before
    if cursor_key is not None:
        if plan.descending:
            high = cursor_key if high is None else min(high, cursor_key)
        else:
            low = cursor_key if low is None else max(low, cursor_key)
    if low is not None and high is not None:
        return attr.between(low, high)  # type: ignore[no-any-return]
    if low is not None:
        return attr >= low  # type: ignore[no-any-return]
    if high is not None:
        return attr <= high  # type: ignore[no-any-return]
    return None


def residual_filter(tenant_id: str, residuals: tuple[Residual, ...]) -> Condition | None:
    condition: Condition | None = None
    for residual in residuals:
        part = _residual_condition(tenant_id, residual)
        condition = part if condition is None else condition & part
    return condition


def _residual_condition(tenant_id: str, r: Residual) -> Condition:
    if r.field == "status":
        return TicketItem.status.is_in(*r.values)
    if r.field == "priority":
        return TicketItem.priority.is_in(*r.values)
    if r.field == "assignee":  # held spam carries its shadow's key; the plan decides whether spam is wanted
        return MainItem.assignee_pk.is_in(
            *(keys.ticket_partition(tenant_id, kind, r.values[0]) for kind in ("assignee", SPAM_SHADOW + "assignee"))
        )
    if r.field == "queue":
        return TicketItem.queue == r.values[0]  # type: ignore[no-any-return]
    if r.field == "requester":
        return MainItem.requester_pk == keys.ticket_partition(tenant_id, "requester", r.values[0])
    if r.field == "tags":
        found = TicketItem.tags.contains(r.values[0])
        return ~found if r.op == "not_contains" else found
    attribute = {
        "created_at": TicketItem.created_at,
        "updated_at": TicketItem.updated_at,
        "sla_due_at": TicketItem.sla_due_at,
    }[r.field]
    return attribute > r.values[0] if r.op == "gt" else attribute < r.values[0]  # type: ignore[no-any-return]


def tickets_updated_since(tenant_id: str, since: datetime) -> Iterator[TicketItem]:
    """Every ticket changed at or after ``since`` (the rebuild job's candidates), spam included: one
    Query on the tenant partition and one on its spam shadow, paged."""
    for kind in _EVERY_TENANT_PARTITION:
        for item in MainItem.by_updated.query(
            keys.ticket_partition(tenant_id, kind, ""), MainItem.updated_sk >= to_text(since)
        ):
            if isinstance(item, TicketItem):
                yield item


def full_history(tenant_id: str, ticket_id: str) -> list[HistoryItem]:
    """A ticket's whole history, oldest first: one Query, paged."""
    return list(HistoryItem.query(keys.ticket(tenant_id, ticket_id), HistoryItem.sk.startswith(keys.HISTORY_PREFIX)))
