"""Items read per item returned by each built-in view, before and after the composite list keys, on
DynamoDB Local with a 10,000-ticket workspace (PULSEDESK_BENCH_TICKETS). Items read are DynamoDB's
own count (each Query's ScannedCount): load does not change them. CPU time per page is printed too
(noisy on a shared machine). "Before" is the list reader of before (commit 4aa4ff9: every partition
Queried for a whole page, residual filters read until the page was full), on the single-field plan."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from heapq import merge
from itertools import islice
from typing import Any
from unittest import mock

import pytest
from botocore.client import BaseClient

from chalicelib.data import keys
from chalicelib.data import tickets as repo
from chalicelib.data.models import TICKET_INDEXES, MainItem, TicketItem
from chalicelib.data.ticket_pages import read_ticket_page
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.ticket_query import Plan, TicketFilter, plan_ticket_query
from chalicelib.domain.tickets import OPEN_STATUSES, SPAM_TAG
from chalicelib.services.views import SLA_AT_RISK_WITHIN
from infra.local.stack import LocalEngines
from tests.api.list_reads import write_tickets
from tests.perf.figures import table

SIZE = int(os.environ.get("PULSEDESK_BENCH_TICKETS", "10000"))
PAGE = 50
PAGES = 4
_original = BaseClient._make_api_call


@contextmanager
def scanned() -> Iterator[list[int]]:
    counted = [0]

    def recording(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        answer = _original(self, operation, params)
        if operation == "Query" and params.get("IndexName") in TICKET_INDEXES:
            counted[0] += int(answer.get("ScannedCount", 0))
        return answer

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield counted


def views(me: str) -> dict[str, TicketFilter]:
    """The built-in views' filters (services/views.py builtin_views), "me" resolved."""
    open_ = tuple(OPEN_STATUSES)
    return {
        "My open tickets": TicketFilter(statuses=open_, assignee=me),
        "Unassigned": TicketFilter(statuses=("new", "open"), assignee="none"),
        "All open": TicketFilter(statuses=open_),
        "Urgent": TicketFilter(statuses=open_, priorities=("urgent",)),
        "SLA at risk": TicketFilter(sla_due_before=utcnow() + SLA_AT_RISK_WITHIN),
        "Spam": TicketFilter(tag=SPAM_TAG),
    }


# --- the reader of before (commit 4aa4ff9), kept here only to measure it ------------------------


def _old_partition(tenant_id: str, plan: Plan, part: tuple[str, str], bound: str | None, wanted: int) -> Any:
    index = getattr(MainItem, plan.index)
    results = index.query(
        keys.ticket_partition(tenant_id, *part),
        range_key_condition=repo._key_condition(plan, bound),
        filter_condition=repo.residual_filter(tenant_id, plan.residuals),
        scan_index_forward=not plan.descending,
        page_size=wanted if not plan.residuals else max(wanted, 200),
    )
    sort_attr = TICKET_INDEXES[plan.index][1]
    return islice((t for t in results if isinstance(t, TicketItem) and getattr(t, sort_attr) != bound), wanted)


def old_page(tenant_id: str, plan: Plan, position: str | None) -> tuple[list[TicketItem], str | None]:
    sort_attr = TICKET_INDEXES[plan.index][1]
    streams = [_old_partition(tenant_id, plan, p, position, PAGE + 1) for p in plan.partitions]
    page = list(islice(merge(*streams, key=lambda t: getattr(t, sort_attr), reverse=plan.descending), PAGE + 1))
    return page[:PAGE], getattr(page[PAGE - 1], sort_attr) if len(page) > PAGE else None


# -------------------------------------------------------------------------------------------------


def measure(pages: Callable[[str | None], tuple[int, str | None]]) -> tuple[int, int, float]:
    """(items read, items returned, CPU ms per page) over the first PAGES pages."""
    read = returned = 0
    cursor: str | None = None
    cpu = 0.0
    count = 0
    for _ in range(PAGES):
        with scanned() as counted:
            start = time.process_time()
            got, cursor = pages(cursor)
            cpu += time.process_time() - start
        read, returned, count = read + counted[0], returned + got, count + 1
        if cursor is None:
            break
    return read, returned, cpu * 1000 / count


@pytest.fixture(scope="module")
def desk(local_engines: LocalEngines) -> tuple[str, str]:
    tenant_id, me = uuid.uuid4().hex, uuid.uuid4().hex
    agents = [me, *(uuid.uuid4().hex for _ in range(7))]
    start = time.perf_counter()
    write_tickets(tenant_id, agents, SIZE, seed=19)
    print(f"\nseeded {SIZE} tickets in {time.perf_counter() - start:.1f} s (batch writes)", flush=True)
    return tenant_id, me


def test_items_read_per_item_returned_by_each_builtin_view(desk: tuple[str, str]) -> None:
    tenant_id, me = desk
    rows = []
    for name, f in views(me).items():
        before_plan, after_plan = plan_ticket_query(f), plan_ticket_query(f, composite=True)

        def before(cursor: str | None, plan: Plan = before_plan) -> tuple[int, str | None]:
            items, position = old_page(tenant_id, plan, cursor)
            return len(items), position

        def after(cursor: str | None, plan: Plan = after_plan) -> tuple[int, str | None]:
            page = read_ticket_page(tenant_id, plan, PAGE, cursor, "bench")
            return len(page.items), page.next_cursor

        old_read, old_returned, old_cpu = measure(before)
        new_read, new_returned, new_cpu = measure(after)
        assert old_returned == new_returned, name
        rows.append(
            [
                name,
                new_returned,
                f"{before_plan.index} ×{len(before_plan.partitions)}",
                old_read,
                f"{old_read / max(old_returned, 1):.2f}",
                f"{after_plan.index} ×{len(after_plan.partitions)}",
                new_read,
                f"{new_read / max(new_returned, 1):.2f}",
                f"{old_cpu:.0f} → {new_cpu:.0f}",
            ]
        )
    table(
        f"Built-in views at {SIZE:,} tickets: first {PAGES} pages of {PAGE} ({to_text(utcnow())[:10]})",
        [
            "view",
            "returned",
            "before: index",
            "read",
            "read/returned",
            "after: index",
            "read",
            "read/returned",
            "CPU ms/page",
        ],
        rows,
    )
