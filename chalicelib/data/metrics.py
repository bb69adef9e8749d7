"""The team's daily, weekly and monthly rollups and the live backlog counters (RollupItem): applying
one change exactly once, reading a period of one dimension (whole closed months from their month
items, whole closed weeks of the rest from week items, the other days from day items, the three read
side by side), and replacing a day, a week, a month or the backlog counters when the rebuild job
recomputed them. Tenant first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime, timedelta
from threading import current_thread
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.operand import Path, Value
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.data import keys
from chalicelib.data.models import RollupItem, rollup_contents
from chalicelib.data.store import _connection, backoff
from chalicelib.domain.metrics_calendar import joined_runs, month_end, month_of, span_plan, week_end, week_of
from chalicelib.domain.metrics_fold import (
    HISTOGRAM_COUNTS,
    IDS,
    PACKED_NUMBERS,
    DayRollup,
    Dimension,
    PackedHistograms,
    RollupDelta,
    accumulate,
    buckets_elsewhere,
    counter_attr,
    pack_buckets,
    pack_numbers,
    packed_attr,
    summed,
)

MARKER_LIFETIME = timedelta(days=8)  # longer than a stream record lives (24 h) and its retries
APPLY_ATTEMPTS = 8
_ACTIONS_PER_UPDATE = 60  # an update expression is at most 4 KB
# A span's reads (months, weeks, runs of days) run side by side: each is a round trip, mostly waiting.
SPAN_READERS = 4


def rollup_partition(tenant_id: str, dimension: str) -> str:
    return f"{keys.tenant(tenant_id)}#M#{dimension}"


def rollup_key(tenant_id: str, day: date, dim: Dimension) -> tuple[str, str]:
    return rollup_partition(tenant_id, dim.name), f"{day.isoformat()}#{dim.value}"


def month_partition(tenant_id: str, dimension: str) -> str:
    return f"{keys.tenant(tenant_id)}#MM#{dimension}"


def month_key(tenant_id: str, month: date, dim: Dimension) -> tuple[str, str]:
    """A closed month's item: ``sk = <YYYY-MM>#<value>``; ``<YYYY-MM>`` alone marks the month built."""
    return month_partition(tenant_id, dim.name), f"{month.isoformat()[:7]}#{dim.value}"


def week_partition(tenant_id: str, dimension: str) -> str:
    return f"{keys.tenant(tenant_id)}#MW#{dimension}"


def week_key(tenant_id: str, week: date, dim: Dimension) -> tuple[str, str]:
    """A closed week's item: ``sk = <Monday>#<value>``; ``<Monday>`` alone marks the week built."""
    return week_partition(tenant_id, dim.name), f"{week.isoformat()}#{dim.value}"


def backlog_partition(tenant_id: str) -> str:
    return f"{keys.tenant(tenant_id)}#MB"


def backlog_key(tenant_id: str, dim: Dimension) -> tuple[str, str]:
    """The live backlog counters of one scope (``all#``, ``queue#billing``, ...): ``c_open``,
    ``c_unassigned``, ADDed by the consumer with the changes that move them."""
    return backlog_partition(tenant_id), dim.key


def _marker_key(tenant_id: str, change_id: str) -> tuple[str, str]:
    ticket_id, _, version = change_id.rpartition("@")
    return f"{keys.tenant(tenant_id)}#MAPPLIED#{ticket_id}", version


