"""The team's daily rollups (RollupItem): applying one change exactly once, reading a period of one
dimension with one Query, and replacing a day when the rebuild job recomputed it. Tenant first."""

from __future__ import annotations

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
from chalicelib.domain.metrics_fold import (
    ALL,
    HISTOGRAM_COUNTS,
    WORDS,
    DayRollup,
    Dimension,
    RollupDelta,
    additions,
    buckets_elsewhere,
    ids_attr,
    pack_buckets,
    packed_attr,
    unpack_buckets,
    word_attr,
)

MARKER_LIFETIME = timedelta(days=8)  # longer than a stream record lives (24 h) and its retries
APPLY_ATTEMPTS = 8
_ACTIONS_PER_UPDATE = 60  # an update expression is at most 4 KB


def rollup_partition(tenant_id: str, dimension: str) -> str:
    return f"{keys.tenant(tenant_id)}#M#{dimension}"


def rollup_key(tenant_id: str, day: date, dim: Dimension) -> tuple[str, str]:
    return rollup_partition(tenant_id, dim.name), f"{day.isoformat()}#{dim.value}"


def _marker_key(tenant_id: str, change_id: str) -> tuple[str, str]:
    ticket_id, _, version = change_id.rpartition("@")
    return f"{keys.tenant(tenant_id)}#MAPPLIED#{ticket_id}", version


def apply_change(tenant_id: str, change_id: str, delta: RollupDelta, now: datetime) -> bool:
    """Adds the change to its rollups in one transaction with a marker for ``change_id``; False when
    the marker was there (the change was applied before: a redelivered stream record)."""
    for attempt in range(APPLY_ATTEMPTS):
        try:
            with TransactWrite(connection=_connection()) as tx:
                pk, sk = _marker_key(tenant_id, change_id)
                marker = RollupItem(pk, sk, tenant_id=tenant_id, expires=now + MARKER_LIFETIME)
                tx.save(marker, condition=RollupItem.pk.does_not_exist())
                for item, actions in _updates(tenant_id, delta):
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


def apply_changes(tenant_id: str, changes: list[tuple[str, RollupDelta]], now: datetime) -> int:
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
        keys_of = {rollup_key(tenant_id, delta.day, dim) for dim in delta.dimensions}
        if delta.words:
            keys_of.add(rollup_key(tenant_id, delta.day, Dimension(WORDS)))
        if chunk and len(chunk) + 1 + len(items | keys_of) > MAX_TRANSACTION_ITEMS // 2:
            counted += _apply_chunk(tenant_id, chunk, now)
            chunk, items = [], set()
        chunk.append((change_id, delta))
        items |= keys_of
    if chunk:
        counted += _apply_chunk(tenant_id, chunk, now)
    return counted


def _apply_chunk(tenant_id: str, chunk: list[tuple[str, RollupDelta]], now: datetime) -> int:
    if len(chunk) == 1:
        return int(apply_change(tenant_id, chunk[0][0], chunk[0][1], now))
    merged = _merged_updates(tenant_id, [delta for _, delta in chunk])
    if any(len(actions) > _ACTIONS_PER_UPDATE for _, actions in merged):
        return sum(apply_change(tenant_id, change_id, delta, now) for change_id, delta in chunk)
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
                return sum(apply_change(tenant_id, change_id, delta, now) for change_id, delta in chunk)
            if attempt == APPLY_ATTEMPTS - 1 or "TransactionConflict" not in reasons:
                raise
            backoff(attempt)
    return 0  # pragma: no cover - the loop returns or raises


