"""A page of a ticket list by plan: a k-way merge of the plan's partitions that reads about what it
returns, within a budget of items read. Every function takes the tenant first.

Each partition is Queried lazily, in pieces sized by its share of the page so far (a view whose
tickets are nearly all ``open`` soon reads only the ``open`` partition), and an item is taken only
once every partition that could hold an earlier one has been read past it. When the plan leaves
residual filters, a page stops reading at its budget (``READ_BUDGET_PER_ROW`` items per row asked
for): it may then come back short, or empty, but with a cursor that resumes each partition exactly
where its reading stopped; nothing is skipped and nothing read without limit.

The cursor holds each partition's position (the sort key read up to, exclusive), and the last item
returned as ``[rank, sort key]``: a cursor of another plan of the same filter (a workspace whose
composite keys became ready between two pages) resumes from that item instead.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from math import ceil
from typing import Any

from pynamodb.expressions.condition import Condition

from chalicelib.data import keys
from chalicelib.data.cursor import decode_cursor, encode_cursor
from chalicelib.data.models import TICKET_INDEXES, MainItem, TicketItem
from chalicelib.data.tickets import residual_filter
from chalicelib.domain.ticket_query import Plan

# Items a page may read per row asked for. A keyed plan (no residual) reads well under 2 per row,
# so it never meets the budget; a residual filter that matches less than a third stops there.
READ_BUDGET_PER_ROW = 3
_INDEX_KEYS = frozenset(attribute for pair in TICKET_INDEXES.values() for attribute in pair)
# The stream contract (what the last write did, for the consumers): a fifth of a ticket's bytes, never shown.
_NOT_LISTED = _INDEX_KEYS | {TicketItem.last_change.attr_name}


def listed_attributes(sort_attr: str) -> list[str]:
    """What a listed ticket is read with: all of it but its index keys (a dozen attributes no list shows, each
    parsed by botocore and PynamoDB: a third of a list's CPU went there) and its ``last_change``, except the
    index key the page is ordered by."""
    names = (attribute.attr_name for attribute in TicketItem.get_attributes().values())
    return sorted(name for name in names if name not in _NOT_LISTED or name == sort_attr)


def read_budget(plan: Plan, limit: int) -> int:
    """Items one page of ``limit`` rows may read: enough to look at every partition once more."""
    return max(READ_BUDGET_PER_ROW * limit, 2 * len(plan.partitions))


@dataclass(frozen=True)
class TicketPage:
    items: list[TicketItem]
    next_cursor: str | None
    read: int  # items DynamoDB read for this page (ScannedCount), what the page cost


@dataclass
class _Partition:
    key: str  # the partition key value
    rank: int
    start: str | None  # resume after this sort key (None: from the partition's beginning)
    done: bool
    read_to: str | None = None  # everything up to here (inclusive) has been read
    buffer: deque[TicketItem] = field(default_factory=deque)
    taken: str | None = None  # sort key of the last item this page took from here
    taken_count: int = 0
    scanned: int = 0
    matched: int = 0

    @property
    def exhausted(self) -> bool:
        return self.done and not self.buffer


def read_ticket_page(
    tenant_id: str, plan: Plan, limit: int, cursor: str | None, listing: str, budget: int | None = None
) -> TicketPage:
    state = decode_cursor(tenant_id, listing, cursor)
    sort_attr = TICKET_INDEXES[plan.index][1]
    parts = _partitions(tenant_id, plan, state)
    merge = _Merge(tenant_id, plan, parts, sort_attr, read_budget(plan, limit) if budget is None else budget)
    taken = merge.run(limit + 1)
    if len(taken) > limit:  # the row past the page only says there is more: it goes back
        part, item, before = taken.pop()
        part.buffer.appendleft(item)
        part.taken = before
        part.taken_count -= 1
    items = [item for _, item, _ in taken]
    positions = [_position(p, sort_attr, plan.descending) for p in parts]
    if all(position is False for position in positions):
        return TicketPage(items, None, merge.read)
    last = [taken[-1][0].rank, getattr(taken[-1][1], sort_attr)] if taken else _last_of(state)
    position = {"k": _plan_key(plan), "at": positions, "last": last}
    return TicketPage(items, encode_cursor(tenant_id, listing, position), merge.read)


class _Merge:
    def __init__(self, tenant_id: str, plan: Plan, parts: list[_Partition], sort_attr: str, budget: int) -> None:
        self.plan, self.parts, self.sort_attr, self.budget = plan, parts, sort_attr, budget
        self.read = 0
        self.index = getattr(MainItem, plan.index).Meta.index_name
        self.filter = residual_filter(tenant_id, plan.residuals)
        self.attributes = listed_attributes(sort_attr)

    def run(self, wanted: int) -> list[tuple[_Partition, TicketItem, str | None]]:
        taken: list[tuple[_Partition, TicketItem, str | None]] = []
        while len(taken) < wanted:
            best = self._best()
            if best is None:
                break
            if best.buffer:
                item = best.buffer.popleft()
                taken.append((best, item, best.taken))
                best.taken, best.taken_count = getattr(item, self.sort_attr), best.taken_count + 1
                continue
            if self.read >= self.budget:
                break
            self._fill(best, wanted - len(taken), len(taken))
        return taken

    def _best(self) -> _Partition | None:
        """The partition whose next item comes first: a buffered head, or a partition not yet read
        that far (whose next item may come before every head)."""
        best: _Partition | None = None
        for part in self.parts:
            if part.exhausted:
                continue
            if best is None or self._before(part, best):
                best = part
        return best

    def _before(self, a: _Partition, b: _Partition) -> bool:
        if a.rank != b.rank:
            return a.rank < b.rank
        ka, kb = self._frontier(a), self._frontier(b)
        if ka is None:  # not read at all: its first item may come before anything
            return kb is not None
        if kb is None:
            return False
        if ka == kb:  # a partition read past a key comes before the item at that key in another
            return not a.buffer
        return ka > kb if self.plan.descending else ka < kb

    def _frontier(self, part: _Partition) -> str | None:
        if part.buffer:
            return str(getattr(part.buffer[0], self.sort_attr))
        return part.read_to if part.read_to is not None else part.start

    def _fill(self, part: _Partition, need: int, taken_total: int) -> None:
        peers = [p for p in self.parts if p.rank == part.rank and not p.exhausted]
        share = (part.taken_count + 1) / (taken_total + len(peers))
        rate = (part.matched + 1) / (part.scanned + 1)  # a residual filter's match rate so far
        size = max(1, min(self.budget - self.read, ceil(need * share / rate)))
        after = part.read_to if part.read_to is not None else part.start
        page = MainItem._get_connection().query(
            part.key,
            range_key_condition=self._key_condition(after),
            filter_condition=self.filter,
            index_name=self.index,
            attributes_to_get=self.attributes,
            limit=size,
            scan_index_forward=not self.plan.descending,
        )
        scanned = int(page["ScannedCount"])
        self.read += scanned
        part.scanned += scanned
        found = [MainItem.from_raw_data(raw) for raw in page.get("Items", [])]
        fresh = [t for t in found if isinstance(t, TicketItem) and getattr(t, self.sort_attr) != after]
        part.matched += len(fresh)
        part.buffer.extend(fresh)
        last_key = page.get("LastEvaluatedKey")
        if last_key is None:
            part.done = True
        else:
            part.read_to = str(last_key[self.sort_attr]["S"])

    def _key_condition(self, after: str | None) -> Condition | None:
        """The plan's sort-key bounds, narrowed to what comes after the position read up to."""
        attr = getattr(MainItem, self.sort_attr)
        low, high = self.plan.key_after, self.plan.key_before
        if after is not None:
            if self.plan.descending:
                high = _just_below(after) if high is None else min(high, _just_below(after))
            else:
                low = _just_above(after) if low is None else max(low, _just_above(after))
        if low is not None and high is not None:
            return attr.between(low, high)  # type: ignore[no-any-return]
        if low is not None:
            return attr >= low  # type: ignore[no-any-return]
        if high is not None:
            return attr <= high  # type: ignore[no-any-return]
        return None


# Sort keys are ``<time>#<id>``: fixed-length ASCII below ``~``. A page resumes strictly after the
# key it read up to, so that key is never read again (an inclusive bound would re-read it each time).
def _just_below(key: str) -> str:
    """The greatest bound every key before ``key`` is at or under."""
    return key[:-1] + chr(ord(key[-1]) - 1) + "~"


def _just_above(key: str) -> str:
    """The least bound every key after ``key`` is at or over (no key extends another)."""
    return key + " "


def _partitions(tenant_id: str, plan: Plan, state: Any) -> list[_Partition]:
    parts = [
        _Partition(keys.ticket_partition(tenant_id, kind, value), plan.rank(i), None, False)
        for i, (kind, value) in enumerate(plan.partitions)
    ]
    if state is None:
        return parts
    if isinstance(state, dict) and state.get("k") == _plan_key(plan) and len(state["at"]) == len(parts):
        for part, position in zip(parts, state["at"], strict=True):
            part.done = position is False
            part.start = position if isinstance(position, str) else None
        return parts
    last = _last_of(state)
    if last is None:
        return parts
    rank, key = int(last[0]), str(last[1])
    for part in parts:  # another plan's cursor: resume every partition after the last item returned
        part.done = part.rank < rank
        part.start = key if part.rank == rank else None
    return parts


def _last_of(state: Any) -> list[Any] | None:
    """The last item returned as ``[rank, sort key]``, from this module's cursors and from the
    cursors of before (a bare sort key of a merge; ``[partition index, sort key]`` of a concat)."""
    if isinstance(state, dict):
        last = state.get("last")
        return list(last) if last else None
    if isinstance(state, str):
        return [0, state]
    if isinstance(state, list) and len(state) == 2:
        return [int(state[0]), str(state[1])]
    return None


def _position(part: _Partition, sort_attr: str, descending: bool) -> str | bool | None:
    """Where the next page resumes this partition: False when nothing is left; at the first item read
    but not returned (what came before it was returned or filtered out: it is not read again); else
    after everything read."""
    if part.exhausted:
        return False
    if part.buffer:
        first = str(getattr(part.buffer[0], sort_attr))
        return _just_above(first) if descending else _just_below(first)
    return part.read_to if part.read_to is not None else part.start


def _plan_key(plan: Plan) -> str:
    return f"{plan.index}:{len(plan.partitions)}"
