"""The team's daily and monthly rollups (RollupItem): applying one change exactly once, reading a
period of one dimension (whole closed months from their month items, the other days from day items),
and replacing a day or a month when the rebuild job recomputed it. Tenant first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.operand import Path, Value
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.data import keys
from chalicelib.data.models import RollupItem, rollup_contents
from chalicelib.data.store import _connection, backoff
from chalicelib.domain.metrics_calendar import day_ranges_outside, month_of, whole_months
from chalicelib.domain.metrics_fold import (
    HISTOGRAM_COUNTS,
    IDS,
    DayRollup,
    Dimension,
    RollupDelta,
    accumulate,
    buckets_elsewhere,
    pack_buckets,
    packed_attr,
    summed,
    unpack_buckets,
)

MARKER_LIFETIME = timedelta(days=8)  # longer than a stream record lives (24 h) and its retries
APPLY_ATTEMPTS = 8
_ACTIONS_PER_UPDATE = 60  # an update expression is at most 4 KB


def rollup_partition(tenant_id: str, dimension: str) -> str:
    return f"{keys.tenant(tenant_id)}#M#{dimension}"


def rollup_key(tenant_id: str, day: date, dim: Dimension) -> tuple[str, str]:
    return rollup_partition(tenant_id, dim.name), f"{day.isoformat()}#{dim.value}"


def month_partition(tenant_id: str, dimension: str) -> str:
    return f"{keys.tenant(tenant_id)}#MM#{dimension}"


def month_key(tenant_id: str, month: date, dim: Dimension) -> tuple[str, str]:
    """A closed month's item: ``sk = <YYYY-MM>#<value>``; ``<YYYY-MM>`` alone marks the month built."""
    return month_partition(tenant_id, dim.name), f"{month.isoformat()[:7]}#{dim.value}"


def _marker_key(tenant_id: str, change_id: str) -> tuple[str, str]:
    ticket_id, _, version = change_id.rpartition("@")
    return f"{keys.tenant(tenant_id)}#MAPPLIED#{ticket_id}", version


def apply_change(
    tenant_id: str, change_id: str, delta: RollupDelta, now: datetime, closed_before: date | None = None
) -> bool:
    """Adds the change to its rollups in one transaction with a marker for ``change_id``; False when
    the marker was there (the change was applied before: a redelivered stream record). A change to a
    day before ``closed_before`` (the first day of the workspace's current month) is added to its
    month's items too, in the same transaction, so a built month stays the sum of its days."""
    for attempt in range(APPLY_ATTEMPTS):
        try:
            with TransactWrite(connection=_connection()) as tx:
                pk, sk = _marker_key(tenant_id, change_id)
                marker = RollupItem(pk, sk, tenant_id=tenant_id, expires=now + MARKER_LIFETIME)
                tx.save(marker, condition=RollupItem.pk.does_not_exist())
                for item, actions in _merged_updates(tenant_id, [delta], closed_before):
                    tx.update(item, actions)
            return True
        except TransactWriteError as error:
            reasons = [r.code if r else None for r in (error.cancellation_reasons or [])]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                return False
            if attempt == APPLY_ATTEMPTS - 1 or not any(r == "TransactionConflict" for r in reasons):
                raise
            backoff(attempt)  # another change of the same day and dimension landed at the same moment
    return False  # pragma: no cover - the loop returns or raises


MAX_TRANSACTION_ITEMS = 100


