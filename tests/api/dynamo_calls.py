"""Counts the DynamoDB operations a block of code makes (and on which index), to prove that
request paths use only GetItem, Query and TransactWriteItems (besides one rate-limit counter)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from botocore.client import BaseClient

_original = BaseClient._make_api_call


def _rate_counter(params: dict[str, Any]) -> bool:
    """Every request adds one to its rate-limit counter (an UpdateItem on the limits table, proved in
    tests/api/test_rate_limits.py); what is counted here is what a route reads and writes."""
    from chalicelib.data.models import RateCounterItem

    return params.get("TableName") == RateCounterItem.Meta.table_name


@contextmanager
def dynamo_calls() -> Iterator[list[tuple[str, str | None]]]:
    calls: list[tuple[str, str | None]] = []

    def recording(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if self.meta.service_model.service_name == "dynamodb" and not _rate_counter(params):
            calls.append((operation, params.get("IndexName")))
        return _original(self, operation, params)

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield calls
