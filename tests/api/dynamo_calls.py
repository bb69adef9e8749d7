"""Counts the DynamoDB operations a block of code makes (and on which index), to prove that
request paths use only GetItem, Query and TransactWriteItems.

What every request does before its route runs is proved elsewhere and left out here: one add to its
rate-limit counter (tests/api/test_rate_limits.py) and, at most every few seconds per user, the read
of the caller's current access (tests/api/test_revocation.py); likewise a ticket write's read of the
workspace's SLA settings, at most every few seconds per workspace (tests/api/test_sla_policies.py).
What is counted is the route's own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from botocore.client import BaseClient

_original = BaseClient._make_api_call


@contextmanager
def dynamo_calls() -> Iterator[list[tuple[str, str | None]]]:
    from chalicelib.data.models import RateCounterItem
    from chalicelib.services import auth, revocation, sla_context

    calls: list[tuple[str, str | None]] = []
    checking_access: list[bool] = []

    def recording(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        route_call = not checking_access and params.get("TableName") != RateCounterItem.Meta.table_name
        if self.meta.service_model.service_name == "dynamodb" and route_call:
            calls.append((operation, params.get("IndexName")))
        return _original(self, operation, params)

    def marked(check: Callable[..., Any]) -> Callable[..., Any]:
        def access_check(*args: Any, **kwargs: Any) -> Any:
            checking_access.append(True)
            try:
                return check(*args, **kwargs)
            finally:
                checking_access.pop()

        return access_check

    with (
        mock.patch.object(BaseClient, "_make_api_call", recording),
        mock.patch.object(auth, "current_access", marked(revocation.current_access)),
        mock.patch.object(sla_context, "fresh_sla_context", marked(sla_context.fresh_sla_context)),
    ):
        yield calls