def apply_changes(
    tenant_id: str, changes: list[tuple[str, RollupDelta]], now: datetime, closed_before: date | None = None
) -> int:
    """Applies many changes of one workspace with few transactions: each holds the markers of up to
    a few dozen changes and their rollup updates merged per item, so a busy stream batch costs a
    handful of writes instead of one per change. A chunk that finds any of its markers already there
    (a redelivered record) is applied again change by change, where the markers decide. Returns how
    many changes were counted now."""
    counted = 0
    chunk: list[tuple[str, RollupDelta]] = []
    items: set[tuple[str, str]] = set()
    seen: set[str] = set()
    for change_id, delta in changes:
        if change_id in seen:  # the same record twice in a batch: one marker per transaction item
            continue
        seen.add(change_id)
        keys_of = set(_keys_of(tenant_id, delta, closed_before))
        if chunk and len(chunk) + 1 + len(items | keys_of) > MAX_TRANSACTION_ITEMS // 2:
            counted += _apply_chunk(tenant_id, chunk, now, closed_before)
            chunk, items = [], set()
        chunk.append((change_id, delta))
        items |= keys_of
    if chunk:
        counted += _apply_chunk(tenant_id, chunk, now, closed_before)
    return counted


def _apply_chunk(
    tenant_id: str, chunk: list[tuple[str, RollupDelta]], now: datetime, closed_before: date | None
) -> int:
    def one_by_one() -> int:
        return sum(apply_change(tenant_id, change_id, delta, now, closed_before) for change_id, delta in chunk)

    if len(chunk) == 1:
        return one_by_one()
    merged = _merged_updates(tenant_id, [delta for _, delta in chunk], closed_before)
    if any(len(actions) > _ACTIONS_PER_UPDATE for _, actions in merged):
        return one_by_one()
    for attempt in range(APPLY_ATTEMPTS):
        try:
            with TransactWrite(connection=_connection()) as tx:
                for change_id, _ in chunk:
                    pk, sk = _marker_key(tenant_id, change_id)
                    marker = RollupItem(pk, sk, tenant_id=tenant_id, expires=now + MARKER_LIFETIME)
                    tx.save(marker, condition=RollupItem.pk.does_not_exist())
                for item, actions in merged:
                    tx.update(item, actions)
            return len(chunk)
        except TransactWriteError as error:
            reasons = [r.code if r else None for r in (error.cancellation_reasons or [])]
            if "ConditionalCheckFailed" in reasons:
                return one_by_one()
            if attempt == APPLY_ATTEMPTS - 1 or "TransactionConflict" not in reasons:
                raise
            backoff(attempt)
    return 0  # pragma: no cover - the loop returns or raises


def _keys_of(tenant_id: str, delta: RollupDelta, closed_before: date | None) -> Iterator[tuple[str, str]]:
    for (day, dim), _ in accumulate([delta]).items():
        yield rollup_key(tenant_id, day, dim)
        if _in_closed_month(day, dim, closed_before):
            yield month_key(tenant_id, month_of(day), dim)


def _in_closed_month(day: date, dim: Dimension, closed_before: date | None) -> bool:
    return closed_before is not None and day < closed_before and dim.name != IDS


def _merged_updates(
    tenant_id: str, deltas: list[RollupDelta], closed_before: date | None = None
) -> list[tuple[RollupItem, list[Action]]]:
    """The updates of several changes, one per rollup item: numbers added up, id sets joined; a day
    of a closed month adds to its month's item as well."""
    numbers: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    id_sets: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(dict)
    for (day, dim), acc in accumulate(deltas).items():
        targets = [rollup_key(tenant_id, day, dim)]
        if _in_closed_month(day, dim, closed_before):
            targets.append(month_key(tenant_id, month_of(day), dim))
        for key in targets:
            row = numbers[key]
            for name, n in acc.figures.items():
                row[name] = row.get(name, 0) + n
            for name, ids in acc.id_sets.items():
                id_sets[key].setdefault(name, set()).update(ids)
    updates = []
    for key in sorted(set(numbers) | set(id_sets)):
        actions: list[Action] = [Path(name).add(Value(n)) for name, n in sorted(numbers.get(key, {}).items())]
        actions += [Path(name).add(Value(ids)) for name, ids in sorted(id_sets.get(key, {}).items())]
        if actions:
            updates.append((RollupItem(*key, tenant_id=tenant_id), actions))
    return updates


def _item(tenant_id: str, day: date, dim: Dimension) -> RollupItem:
    pk, sk = rollup_key(tenant_id, day, dim)
    return RollupItem(pk, sk, tenant_id=tenant_id)