def apply_change(
    tenant_id: str,
    change_id: str,
    delta: RollupDelta,
    now: datetime,
    closed_before: date | None = None,
    open_week: date | None = None,
) -> bool:
    """Adds the change to its rollups and the backlog counters in one transaction with a marker for
    ``change_id``; False when the marker was there (the change was applied before: a redelivered
    stream record). A change to a day before ``closed_before`` (the first day of the workspace's
    current month) is added to its month's items too, and one before ``open_week`` (the Monday of its
    current week) to its week's, in the same transaction, so a built month or week stays the sum of
    its days."""
    for attempt in range(APPLY_ATTEMPTS):
        try:
            with TransactWrite(connection=_connection()) as tx:
                pk, sk = _marker_key(tenant_id, change_id)
                marker = RollupItem(pk, sk, tenant_id=tenant_id, expires=now + MARKER_LIFETIME)
                tx.save(marker, condition=RollupItem.pk.does_not_exist())
                for item, actions in _merged_updates(tenant_id, [delta], closed_before, open_week):
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
    tenant_id: str,
    changes: list[tuple[str, RollupDelta]],
    now: datetime,
    closed_before: date | None = None,
    open_week: date | None = None,
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
        keys_of = set(_keys_of(tenant_id, delta, closed_before, open_week))
        if chunk and len(chunk) + 1 + len(items | keys_of) > MAX_TRANSACTION_ITEMS // 2:
            counted += _apply_chunk(tenant_id, chunk, now, closed_before, open_week)
            chunk, items = [], set()
        chunk.append((change_id, delta))
        items |= keys_of
    if chunk:
        counted += _apply_chunk(tenant_id, chunk, now, closed_before, open_week)
    return counted


def _apply_chunk(
    tenant_id: str,
    chunk: list[tuple[str, RollupDelta]],
    now: datetime,
    closed_before: date | None,
    open_week: date | None,
) -> int:
    def one_by_one() -> int:
        return sum(
            apply_change(tenant_id, change_id, delta, now, closed_before, open_week) for change_id, delta in chunk
        )

    if len(chunk) == 1:
        return one_by_one()
    merged = _merged_updates(tenant_id, [delta for _, delta in chunk], closed_before, open_week)
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


def _keys_of(
    tenant_id: str, delta: RollupDelta, closed_before: date | None, open_week: date | None
) -> Iterator[tuple[str, str]]:
    for (day, dim), _ in accumulate([delta]).items():
        yield from _targets(tenant_id, day, dim, closed_before, open_week)
    for dim in delta.backlog:
        yield backlog_key(tenant_id, dim)


def _targets(
    tenant_id: str, day: date, dim: Dimension, closed_before: date | None, open_week: date | None
) -> list[tuple[str, str]]:
    """The items a day's figures add to: the day's, and its closed month's and closed week's."""
    targets = [rollup_key(tenant_id, day, dim)]
    if dim.name != IDS:
        if closed_before is not None and day < closed_before:
            targets.append(month_key(tenant_id, month_of(day), dim))
        if open_week is not None and day < open_week:
            targets.append(week_key(tenant_id, week_of(day), dim))
    return targets


def _merged_updates(
    tenant_id: str, deltas: list[RollupDelta], closed_before: date | None = None, open_week: date | None = None
) -> list[tuple[RollupItem, list[Action]]]:
    """The updates of several changes, one per rollup item: numbers added up, id sets joined; a day
    of a closed month or week adds to its month's or week's item as well; the backlog counters they
    move, one update per scope."""
    numbers: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    id_sets: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(dict)
    for delta in deltas:
        for dim, moved in delta.backlog.items():
            row = numbers[backlog_key(tenant_id, dim)]
            for name, n in moved.items():
                row[counter_attr(name)] = row.get(counter_attr(name), 0) + n
    for (day, dim), acc in accumulate(deltas).items():
        for key in _targets(tenant_id, day, dim, closed_before, open_week):
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
    tenant_id: str,
    dimension: str,
    first: date,
    last: date,
    closed_before: date,
    only: tuple[str, ...] | None = None,
    open_week: date | None = None,
) -> list[DayRollup]:
    """Every rollup of one dimension from ``first`` to ``last``: each whole month before
    ``closed_before`` that the month job has built as one item per value (dated its first day), each
    whole week of the rest before ``open_week`` that the week job has built (dated its Monday), the
    other days as day items (``only``: the figures wanted of them, as ``read_period`` takes it). A
    year reads 12 months and its open days, 30 days about four weeks and a few days at each end.

    The months, the weeks and the runs of days are read side by side, as if every closed month and
    week were built (the nightly job builds them); one found unbuilt has its days read after."""
    return read_spans(tenant_id, dimension, [(first, last)], closed_before, only, open_week)[0]


