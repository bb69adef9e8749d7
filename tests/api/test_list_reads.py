"""Every built-in view reads at most 2 items per item it returns, at 10,000 tickets: the items read
are counted from DynamoDB's own answers (each Query's ScannedCount), not from the code under test.
The lists are also checked against a brute-force filter of all tickets."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from chalicelib.domain.ticket_query import ticket_matches
from tests.api.client import ApiClient, Workspace, new_workspace
from tests.api.list_reads import items_read, remove_tickets, seed_tickets
from tests.api.test_ticket_filters import as_filter, reference

# 2,000 keeps moto's seeding under a minute; the ratio does not grow with the desk (each page Queries
# keyed partitions): tests/perf/test_bench_list_reads.py prints it at 10,000.
TICKETS = int(os.environ.get("PULSEDESK_LIST_READS_TICKETS", "2000"))
PAGE = 50  # the dashboard's page
PAGES = 4  # pages read of each view (the whole view when it is shorter)
BUILTIN_VIEWS = (
    "builtin:mine",
    "builtin:unassigned",
    "builtin:open",
    "builtin:urgent",
    "builtin:sla-at-risk",
    "builtin:spam",
)


@pytest.fixture(scope="module")
def desk(api: ApiClient) -> Iterator[tuple[Workspace, list[dict[str, Any]]]]:
    workspace = new_workspace(api)
    agents = [workspace.members["lead"].id, workspace.members["agent"].id, *(f"{n:032x}" for n in range(1, 7))]
    tickets = seed_tickets(workspace.tenant_id, agents, TICKETS, seed=19)
    yield workspace, tickets
    remove_tickets(workspace.tenant_id, tickets)


def pages(api: ApiClient, workspace: Workspace, params: dict[str, Any], most: int) -> list[dict[str, Any]]:
    """Up to ``most`` pages of GET /tickets, following the cursor; every page has items or ends."""
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(most):
        query = {**params, "limit": PAGE, **({"cursor": cursor} if cursor else {})}
        reply = api.get("/tickets?" + urlencode(query, doseq=True), workspace.token("lead"))
        assert reply.status == 200, reply.body
        items.extend(reply.body["items"])
        cursor = reply.body["next_cursor"]
        if cursor is None:
            break
    return items


def expected_ids(tickets: list[dict[str, Any]], params: dict[str, Any], me: str) -> list[str]:
    """The brute-force answer; a deadline filter lists soonest first (domain/ticket_query.py)."""
    if "sla_due_before" not in params:
        return reference(tickets, as_filter(params, me))
    f = replace(as_filter(params, me), sla_due_before=datetime.fromisoformat(params["sla_due_before"]))
    kept = [t for t in tickets if ticket_matches(f, t)]
    return [t["id"] for t in sorted(kept, key=lambda t: (t["sla_due_at"], t["id"]))]


def view_filters(api: ApiClient, workspace: Workspace) -> dict[str, dict[str, Any]]:
    views = api.get("/views", workspace.token("lead")).body["items"]
    return {v["id"]: v["filters"] for v in views if v["builtin"]}


def test_every_builtin_view_reads_at_most_two_items_per_item_returned(
    api: ApiClient, desk: tuple[Workspace, list[dict[str, Any]]]
) -> None:
    workspace, tickets = desk
    filters = view_filters(api, workspace)
    assert set(BUILTIN_VIEWS) <= set(filters)
    lead = workspace.members["lead"].id
    for view_id in BUILTIN_VIEWS:
        params = filters[view_id]
        with items_read() as read:
            got = pages(api, workspace, params, PAGES)
        expected = expected_ids(tickets, params, lead)
        assert [t["id"] for t in got] == expected[: len(got)], view_id
        assert len(got) == min(len(expected), PAGE * PAGES), view_id
        assert got, f"{view_id} is empty: nothing was measured"
        assert read[0] / len(got) <= 2, f"{view_id}: {read[0]} items read for {len(got)} returned"


KEYED = [
    {"status": ["new", "open"], "priority": ["urgent"]},
    {"status": ["open"], "assignee": "me"},
    {"status": ["new"], "assignee": "unassigned"},
    {"status": ["open", "pending"], "queue": "billing"},
    {"status": ["pending"], "priority": ["high", "urgent"]},
]
# Ordered by priority, the status×priority partitions are read most urgent first; an assignee or a
# queue is then a residual filter (read within the page's budget, test_list_pages.py).
KEYED_BY_PRIORITY = [{"status": ["new", "open"]}, {"status": ["open", "pending"], "priority": ["high", "urgent"]}]


@pytest.mark.parametrize(
    "params",
    [{**p, "sort": s} for p in KEYED for s in ("-updated_at", "updated_at")]
    + [{**p, "sort": "priority"} for p in KEYED_BY_PRIORITY],
    ids=repr,
)
def test_the_filter_bars_keyed_combinations_read_what_they_return(
    api: ApiClient, desk: tuple[Workspace, list[dict[str, Any]]], params: dict[str, Any]
) -> None:
    """The filter bar's usual combinations (a status or two with an assignee, a queue or a priority)
    ordered by update time, and statuses ordered by priority: at most 2 items read per item returned.
    (Ordered by creation or deadline, one index answers and the rest are residuals, within the budget.)"""
    workspace, tickets = desk
    with items_read() as read:
        got = pages(api, workspace, params, 2)
    expected = reference(tickets, as_filter(params, workspace.members["lead"].id))
    assert [t["id"] for t in got] == expected[: len(got)]
    assert got and read[0] / len(got) <= 2, f"{read[0]} read for {len(got)}"