def read_span(
    tenant_id: str, dimension: str, first: date, last: date, closed_before: date, only: tuple[str, ...] | None = None
) -> list[DayRollup]:
    """Every rollup of one dimension from ``first`` to ``last``: each whole month before
    ``closed_before`` that the month job has built as one item per value (dated its first day), the
    other days as day items (``only``: the figures wanted of them, as ``read_period`` takes it). A
    report that only adds a period up reads a year as 12 months and the open days, not 365 days."""
    months = whole_months(first, last, closed_before)
    built: dict[date, list[DayRollup]] = {}
    if months:
        built = read_months(tenant_id, dimension, months[0], months[-1])
    rows = [row for month in months if month in built for row in built[month]]
    for start, end in day_ranges_outside(first, last, [m for m in months if m in built]):
        rows += read_period(tenant_id, dimension, start, end, only)
    return rows


def read_value(tenant_id: str, dimension: str, value: str, first: date, last: date) -> list[DayRollup]:
    """One dimension value's day items from ``first`` to ``last``, fetched by key (BatchGetItem, 100
    keys a call): a filtered report reads its value's items only, not every value's."""
    partition = rollup_partition(tenant_id, dimension)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    found = RollupItem.batch_get([(partition, f"{day.isoformat()}#{value}") for day in days])
    return sorted((_figures(dimension, item) for item in found), key=lambda r: r.day)


def read_months(tenant_id: str, dimension: str, first: date, last: date) -> dict[date, list[DayRollup]]:
    """The built months from ``first`` to ``last`` (first days of months) and their items; a month
    that only has items the consumer ADDed (a change that arrived before the month was built) is
    left out, so its days are read instead."""
    partition = month_partition(tenant_id, dimension)
    rows: dict[date, list[DayRollup]] = defaultdict(list)
    built: set[date] = set()
    start = None
    connection = RollupItem._get_connection()
    while True:
        page = connection.query(
            partition,
            range_key_condition=RollupItem.sk.between(first.isoformat()[:7], last.isoformat()[:7] + "#\uffff"),
            exclusive_start_key=start,
        )
        for raw in page.get("Items", ()):
            month_text, marked, value = raw["sk"]["S"].partition("#")
            month = date.fromisoformat(month_text + "-01")
            if not marked:
                built.add(month)
                continue
            figures, id_sets, packed = rollup_contents(raw)
            histograms = {name[2:]: unpack_buckets(text) for name, text in packed.items()}
            rows[month].append(DayRollup(month, dimension, value, figures, id_sets, histograms))
        start = page.get("LastEvaluatedKey")
        if start is None:
            break
    return {month: rows.get(month, []) for month in sorted(built)}


def read_period(
    tenant_id: str, dimension: str, first: date, last: date, only: tuple[str, ...] | None = None
) -> list[DayRollup]:
    """Every rollup of one dimension from ``first`` to ``last`` (inclusive): one Query (paged).
    ``only`` names the figures wanted (e.g. ``c_solved``, ``p_frt_cal``), so a period reads a fraction
    of each item. Where packed histograms are wanted, an item whose packed buckets do not account for
    all its counts (the consumer ADDed flat buckets: today's item, a change delivered after the day
    was rebuilt) is read again whole, with one BatchGetItem per 100 such items."""
    partition = rollup_partition(tenant_id, dimension)
    wanted = None
    histograms = [name[2:] for name in only or () if name.startswith("p_")]
    if only is not None:
        counters = [HISTOGRAM_COUNTS[h] for h in histograms]
        wanted = ["sk", *dict.fromkeys([*only, *counters])]
    results = [_decoded(dimension, raw) for raw in _query(partition, first, last, wanted)]
    partial = [(r.day, r.value) for r in results if histograms and buckets_elsewhere(r, histograms)]
    if partial:
        keys_of = [(partition, f"{day.isoformat()}#{value}") for day, value in partial]
        read_again = (_figures(dimension, item) for item in RollupItem.batch_get(keys_of))
        whole = {(r.day, r.value): r for r in read_again}
        results = [whole.get((r.day, r.value), r) for r in results]
    return results