def read_spans(
    tenant_id: str,
    dimension: str,
    spans: list[tuple[date, date]],
    closed_before: date,
    only: tuple[str, ...] | None = None,
    open_week: date | None = None,
) -> list[list[DayRollup]]:
    """``read_span`` of periods that follow one another (a comparison and its period), each planned on
    its own, read with shared Queries: the months of all in one Query, the weeks of all in one (a unit
    straddling two periods is read and left out), and runs of days that meet as one (the comparison's
    last days and the period's first). Returns each period's rows, in the order given."""
    plans = [span_plan(first, last, closed_before, open_week) for first, last in spans]
    months = tuple(sorted({m for plan in plans for m in plan.months}))
    weeks = tuple(sorted({w for plan in plans for w in plan.weeks}))
    runs = joined_runs([run for plan in plans for run in plan.days])
    with _readers() as pool:
        month_read = _submit(pool, read_months, tenant_id, dimension, months)
        week_read = _submit(pool, read_weeks, tenant_id, dimension, weeks)
        reads = [pool.submit(read_period, tenant_id, dimension, a, b, _fields(only, b, open_week)) for a, b in runs]
        # kept apart: a month and a week may begin on the same Monday
        built_months = {m: rows for m, rows in month_read.result().items() if m in months}
        built_weeks = {w: rows for w, rows in week_read.result().items() if w in weeks}
        unbuilt = [(m, month_end(m)) for m in months if m not in built_months]
        unbuilt += [(w, week_end(w)) for w in weeks if w not in built_weeks]
        reads += [pool.submit(read_period, tenant_id, dimension, a, b, only) for a, b in unbuilt]
        rows = [row for built in (built_months, built_weeks) for unit in sorted(built) for row in built[unit]]
        for read in reads:
            rows += read.result()
    # a unit's row is dated its first day, which lies in its period like every day row
    per_span: list[list[DayRollup]] = [[] for _ in spans]
    for row in rows:
        for index, (first, last) in enumerate(spans):
            if first <= row.day <= last:
                per_span[index].append(row)
                break
    return per_span


def _fields(only: tuple[str, ...] | None, last: date, open_week: date | None) -> tuple[str, ...] | None:
    """What a run of days reads of its items: a run into the open week holds today's items, which the
    consumer keeps as flat buckets that a projection misses; read whole at once, they are not read again
    by key after the Query (a round trip after the others)."""
    return None if open_week is not None and last >= open_week else only


def _readers() -> ThreadPoolExecutor:
    # named after the caller's thread, so a request's reads are told as the request's
    return ThreadPoolExecutor(max_workers=SPAN_READERS, thread_name_prefix=f"{current_thread().name}-span")


def _submit(
    pool: ThreadPoolExecutor,
    read: Callable[[str, str, date, date], dict[date, list[DayRollup]]],
    tenant_id: str,
    dimension: str,
    units: tuple[date, ...],
) -> Future[dict[date, list[DayRollup]]]:
    if not units:
        done: Future[dict[date, list[DayRollup]]] = Future()
        done.set_result({})
        return done
    return pool.submit(read, tenant_id, dimension, units[0], units[-1])


def read_value(
    tenant_id: str,
    dimension: str,
    value: str,
    first: date,
    last: date,
    closed_before: date | None = None,
    open_week: date | None = None,
) -> list[DayRollup]:
    """One dimension value's items from ``first`` to ``last``, fetched by key (BatchGetItem, 100 keys a
    call): a filtered report reads its value's items only, not every value's. Whole closed months
    (before ``closed_before``) and weeks (before ``open_week``) are read as their one item with the
    mark that says it is built; one found unbuilt has its days fetched after."""
    plan = span_plan(first, last, closed_before or date.min, open_week)
    units = [(m, month_partition(tenant_id, dimension), m.isoformat()[:7]) for m in plan.months]
    units += [(w, week_partition(tenant_id, dimension), w.isoformat()) for w in plan.weeks]
    days = [d for a, b in plan.days for d in _each_day(a, b)]
    wanted = [(partition, f"{mark}#{value}") for _, partition, mark in units]
    wanted += [(partition, mark) for _, partition, mark in units]
    wanted += _day_keys(tenant_id, dimension, value, days)
    found = {(item.pk, item.sk): item for item in RollupItem.batch_get(wanted)}
    rows = []
    unbuilt: list[date] = []
    for unit, partition, mark in units:
        if (partition, mark) not in found:
            last_day = month_end(unit) if unit in plan.months else week_end(unit)
            unbuilt += _each_day(unit, last_day)
        elif (partition, f"{mark}#{value}") in found:
            rows.append(_unit_figures(unit, dimension, found[(partition, f"{mark}#{value}")]))
    if unbuilt:
        found.update({(i.pk, i.sk): i for i in RollupItem.batch_get(_day_keys(tenant_id, dimension, value, unbuilt))})
    for key in _day_keys(tenant_id, dimension, value, sorted([*days, *unbuilt])):
        if key in found:
            rows.append(_figures(dimension, found[key]))
    return rows


