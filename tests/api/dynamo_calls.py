"""Counts the DynamoDB operations a block of code makes (and on which index), to prove that
request paths use only GetItem, Query and TransactWriteItems (besides one rate-limit counter)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from botocore.client import BaseClient

_original = BaseClient._make_api_call


def _per_request_check(operation: str, params: dict[str, Any]) -> bool:
    """What every request does before its route runs, proved elsewhere: one add to its rate-limit
    counter (tests/api/test_rate_limits.py) and, at most every few seconds per user, the read of the
    caller's current access (tests/api/test_revocation.py). What is counted here is the route's own."""
    from chalicelib.data.models import RateCounterItem

    if params.get("TableName") == RateCounterItem.Meta.table_name:
        return True
    partition = (params.get("Key") or {}).get("pk", {}).get("S", "")
    return operation == "GetItem" and partition.endswith("#USER")


@contextmanager
def dynamo_calls() -> Iterator[list[tuple[str, str | None]]]:
    calls: list[tuple[str, str | None]] = []

    def recording(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if self.meta.service_model.service_name == "dynamodb" and not _per_request_check(operation, params):
            calls.append((operation, params.get("IndexName")))
        return _original(self, operation, params)

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield calls