def _query(partition: str, first: date, last: date, wanted: list[str] | None) -> Iterator[dict[str, Any]]:
    """The Query's items as DynamoDB returns them: a period is hundreds to thousands of small items,
    and making a model of each cost more than the rest of the report."""
    connection = RollupItem._get_connection()
    start = None
    while True:
        page = connection.query(
            partition,
            range_key_condition=RollupItem.sk.between(first.isoformat(), last.isoformat() + "#\uffff"),
            attributes_to_get=wanted,
            exclusive_start_key=start,
        )
        yield from page.get("Items", ())
        start = page.get("LastEvaluatedKey")
        if start is None:
            return


def _decoded(dimension: str, raw: dict[str, Any]) -> DayRollup:
    day, _, value = raw["sk"]["S"].partition("#")
    figures, id_sets, packed = rollup_contents(raw)
    histograms = {name[2:]: unpack_buckets(text) for name, text in packed.items()}
    return DayRollup(date.fromisoformat(day), dimension, value, figures, id_sets, histograms)


def _figures(dimension: str, item: RollupItem) -> DayRollup:  # a whole item, read again
    day, _, value = item.sk.partition("#")
    packed = {name[2:]: unpack_buckets(text) for name, text in item.packed.items()}
    return DayRollup(date.fromisoformat(day), dimension, value, item.figures, item.id_sets, packed)


def replace_day(tenant_id: str, day: date, rollups: Iterable[DayRollup], dimensions: Iterable[str]) -> int:
    """The rebuild job's write: the day's stored rollups of every dimension are deleted and the
    recomputed ones written, each histogram packed in one attribute (the day is closed: the consumer's
    ADDs of a change delivered late land beside it as flat buckets and are read with it). Returns how
    many were written."""
    for dimension in dimensions:
        for stale in read_period(tenant_id, dimension, day, day):
            pk, sk = rollup_key(tenant_id, day, Dimension(dimension, stale.value))
            RollupItem(pk, sk).delete()
    written = 0
    for rollup in rollups:
        _write_packed(_item(tenant_id, day, Dimension(rollup.dimension, rollup.value)), rollup)
        written += 1
    return written


def replace_month(tenant_id: str, month: date, dimensions: Iterable[str]) -> int:
    """The month job's write for a closed month: each dimension's day items of the month added up per
    value into one month item (histograms packed), the old month items replaced, and the month
    marked built. Returns how many items were written."""
    last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    written = 0
    for dimension in dimensions:
        partition = month_partition(tenant_id, dimension)
        for stale in RollupItem.query(partition, RollupItem.sk.startswith(month.isoformat()[:7])):
            stale.delete()
        by_value: dict[str, list[DayRollup]] = defaultdict(list)
        for row in read_period(tenant_id, dimension, month, last):
            by_value[row.value].append(row)
        for value, rows in sorted(by_value.items()):
            total = summed(month, dimension, value, rows)
            pk, sk = month_key(tenant_id, month, Dimension(dimension, value))
            _write_packed(RollupItem(pk, sk, tenant_id=tenant_id), total)
            written += 1
        RollupItem(partition, month.isoformat()[:7], tenant_id=tenant_id).save()
    return written


def _write_packed(item: RollupItem, rollup: DayRollup) -> None:
    plain, histograms, id_sets = rollup.totals
    actions: list[Action] = [Path(n).add(Value(v)) for n, v in sorted(plain.items())]
    actions += [Path(packed_attr(h)).set(Value(pack_buckets(b))) for h, b in sorted(histograms.items())]
    actions += [Path(n).add(Value(ids)) for n, ids in sorted(id_sets.items()) if ids]
    for start in range(0, len(actions), _ACTIONS_PER_UPDATE):
        item.update(actions=actions[start : start + _ACTIONS_PER_UPDATE])