def _each_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _day_keys(tenant_id: str, dimension: str, value: str, days: list[date]) -> list[tuple[str, str]]:
    partition = rollup_partition(tenant_id, dimension)
    return [(partition, f"{day.isoformat()}#{value}") for day in days]


def _unit_figures(unit: date, dimension: str, item: RollupItem) -> DayRollup:  # a built month's or week's item
    packed = PackedHistograms({name[2:]: text for name, text in item.packed.items()})
    return DayRollup(unit, dimension, item.sk.partition("#")[2], item.figures, item.id_sets, packed)


def read_months(tenant_id: str, dimension: str, first: date, last: date) -> dict[date, list[DayRollup]]:
    """The built months from ``first`` to ``last`` (first days of months) and their items; a month
    that only has items the consumer ADDed (a change that arrived before the month was built) is
    left out, so its days are read instead."""
    return _read_built(
        month_partition(tenant_id, dimension),
        dimension,
        first.isoformat()[:7],
        last.isoformat()[:7],
        lambda text: date.fromisoformat(text + "-01"),
    )


def read_weeks(tenant_id: str, dimension: str, first: date, last: date) -> dict[date, list[DayRollup]]:
    """The built weeks from ``first`` to ``last`` (Mondays) and their items, as ``read_months``."""
    return _read_built(
        week_partition(tenant_id, dimension), dimension, first.isoformat(), last.isoformat(), date.fromisoformat
    )


def _read_built(
    partition: str, dimension: str, first: str, last: str, unit_of: Callable[[str], date]
) -> dict[date, list[DayRollup]]:
    rows: dict[date, list[DayRollup]] = defaultdict(list)
    built: set[date] = set()
    start = None
    connection = RollupItem._get_connection()
    while True:
        page = connection.query(
            partition,
            range_key_condition=RollupItem.sk.between(first, last + "#\uffff"),
            exclusive_start_key=start,
        )
        for raw in page.get("Items", ()):
            unit_text, marked, value = raw["sk"]["S"].partition("#")
            unit = unit_of(unit_text)
            if not marked:
                built.add(unit)
                continue
            figures, id_sets, packed = rollup_contents(raw)
            histograms = PackedHistograms({name[2:]: text for name, text in packed.items()})
            rows[unit].append(DayRollup(unit, dimension, value, figures, id_sets, histograms))
        start = page.get("LastEvaluatedKey")
        if start is None:
            break
    return {unit: rows.get(unit, []) for unit in sorted(built)}


def read_period(
    tenant_id: str, dimension: str, first: date, last: date, only: tuple[str, ...] | None = None
) -> list[DayRollup]:
    """Every rollup of one dimension from ``first`` to ``last`` (inclusive): one Query (paged).
    ``only`` names the figures wanted (e.g. ``c_solved``, ``p_frt_cal``), so a period reads a fraction
    of each item (and a closed item's packed numbers, which hold them). Where packed histograms are
    wanted, an item whose packed buckets do not account for all its counts (the consumer ADDed flat
    buckets: today's item, a change delivered after the day was rebuilt) is read again whole, with one
    BatchGetItem per 100 such items."""
    partition = rollup_partition(tenant_id, dimension)
    wanted = None
    histograms = [name[2:] for name in only or () if name.startswith("p_")]
    if only is not None:
        counters = [HISTOGRAM_COUNTS[h] for h in histograms]
        wanted = ["sk", *dict.fromkeys([*only, *counters, PACKED_NUMBERS])]
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
    histograms = PackedHistograms({name[2:]: text for name, text in packed.items()})
    return DayRollup(date.fromisoformat(day), dimension, value, figures, id_sets, histograms)


