"""Filter combinations, keyed or not, paged through their cursors: (a) the pages together are exactly
the brute-force filter of all tickets, in order; (b) no page reads more than its budget of items
(counted from DynamoDB's answers). A combination left with residual filters may answer a short or
empty page, but then with a cursor, and never skips an item."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.data.ticket_pages import read_budget
from chalicelib.domain.ticket_query import plan_ticket_query
from tests.api.client import ApiClient, Workspace, new_workspace
from tests.api.list_reads import QUEUES, TAGS, items_read, remove_tickets, seed_tickets
from tests.api.test_ticket_filters import as_filter, reference

TICKETS = 300


@pytest.fixture(scope="module")
def desk(api: ApiClient) -> Iterator[tuple[Workspace, list[dict[str, Any]]]]:
    workspace = new_workspace(api)
    agents = [workspace.members["lead"].id, workspace.members["agent"].id, f"{7:032x}"]
    tickets = seed_tickets(workspace.tenant_id, agents, TICKETS, seed=23)
    yield workspace, tickets
    remove_tickets(workspace.tenant_id, tickets)


def paged(
    api: ApiClient, workspace: Workspace, params: dict[str, Any], limit: int
) -> tuple[list[dict[str, Any]], list[tuple[int, int, bool]]]:
    """Every page of a list: its items, and per page (items read, items returned, cursor given)."""
    items: list[dict[str, Any]] = []
    costs: list[tuple[int, int, bool]] = []
    cursor = None
    for _ in range(TICKETS // 2):
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        with items_read() as read:
            reply = api.get("/tickets?" + urlencode(query, doseq=True), workspace.token("lead"))
        assert reply.status == 200, reply.body
        items.extend(reply.body["items"])
        cursor = reply.body["next_cursor"]
        costs.append((read[0], len(reply.body["items"]), cursor is not None))
        if cursor is None:
            return items, costs
    raise AssertionError("paging did not end")


def moments(tickets: list[dict[str, Any]], field: str) -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(sorted(t[field] for t in tickets))


@st.composite
def queries(draw: st.DrawFn, tickets: list[dict[str, Any]], agent: str) -> dict[str, Any]:
    params: dict[str, Any] = {
        "status": draw(
            st.lists(st.sampled_from(["new", "open", "pending", "solved", "closed"]), max_size=3, unique=True)
        ),
        "priority": draw(st.lists(st.sampled_from(["urgent", "high", "normal", "low"]), max_size=2, unique=True)),
        "assignee": draw(st.none() | st.sampled_from(["me", "unassigned", agent])),
        "queue": draw(st.none() | st.sampled_from(QUEUES)),
        "tag": draw(st.none() | st.sampled_from(TAGS)),
        "requester": draw(st.none() | st.sampled_from(sorted({t["requester"]["email"] for t in tickets})[:5])),
        "created_after": draw(moments(tickets, "created_at")),
        "updated_before": draw(moments(tickets, "updated_at")),
        "sort": draw(st.sampled_from(["-updated_at", "updated_at", "-created_at", "created_at", "priority"])),
    }
    return {k: v for k, v in params.items() if v not in (None, [])}


def test_every_combination_pages_to_the_reference_within_its_budget(
    api: ApiClient, desk: tuple[Workspace, list[dict[str, Any]]]
) -> None:
    workspace, tickets = desk
    lead, agent = workspace.members["lead"].id, workspace.members["agent"].id

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(queries(tickets, agent), st.sampled_from([4, 10, 25]))
    def check(params: dict[str, Any], limit: int) -> None:
        got, costs = paged(api, workspace, params, limit)
        ticket_filter = as_filter(params, lead)
        assert [t["id"] for t in got] == reference(tickets, ticket_filter), params
        budget = read_budget(plan_ticket_query(ticket_filter, composite=True), limit)
        for read, returned, more in costs:
            assert read <= budget, f"{params}: a page read {read} items, its budget is {budget}"
            assert returned <= limit
            assert returned == limit or not more or read == budget, "a short page stopped before its budget"

    check()


def test_a_selective_residual_answers_short_pages_with_a_cursor_and_skips_nothing(
    api: ApiClient, desk: tuple[Workspace, list[dict[str, Any]]]
) -> None:
    """GIVEN a requester with a handful of tickets among hundreds, ordered by creation (one index,
    everything else filtered) WHEN it is listed 4 at a time THEN each page reads at most its budget
    of 12 items, so most pages come back short or empty with a cursor, and together they are the
    requester's tickets, oldest first."""
    workspace, tickets = desk
    email = max(
        {t["requester"]["email"] for t in tickets}, key=lambda e: sum(t["requester"]["email"] == e for t in tickets)
    )
    params = {"requester": email, "sort": "created_at"}
    got, costs = paged(api, workspace, params, 4)
    assert [t["id"] for t in got] == reference(tickets, as_filter(params, workspace.members["lead"].id))
    assert all(read <= 12 for read, _, _ in costs)
    assert any(returned < 4 and more for _, returned, more in costs), costs


def test_a_merge_with_residual_filters_makes_progress_on_every_page(
    api: ApiClient, desk: tuple[Workspace, list[dict[str, Any]]]
) -> None:
    """GIVEN two status partitions of which one holds a match the other has not been read past yet
    WHEN a page's budget runs out THEN the next page resumes at that match, not before it: the whole
    list takes about (items in the partitions) / (budget) pages, not one partition's step per page."""
    workspace, tickets = desk
    params = {"status": ["solved", "new"], "tag": "vip", "sort": "-updated_at"}
    got, costs = paged(api, workspace, params, 4)
    assert [t["id"] for t in got] == reference(tickets, as_filter(params, workspace.members["lead"].id))
    in_partitions = sum(t["status"] in ("solved", "new") for t in tickets)
    assert len(costs) <= in_partitions // 12 + len(got) // 4 + 3, costs


def test_a_listed_ticket_is_the_ticket_its_own_page_shows(api: ApiClient) -> None:
    # GIVEN tickets made through the API: SLA clocks, tags, priorities, one assigned and one on hold
    workspace = new_workspace(api)
    admin = workspace.token("admin")
    for n, priority in enumerate(("urgent", "high", "normal")):
        body = {"subject": f"Printer {n}", "description": "It jams", "requester": {"email": f"r{n}@example.com"}}
        made = api.post("/tickets", {**body, "priority": priority, "tags": ["printer", f"t{n}"]}, admin)
        assert made.status == 201, made.body
    changed = api.patch(
        f"/tickets/{made.body['id']}",
        {"status": "pending", "assignee_id": workspace.members["agent"].id},
        admin,
        headers={"if-match": "1"},
    )
    assert changed.status == 200, changed.body

    # WHEN pages of several plans are listed (a list reads a projection of each ticket)
    for params in ({}, {"status": ["new", "pending"], "priority": ["urgent", "normal"]}, {"sort": "created_at"}):
        listed = api.get(f"/tickets?{urlencode(params, doseq=True)}", admin)
        assert listed.status == 200 and listed.body["items"], listed.body

        # THEN each listed ticket is, field for field, what the ticket's own page answers
        for item in listed.body["items"]:
            assert item["sla"]["resolution_due_at"], item
            assert item == api.get(f"/tickets/{item['id']}", admin).body["ticket"], params
