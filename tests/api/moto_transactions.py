"""Keeps moto's DynamoDB fast as the shared test table grows; results are unchanged.

- TransactWriteItems: moto 5 backs up every table a transaction touches with ``copy.deepcopy``
  (once per item of the transaction) so it can roll back. With a few thousand items in the shared
  table that made every audited write take a second. The patch saves only the items the
  transaction names and puts them back (and drops its stream records) if it is cancelled;
  successful transactions run moto's own code unchanged.
- Query: moto sorts the whole table on every query, then keeps one partition. The patch hands
  moto's query only that partition (or, on an index, the unsorted items: moto sorts the
  matches itself by the full key).

``test_moto_transactions.py`` checks both.
"""

from __future__ import annotations

import copy
import inspect
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table


def _deepcopy_except_tables(value: Any, memo: dict[int, Any] | None = None) -> Any:
    return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _touched_keys(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    touched = []
    for entry in transact_items:
        _, op = next(iter(entry.items()))
        table_name = op.get("TableName")
        if not table_name or table_name not in backend.tables:
            continue
        if "Key" in op:
            key = op["Key"]
        else:
            table = backend.get_table(table_name)
            names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
            if not all(name in op.get("Item", {}) for name in names):
                continue
            key = {name: op["Item"][name] for name in names}
        touched.append((table_name, key))
    return touched


@contextmanager
def cheap_transaction_rollback() -> Iterator[None]:
    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        saved = []
        for table_name, key in _touched_keys(self, transact_items):
            try:
                item = self.get_item(table_name, key)
            except Exception:  # an invalid key: moto's own code reports it below
                continue
            saved.append((table_name, key, copy.deepcopy(item.to_json()["Attributes"]) if item else None))
        stream_lengths = {
            name: len(table.stream_shard.items)
            for name, table in self.tables.items()
            if name in {table_name for table_name, _, _ in saved} and table.stream_shard is not None
        }
        try:
            original(self, transact_items)
        except Exception:
            for table_name, key, attributes in reversed(saved):
                if attributes is None:
                    self.delete_item(table_name, key)
                else:
                    self.put_item(table_name, attributes)
            for name, length in stream_lengths.items():  # a cancelled transaction leaves no stream records
                shard = self.tables[name].stream_shard
                if shard is not None:
                    del shard.items[length:]
            raise

    module_copy = dynamodb_models.copy
    dynamodb_models.copy = SimpleNamespace(deepcopy=_deepcopy_except_tables)  # type: ignore[assignment]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    try:
        yield
    finally:
        DynamoDBBackend.transact_write_items = original  # type: ignore[method-assign]
        dynamodb_models.copy = module_copy


_QUERY_LOCK = threading.Lock()


@contextmanager
def partition_queries() -> Iterator[None]:
    original = Table.query
    signature = inspect.signature(original)

    def query(self: Table, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        hash_key, index_name = bound.arguments.get("hash_key"), bound.arguments.get("index_name")
        if index_name:
            candidates = [item for group in self.items.values() for item in _group_items(self, group)]
        elif hash_key is not None and self.range_key_attr:
            partition = self.items.get(hash_key)
            candidates = list(partition.values()) if partition else []
        else:
            return original(self, *args, **kwargs)
        with _QUERY_LOCK:  # the table's all_items is swapped for the call: one query at a time
            self.all_items = lambda: candidates  # type: ignore[method-assign]
            try:
                return original(self, *args, **kwargs)
            finally:
                del self.all_items

    query.__wrapped__ = original  # type: ignore[attr-defined]
    Table.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        Table.query = original  # type: ignore[method-assign]


def _group_items(table: Table, group: Any) -> list[Any]:
    return list(group.values()) if table.range_key_attr else [group]


@contextmanager
def fast_moto_dynamodb() -> Iterator[None]:
    with cheap_transaction_rollback(), partition_queries():
        yield