def _figures(dimension: str, item: RollupItem) -> DayRollup:  # a whole item, read again
    day, _, value = item.sk.partition("#")
    packed = PackedHistograms({name[2:]: text for name, text in item.packed.items()})
    return DayRollup(date.fromisoformat(day), dimension, value, item.figures, item.id_sets, packed)


def replace_day(tenant_id: str, day: date, rollups: Iterable[DayRollup], dimensions: Iterable[str]) -> int:
    """The rebuild job's write: the day's stored rollups of every dimension are deleted and the
    recomputed ones written, their numbers packed in one attribute and each histogram in one (the day is
    closed: the consumer's ADDs of a change delivered late land beside them as flat numbers and buckets
    and are read with them). Returns how
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
    return _replace_unit(
        tenant_id, month, month_end(month), month.isoformat()[:7], month_partition, month_key, dimensions
    )


def replace_week(tenant_id: str, week: date, dimensions: Iterable[str]) -> int:
    """The week job's write for a closed week (its Monday), as ``replace_month`` does for a month."""
    return _replace_unit(tenant_id, week, week_end(week), week.isoformat(), week_partition, week_key, dimensions)


def _replace_unit(
    tenant_id: str,
    first: date,
    last: date,
    mark: str,
    partition_of: Callable[[str, str], str],
    key_of: Callable[[str, date, Dimension], tuple[str, str]],
    dimensions: Iterable[str],
) -> int:
    written = 0
    for dimension in dimensions:
        partition = partition_of(tenant_id, dimension)
        for stale in RollupItem.query(partition, RollupItem.sk.startswith(mark)):
            stale.delete()
        by_value: dict[str, list[DayRollup]] = defaultdict(list)
        for row in read_period(tenant_id, dimension, first, last):
            by_value[row.value].append(row)
        for value, rows in sorted(by_value.items()):
            total = summed(first, dimension, value, rows)
            pk, sk = key_of(tenant_id, first, Dimension(dimension, value))
            _write_packed(RollupItem(pk, sk, tenant_id=tenant_id), total)
            written += 1
        RollupItem(partition, mark, tenant_id=tenant_id).save()
    return written


# --- the live backlog counters ---------------------------------------------------------------------


def read_backlog(tenant_id: str, dim: Dimension) -> dict[str, int]:
    """One scope's live backlog counters (``open``, ``unassigned``; absent = 0): one GetItem."""
    pk, sk = backlog_key(tenant_id, dim)
    try:
        item = RollupItem.get(pk, sk)
    except RollupItem.DoesNotExist:
        return {}
    return {name[2:]: n for name, n in item.figures.items() if name.startswith("c_")}


def replace_backlog(tenant_id: str, counted: dict[Dimension, dict[str, int]]) -> int:
    """The rebuild's write: every scope's counters set to what the tickets count now (scopes that no
    longer count anything are removed). Returns how many scopes were written."""
    partition = backlog_partition(tenant_id)
    wanted = {backlog_key(tenant_id, dim)[1]: row for dim, row in counted.items()}
    for stale in RollupItem.query(partition):
        if stale.sk not in wanted:
            stale.delete()
    for sk, row in sorted(wanted.items()):
        item = RollupItem(partition, sk, tenant_id=tenant_id)
        item.update(actions=[Path(counter_attr(name)).set(Value(n)) for name, n in sorted(row.items())])
    return len(wanted)


def _write_packed(item: RollupItem, rollup: DayRollup) -> None:
    plain, histograms, id_sets = rollup.totals
    actions: list[Action] = [Path(PACKED_NUMBERS).set(Value(pack_numbers(plain)))] if plain else []
    actions += [Path(packed_attr(h)).set(Value(pack_buckets(b))) for h, b in sorted(histograms.items())]
    actions += [Path(n).add(Value(ids)) for n, ids in sorted(id_sets.items()) if ids]
    for start in range(0, len(actions), _ACTIONS_PER_UPDATE):
        item.update(actions=actions[start : start + _ACTIONS_PER_UPDATE])