def _merged_updates(tenant_id: str, deltas: list[RollupDelta]) -> list[tuple[RollupItem, list[Action]]]:
    """The updates of several changes, one per rollup item: numbers added up, id sets joined."""
    numbers: dict[tuple[str, str], dict[str, int]] = {}
    id_sets: dict[tuple[str, str], dict[str, set[str]]] = {}
    for delta in deltas:
        added = additions(delta)
        for dim in delta.dimensions:
            key = rollup_key(tenant_id, delta.day, dim)
            row = numbers.setdefault(key, {})
            for name, n in added.items():
                row[name] = row.get(name, 0) + n
            if dim.name == ALL:
                for measure, ticket_id in delta.ticket_ids.items():
                    id_sets.setdefault(key, {}).setdefault(ids_attr(measure), set()).add(ticket_id)
        if delta.words:
            row = numbers.setdefault(rollup_key(tenant_id, delta.day, Dimension(WORDS)), {})
            for word, n in delta.words.items():
                row[word_attr(word)] = row.get(word_attr(word), 0) + n
    updates = []
    for key in sorted(set(numbers) | set(id_sets)):
        actions: list[Action] = [Path(name).add(Value(n)) for name, n in sorted(numbers.get(key, {}).items())]
        actions += [Path(name).add(Value(ids)) for name, ids in sorted(id_sets.get(key, {}).items())]
        if actions:
            updates.append((RollupItem(*key, tenant_id=tenant_id), actions))
    return updates


def _updates(tenant_id: str, delta: RollupDelta) -> Iterator[tuple[RollupItem, list[Action]]]:
    added = additions(delta)
    for dim in delta.dimensions:
        actions: list[Action] = [Path(name).add(Value(n)) for name, n in sorted(added.items())]
        if dim.name == ALL:
            actions += [Path(ids_attr(m)).add(Value({tid})) for m, tid in sorted(delta.ticket_ids.items())]
        if actions:
            yield _item(tenant_id, delta.day, dim), actions
    if delta.words:
        words: list[Action] = [Path(word_attr(w)).add(Value(n)) for w, n in sorted(delta.words.items())]
        yield _item(tenant_id, delta.day, Dimension(WORDS)), words


def _item(tenant_id: str, day: date, dim: Dimension) -> RollupItem:
    pk, sk = rollup_key(tenant_id, day, dim)
    return RollupItem(pk, sk, tenant_id=tenant_id)


def read_period(
    tenant_id: str, dimension: str, first: date, last: date, only: tuple[str, ...] | None = None
) -> list[DayRollup]:
    """Every rollup of one dimension from ``first`` to ``last`` (inclusive): one Query (paged).
    ``only`` names the figures wanted (e.g. ``c_solved``, ``p_frt_cal``), so a period reads a fraction
    of each item. Where packed histograms are wanted, an item whose packed buckets do not account for
    all its counts (the consumer ADDed flat buckets: today's item, a change delivered after the day
    was rebuilt) is read again whole, with one BatchGetItem per 100 such items."""
    partition = rollup_partition(tenant_id, dimension)
    wanted, histograms = None, False
    if only is not None:
        histograms = any(name.startswith("p_") for name in only)
        wanted = ["sk", *dict.fromkeys([*only, *(HISTOGRAM_COUNTS.values() if histograms else ())])]
    results = [_decoded(dimension, raw) for raw in _query(partition, first, last, wanted)]
    partial = [(r.day, r.value) for r in results if histograms and buckets_elsewhere(r)]
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


def _figures(dimension: str, item: RollupItem) -> DayRollup:
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
        item = _item(tenant_id, day, Dimension(rollup.dimension, rollup.value))
        plain, histograms, id_sets = rollup.totals
        actions: list[Action] = [Path(n).add(Value(v)) for n, v in sorted(plain.items())]
        actions += [Path(packed_attr(h)).set(Value(pack_buckets(b))) for h, b in sorted(histograms.items())]
        actions += [Path(n).add(Value(ids)) for n, ids in sorted(id_sets.items()) if ids]
        for start in range(0, len(actions), _ACTIONS_PER_UPDATE):
            item.update(actions=actions[start : start + _ACTIONS_PER_UPDATE])
        written += 1
    return written
