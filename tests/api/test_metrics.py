"""GET /metrics and /metrics/tickets: figures from the rollups the stream consumer keeps, held to a
brute-force reference computed from the same ticket changes; roles and scopes, CSV, bad input,
exactly-once folding, and rebuild = incremental."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.data import metrics as rollups
from chalicelib.data.ticket_changes import commit
from chalicelib.domain.histogram import exact_quantile
from chalicelib.domain.metrics_calendar import week_of
from chalicelib.domain.metrics_fold import ALL, HISTOGRAMS, IDS, STORED_DIMENSIONS
from chalicelib.domain.ticket_change import TicketChange
from chalicelib.settings import physical_table_name
from tests.api.client import ApiClient, Workspace, new_api_key, new_workspace
from tests.api.streams import StreamPump
from tests.metrics_reference import reference, solved_per_agent
from tests.metrics_simulation import START, Life, Step, live, lives

FIRST, LAST = START.date(), START.date() + timedelta(days=9)
PERIOD = f"from={FIRST.isoformat()}&to={LAST.isoformat()}"


def store(workspace: Workspace, many: list[Life]) -> list[list[TicketChange]]:
    """Each life committed through the one write path, at its own (past) times."""
    stored = []
    for one in many:
        changes = list(live(one, ticket_id=uuid.uuid4().hex))
        for change in changes:
            commit(workspace.tenant_id, change)
        stored.append(changes)
    return stored


def close(value: float | None, exact: float | None) -> bool:
    if value is None or exact is None:
        return value is exact
    return abs(value - exact) <= 0.02 * exact


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(many=st.lists(lives, min_size=1, max_size=8))
def test_metrics_match_a_brute_force_reference(api: ApiClient, pump: StreamPump, many: list[Life]) -> None:
    # GIVEN a workspace whose tickets lived through random changes, folded by the real stream consumer
    workspace = new_workspace(api, roles=("lead",))
    stored = store(workspace, many)
    pump.pump()
    ref = reference(stored, FIRST, LAST)
    # WHEN the lead reads the period
    reply = api.get(f"/metrics?{PERIOD}&group_by=agent", workspace.token("lead"))
    assert reply.status == 200, reply.body
    got = reply.body
    # THEN every figure is the reference's (durations within 2 %)
    assert (got["created"], got["solved"], got["reopened"]) == (ref.created, ref.solved, ref.reopened)
    assert got["first_response"]["count"] == len(ref.first_responses)
    for q, name in ((0.5, "p50"), (0.9, "p90")):
        assert close(got["first_response"][name], exact_quantile(ref.first_responses, q))
        assert close(got["resolution"][name], exact_quantile(ref.resolutions, q))
    assert got["resolved_24h_share"] == (ref.resolved_24h / ref.solved if ref.solved else None)
    sla = {s["target"]: s for s in got["sla"]}
    assert sla["first_response"]["breached"] == len(ref.first_response_breached)
    assert sla["first_response"]["met"] == ref.first_response_met
    assert sla["resolution"]["breached"] == len(ref.resolution_breached)
    assert sla["resolution"]["met"] == ref.resolution_met
    assert got["solved_per_agent"] == pytest.approx(solved_per_agent(ref))
    assert {g["key"]: g["solved"] for g in got["groups"] if g["solved"]} == {
        agent: n for agent, n in ref.solved_by_agent.items() if n
    }
    assert {t["term"]: t["count"] for t in got["top_tags"]} == dict(ref.created_by_tag)
    replies = got["replies_per_solved"]
    assert replies == (ref.replies / ref.solved if ref.solved else None)
    # AND the tickets behind the breached figure are the reference's
    behind = api.get(f"/metrics/tickets?measure=sla_resolution_breached&{PERIOD}", workspace.token("lead")).body
    assert behind["count"] == len(ref.resolution_breached)
    assert {t["id"] for t in behind["items"]} == ref.resolution_breached


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(many=st.lists(lives, min_size=1, max_size=6))
def test_the_comparison_read_with_the_period_gives_the_figures_it_has_alone(
    api: ApiClient, pump: StreamPump, many: list[Life]
) -> None:
    # GIVEN tickets lived over ten days, folded by the real stream consumer
    workspace = new_workspace(api, roles=("lead",))
    store(workspace, many)
    pump.pump()
    token = workspace.token("lead")
    middle = FIRST + timedelta(days=5)
    first_half = f"from={FIRST.isoformat()}&to={(middle - timedelta(days=1)).isoformat()}"
    second_half = f"from={middle.isoformat()}&to={LAST.isoformat()}"
    for group_by in ("agent", "queue", "day"):
        # WHEN the second half is read (its comparison, the first half, read in the same Queries)
        later = api.get(f"/metrics?{second_half}&group_by={group_by}", token).body
        with mock.patch("chalicelib.services.metrics_report.follows", return_value=False):
            apart = api.get(f"/metrics?{second_half}&group_by={group_by}", token).body
        earlier = api.get(f"/metrics?{first_half}&group_by={group_by}", token).body
        # THEN its comparison figures are the first half's own, and what reading the two apart gives
        assert later["comparison"] == earlier["period"]
        assert later["resolution_previous_p50"] == earlier["resolution"]["p50"]
        assert later["solved_per_agent_previous"] == earlier["solved_per_agent"]
        assert [g["previous"] for g in later["goals"][:2]] == [g["value"] for g in earlier["goals"][:2]]
        tags_before = {t["term"]: t["count"] for t in earlier["top_tags"]}
        assert all(t["previous"] == tags_before.get(t["term"], 0) for t in later["top_tags"])
        if group_by != "day":
            solved_before = {g["key"]: g["solved"] for g in earlier["groups"]}
            assert all(g["solved_previous"] == solved_before.get(g["key"], 0) for g in later["groups"])
        later.pop("backlog_now")  # its links carry "now"
        apart.pop("backlog_now")
        assert later == apart


@pytest.fixture(scope="module")
def worked(api: ApiClient) -> Workspace:
    """A workspace with a few worked tickets, folded once."""
    workspace = new_workspace(api)
    pump = StreamPump(api.chalice, physical_table_name("main"))
    life = Life(1, "Login fails", "high", "billing", ("vip",), 0, 0, (Step(90, "reply"), Step(60, "status", "solved")))
    store(workspace, [life, replace(life, number=2, steps=(Step(10, "status", "solved"), Step(5, "customer")))])
    pump.pump()
    return workspace


def test_the_stream_folds_each_change_once(api: ApiClient, pump: StreamPump) -> None:
    # GIVEN a solved ticket whose stream records are delivered twice (a retried batch)
    workspace = new_workspace(api, roles=("lead",))
    life = Life(7, "Export fails", "normal", "general", (), 1, 0, (Step(30, "reply"), Step(30, "status", "solved")))
    position = pump._position
    store(workspace, [life])
    pump.pump()
    pump._position = position
    pump.pump(handlers=("metrics",))
    # THEN it counts once
    got = api.get(f"/metrics?{PERIOD}", workspace.token("lead")).body
    assert (got["created"], got["solved"], got["first_response"]["count"]) == (1, 1, 1)


def test_rebuilding_a_day_gives_the_rollups_the_stream_kept(api: ApiClient, pump: StreamPump) -> None:
    workspace = new_workspace(api, roles=())
    many = [
        Life(n, "Cannot login after reset", p, q, tags, a, n * 700, steps)
        for n, (p, q, tags, a, steps) in enumerate(
            [
                ("high", "billing", ("vip",), 0, (Step(90, "reply"), Step(60 * 20, "status", "solved"))),
                ("low", "general", ("bug", "login"), None, (Step(5, "note"), Step(3000, "assign"), Step(10, "reply"))),
                (
                    "urgent",
                    "general",
                    (),
                    1,
                    (Step(10, "status", "solved"), Step(60, "customer"), Step(9, "tags", ("bug",))),
                ),
            ]
        )
    ]
    stored = store(workspace, many)
    pump.pump()
    tenant = workspace.tenant_id
    days = sorted({c.at.date() for changes in stored for c in changes})
    weeks = sorted({week_of(day) for day in days})
    kept = {day: _snapshot(tenant, day) for day in days}
    # the days are in closed weeks: the consumer added each change to its week's items too
    kept_weeks = {week: _week_snapshot(tenant, week) for week in weeks}
    kept_backlog = _backlog_snapshot(tenant)
    from chalicelib.services.metrics_rebuild import rebuild_day, recount_backlog

    for day in days:
        rebuild_day(workspace.tenant_id, day)
        assert _snapshot(workspace.tenant_id, day) == kept[day]
    assert any(kept.values())
    # AND the week items the rebuild built (the sum of their days) are the ones the consumer kept
    assert len(weeks) == 2 and all(kept_weeks.values())
    for week in weeks:
        assert _week_snapshot(tenant, week) == kept_weeks[week]
        assert set(rollups.read_weeks(tenant, ALL, week, week)) == {week}  # and marked built
    # AND the backlog counters the consumer moved change by change are a recount of the tickets
    assert kept_backlog[("all", "")]["c_open"] >= 1
    recount_backlog(tenant)
    counting = {k: {n: v for n, v in row.items() if v} for k, row in kept_backlog.items()}
    assert _backlog_snapshot(tenant) == {k: row for k, row in counting.items() if row}  # a scope at 0 is gone


def _week_snapshot(tenant_id: str, week: date) -> dict[tuple[str, str], Any]:
    """The week's items as stored (built or only ADDed to by the consumer), by dimension value."""
    from chalicelib.data.models import RollupItem
    from chalicelib.domain.metrics_fold import DayRollup, unpack_buckets

    found = {}
    for dimension in STORED_DIMENSIONS:
        partition = rollups.week_partition(tenant_id, dimension)
        for item in RollupItem.query(partition, RollupItem.sk.startswith(f"{week.isoformat()}#")):
            packed = {name[2:]: unpack_buckets(text) for name, text in item.packed.items()}
            value = item.sk.partition("#")[2]
            found[(dimension, value)] = DayRollup(week, dimension, value, item.figures, item.id_sets, packed).totals
    return found


def _backlog_snapshot(tenant_id: str) -> dict[tuple[str, str], dict[str, int]]:
    from chalicelib.data.models import RollupItem

    return {
        tuple(item.sk.split("#", 1)): dict(item.figures)  # type: ignore[misc]
        for item in RollupItem.query(rollups.backlog_partition(tenant_id))
    }


def _snapshot(tenant_id: str, day: date) -> dict[tuple[str, str], Any]:
    return {
        (row.dimension, row.value): row.totals
        for dimension in STORED_DIMENSIONS
        for row in rollups.read_period(tenant_id, dimension, day, day)
    }


def test_the_agents_solved_taken_from_the_workspace_items_is_what_the_agents_items_count(
    api: ApiClient, pump: StreamPump
) -> None:
    from collections import Counter

    from chalicelib.services.metrics_report import solved_by_agent

    # GIVEN tickets solved by two agents and one solved unassigned, on different days
    workspace = new_workspace(api, roles=())
    solve = (Step(30, "reply"), Step(60, "status", "solved"))
    store(workspace, [Life(n, "Refund", "normal", "billing", (), a, n * 900, solve) for n, a in enumerate((0, 1, 1))])
    store(workspace, [Life(9, "Export", "low", "general", (), None, 100, (Step(10, "status", "solved"),))])
    pump.pump()
    tenant = workspace.tenant_id
    # WHEN the comparison's solved per agent is taken from the workspace's items (no agent item read)
    derived: Counter[str] = Counter()
    for row in solved_by_agent(rollups.read_period(tenant, ALL, FIRST, LAST)):
        derived[row.value] += row.figures["c_solved"]
    # THEN it is what the agent dimension's own items count, the unassigned one included
    kept: Counter[str] = Counter()
    for row in rollups.read_period(tenant, "agent", FIRST, LAST):
        kept[row.value] += row.figures.get("c_solved", 0)
    assert +derived == +kept
    assert sorted(kept.values()) == [1, 1, 2] and kept["none"] == 1


@pytest.mark.parametrize("role, allowed", [("admin", True), ("lead", True), ("viewer", True), ("agent", False)])
def test_who_reads_metrics(api: ApiClient, worked: Workspace, role: str, allowed: bool) -> None:
    reply = api.get(f"/metrics?{PERIOD}", worked.token(role))
    assert reply.status == (200 if allowed else 403), reply.body


def test_an_api_key_needs_the_metrics_scope(api: ApiClient, worked: Workspace) -> None:
    with_scope = new_api_key(api, worked, ["metrics.read"])
    without = new_api_key(api, worked, ["tickets.read"])
    assert api.get(f"/metrics?{PERIOD}", with_scope).status == 200
    assert api.get(f"/metrics?{PERIOD}", without).status == 403


def test_the_tickets_behind_a_figure_also_need_tickets_read(api: ApiClient, worked: Workspace) -> None:
    # GIVEN keys scoped to metrics only, and to both; and a viewer (who has both permissions)
    metrics_only = new_api_key(api, worked, ["metrics.read"])
    both = new_api_key(api, worked, ["metrics.read", "tickets.read"])
    tickets_url = f"/metrics/tickets?measure=sla_resolution_breached&{PERIOD}"
    # THEN figures are readable with metrics.read, but the tickets themselves (subject, text,
    # requester) are not without tickets.read
    assert api.get(f"/metrics?{PERIOD}", metrics_only).status == 200
    refused = api.get(tickets_url, metrics_only)
    assert refused.status == 403 and "tickets.read" in refused.body["detail"], refused.body
    assert api.get(tickets_url, both).status == 200
    assert api.get(tickets_url, worked.token("viewer")).status == 200


def test_goal_cards_and_comparison(api: ApiClient, worked: Workspace) -> None:
    got = api.get(f"/metrics?{PERIOD}", worked.token("lead")).body
    assert [g["key"] for g in got["goals"]] == [
        "first_response_high",
        "resolved_within_24h",
        "resolution_time_change",
        "solved_per_agent_change",
    ]
    first = got["goals"][0]
    assert first["value"] == pytest.approx(90 * 60, rel=0.02) and first["goal"] == 7200 and first["met"] is True
    assert len(first["trend"]) == 10
    assert got["comparison"] == {"first": "2026-10-22", "last": "2026-10-31", "days": 10}
    by_days = api.get(f"/metrics?to={LAST.isoformat()}&days=10", worked.token("lead")).body
    assert by_days["period"] == got["period"] and by_days["solved"] == got["solved"]
    assert [g["key"] for g in got["groups"]][:2] == ["2026-11-01", "2026-11-02"]  # every day has its row
    assert got["reopened"] == 1 and got["reopen_rate"] == 0.5
    assert {"open", "unassigned", "at_risk", "breached"} <= set(got["backlog_now"])
    assert got["backlog_now"]["open"] == 1  # the reopened one
    assert got["backlog_now"]["links"]["open"].startswith("status=new")
    assert got["top_words"][0] == {"term": "fails", "count": 2, "previous": 0, "change": None}


def test_at_risk_counts_the_running_clocks_in_their_last_quarter(api: ApiClient) -> None:
    from chalicelib.domain.actors import ROUTER
    from chalicelib.domain.clock import utcnow
    from chalicelib.domain.ticket_change import CreateTicket, Requester, decide

    # GIVEN urgent tickets (first response due within the hour) created 50 minutes ago, in billing and
    # in general; one created now (not yet at risk); a low-priority one of 50 minutes (a day to answer)
    workspace = new_workspace(api, roles=("lead",))
    now = utcnow()
    made = [(50, "billing", "urgent"), (50, "general", "urgent"), (0, "billing", "urgent"), (50, "billing", "low")]
    for number, (minutes, queue, priority) in enumerate(made, start=1):
        create = CreateTicket(
            ticket_id=uuid.uuid4().hex,
            number=number,
            subject="Checkout down",
            description="",
            requester=Requester("c@example.com", "C"),
            priority=priority,
            queue=queue,
            tags=(),
            assignee_id=None,
        )
        change = decide(None, ROUTER, create, now - timedelta(minutes=minutes))
        assert change is not None
        commit(workspace.tenant_id, change)
    token = workspace.token("lead")

    def at_risk(query: str) -> Any:
        return api.get(f"/metrics?{query}", token).body["backlog_now"]["at_risk"]

    # THEN the two urgent ones of 50 minutes are at risk, narrowed by queue and priority alike
    assert at_risk("days=7") == 2
    assert (at_risk("days=7&queue=billing"), at_risk("days=7&queue=general")) == (1, 1)
    assert (at_risk("days=7&priority=urgent"), at_risk("days=7&priority=low")) == (2, 0)
    assert at_risk("days=7&queue=billing&priority=urgent") == 1
    assert at_risk("days=7&channel=email") is None  # no ticket index narrows by channel


def test_csv_gives_the_same_figures(api: ApiClient, worked: Workspace) -> None:
    as_json = api.get(f"/metrics?{PERIOD}", worked.token("lead")).body
    response = api.chalice.http.get(
        f"/api/v1/metrics?{PERIOD}",
        headers={"authorization": f"Bearer {worked.token('lead')}", "accept": "text/csv"},
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.body.decode())))
    totals = {r["measure"]: r["value"] for r in rows if r["section"] == "total" and r["key"] == ""}
    assert int(totals["solved"]) == as_json["solved"] and int(totals["created"]) == as_json["created"]
    goals = {r["key"]: r for r in rows if r["section"] == "goal"}
    assert float(goals["first_response_high"]["value"]) == pytest.approx(as_json["goals"][0]["value"], rel=1e-5)


@pytest.mark.parametrize(
    "query, field",
    [
        ("from=2026-11-10&to=2026-11-01", "from"),
        ("from=2025-01-01&to=2026-11-01", "to"),
        ("group_by=month", "group_by"),
        ("from=yesterday", "from"),
        ("queue=billing&channel=web", "channel"),
        ("from=2026-11-01&days=7", "days"),
        ("days=400", "days"),
        ("priority=high&channel=email", "channel"),
        ("queue=billing&priority=high&group_by=queue", "group_by"),
        ("queue=billing&group_by=agent", "group_by"),
        ("compare_from=2026-10-01", "compare_to"),
        ("unknown=1", "unknown"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api: ApiClient, worked: Workspace, query: str, field: str) -> None:
    reply = api.get(f"/metrics?{query}", worked.token("lead"))
    assert reply.status == 422, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert field in [e["field"] for e in reply.body["errors"]]


def test_a_filter_narrows_to_one_dimension(api: ApiClient, worked: Workspace) -> None:
    billing = api.get(f"/metrics?{PERIOD}&queue=billing", worked.token("lead")).body
    general = api.get(f"/metrics?{PERIOD}&queue=general", worked.token("lead")).body
    assert (billing["created"], general["created"]) == (2, 0)
    assert billing["filters"] == {"queue": "billing"}
    # solved per agent and new per tag are kept on every item, so a filter keeps them
    assert billing["solved"] == 2 and billing["solved_per_agent"] == 2
    assert {t["term"]: t["count"] for t in billing["top_tags"]} == {"vip": 2}


def test_queue_and_priority_filter_together(api: ApiClient, worked: Workspace) -> None:
    # GIVEN two high-priority billing tickets
    both = api.get(f"/metrics?{PERIOD}&queue=billing&priority=high", worked.token("lead")).body
    other = api.get(f"/metrics?{PERIOD}&queue=billing&priority=low", worked.token("lead")).body
    # THEN queue and priority narrow together (their own rollups), and so does the live backlog
    assert (both["created"], other["created"]) == (2, 0)
    assert both["filters"] == {"queue": "billing", "priority": "high"}
    assert both["backlog_now"]["open"] == 1 and other["backlog_now"]["open"] == 0
    assert "queue=billing" in both["backlog_now"]["links"]["open"]
    assert "priority=high" in both["backlog_now"]["links"]["open"]
    by_week = api.get(f"/metrics?{PERIOD}&queue=billing&priority=high&group_by=week", worked.token("lead"))
    assert by_week.status == 200


def test_reads_never_scan_and_do_not_grow_with_tickets(api: ApiClient, worked: Workspace) -> None:
    from tests.api.dynamo_calls import dynamo_calls

    with dynamo_calls() as calls:
        assert api.get(f"/metrics?{PERIOD}", worked.token("lead")).status == 200
    operations = {operation for operation, _ in calls}
    assert operations <= {"Query", "GetItem", "DescribeTable"}, operations
    # rollups: the workspace's over the period and its comparison, one Query, and the words over both,
    # one Query; backlog: open and unassigned from their counters (one GetItem), breached and at risk on
    # the SLA index. No agent, priority or tag items: the workspace's items carry what the report needs.
    assert len([c for c in calls if c[0] == "GetItem"]) == 1, calls
    assert len([c for c in calls if c[0] == "Query"]) == 4, calls


@contextmanager
def rollup_reads() -> Iterator[list[tuple[str, list[int]]]]:
    """Each read of the metrics table: its operation and how many attributes each item it returned had."""
    from botocore.client import BaseClient

    original = BaseClient._make_api_call
    table = physical_table_name("metrics")
    reads: list[tuple[str, list[int]]] = []

    def recording(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        answer = original(self, operation, params)
        if operation == "Query" and params.get("TableName") == table:
            reads.append((operation, [len(item) for item in answer.get("Items", [])]))
        if operation == "BatchGetItem" and table in params.get("RequestItems", {}):
            reads.append((operation, [len(item) for item in answer.get("Responses", {}).get(table, [])]))
        return answer

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield reads


def test_a_rebuilt_period_reads_packed_histograms_and_small_items(api: ApiClient, pump: StreamPump) -> None:
    from chalicelib.services.metrics_rebuild import rebuild_day

    # GIVEN worked tickets folded by the stream (histogram buckets kept flat, one attribute each)
    workspace = new_workspace(api)
    life = Life(1, "Login fails", "high", "billing", ("vip",), 0, 0, (Step(90, "reply"), Step(60, "status", "solved")))
    lives_ = [
        replace(life, number=n, offset_minutes=n * 300, steps=(Step(10 + n, "reply"), *life.steps[1:]))
        for n in range(1, 9)
    ]
    stored = store(workspace, lives_)
    pump.pump()
    with rollup_reads() as live_reads:
        live = api.get(f"/metrics?{PERIOD}", workspace.token("lead")).body
    # WHEN their days are rebuilt (the nightly job): each histogram packed in one attribute
    for day in sorted({c.at.date() for changes in stored for c in changes}):
        rebuild_day(workspace.tenant_id, day)
    with rollup_reads() as reads:
        rebuilt = api.get(f"/metrics?{PERIOD}", workspace.token("lead")).body
    # THEN the answer is the same, read with Queries only, and the items read are smaller (their numbers
    # in one attribute, each histogram in one; never a ticket-id set: those live on the ``ids`` items)
    assert rebuilt.pop("backlog_now")["open"] == live.pop("backlog_now")["open"]  # its links carry "now"
    assert rebuilt == live
    assert {operation for operation, _ in reads} == {"Query"}
    assert max(n for _, sizes in reads for n in sizes) < max(n for _, sizes in live_reads for n in sizes)
    assert max(n for _, sizes in reads for n in sizes) <= 3 + 1 + len(HISTOGRAMS)  # keys, tenant, numbers
    assert sum(len(sizes) for _, sizes in reads) == sum(len(sizes) for _, sizes in live_reads)


def test_a_closed_month_reads_as_one_item_and_stays_the_sum_of_its_days(api: ApiClient) -> None:
    from chalicelib.domain.clock import utcnow
    from chalicelib.domain.metrics_fold import fold
    from chalicelib.domain.metrics_history import happening
    from chalicelib.domain.metrics_report import Figures
    from tests.metrics_simulation import facts

    # GIVEN September's changes folded by the consumer (a closed month: the open one starts 1 Oct here)
    workspace = new_workspace(api, roles=())
    tenant, september, open_month = workspace.tenant_id, date(2026, 9, 1), date(2026, 10, 1)
    deltas = []
    for n in range(12):
        one = Life(
            n,
            "Crash on export",
            "high",
            "billing",
            ("bug",),
            n % 2,
            0,
            (Step(20, "reply"), Step(60, "status", "solved")),
        )
        for version, change in enumerate(live(one, ticket_id=f"m{n}"), start=1):
            assert change.stream is not None
            before = facts(change.before) if change.before is not None else None
            delta = fold(
                before, facts(change.after), happening(change.stream.at, change.stream.actor, change.stream.fields)
            )
            assert delta is not None
            deltas.append((f"m{n}@{version}", replace(delta, day=september + timedelta(days=n * 2))))
    rollups.apply_changes(tenant, deltas[:-3], utcnow(), open_month)

    def totals(rows: list[Any]) -> tuple[Any, ...]:
        figures = Figures.of(rows)
        return dict(figures.counts), {k: dict(v) for k, v in figures.histograms.items() if v}

    def month_read() -> tuple[list[Any], list[tuple[str, list[int]]]]:
        with rollup_reads() as reads:
            rows = rollups.read_span(tenant, ALL, september, date(2026, 9, 30), open_month)
        return rows, reads

    by_days = totals(rollups.read_period(tenant, ALL, september, date(2026, 9, 30)))
    # WHEN the month is not built yet, its days are read
    rows, _ = month_read()
    assert totals(rows) == by_days and len(rows) == 11  # the last ticket's changes come late
    # WHEN the month job adds its days up
    rollups.replace_month(tenant, september, [d for d in STORED_DIMENSIONS if d != IDS])
    rows, reads = month_read()
    # THEN the month is one item with the same figures
    assert totals(rows) == by_days and len(rows) == 1
    assert sum(len(sizes) for _, sizes in reads) == 2  # the month item and its "built" mark
    # AND a change delivered late adds to its day and its month in one transaction
    rollups.apply_changes(tenant, deltas[-3:], utcnow(), open_month)
    rows, _ = month_read()
    assert totals(rows) == totals(rollups.read_period(tenant, ALL, september, date(2026, 9, 30)))
    assert totals(rows)[0]["c_solved"] == 12


def test_a_closed_week_reads_as_one_item_and_stays_the_sum_of_its_days(api: ApiClient) -> None:
    from chalicelib.domain.clock import utcnow
    from chalicelib.domain.metrics_fold import fold
    from chalicelib.domain.metrics_history import happening
    from chalicelib.domain.metrics_report import Figures
    from tests.metrics_simulation import facts

    # GIVEN a week's changes (Monday 7 to Sunday 13 September) folded by the consumer, the week closed
    # (the open week starts on the 14th) and its month still open
    workspace = new_workspace(api, roles=())
    tenant, monday, open_month, open_week = workspace.tenant_id, date(2026, 9, 7), date(2026, 9, 1), date(2026, 9, 14)
    deltas = []
    for n in range(10):
        one = Life(n, "Crash on export", "high", "billing", ("bug",), n % 2, 0, (Step(20, "reply"),))
        for version, change in enumerate(live(one, ticket_id=f"w{n}"), start=1):
            assert change.stream is not None
            before = facts(change.before) if change.before is not None else None
            delta = fold(
                before, facts(change.after), happening(change.stream.at, change.stream.actor, change.stream.fields)
            )
            assert delta is not None
            deltas.append((f"w{n}@{version}", replace(delta, day=monday + timedelta(days=n % 7))))
    rollups.apply_changes(tenant, deltas[:-2], utcnow(), open_month, open_week)

    def totals(rows: list[Any]) -> tuple[Any, ...]:
        figures = Figures.of(rows)
        return dict(figures.counts), {k: dict(v) for k, v in figures.histograms.items() if v}

    def agent_read() -> tuple[list[Any], list[tuple[str, list[int]]]]:
        with rollup_reads() as reads:
            rows = rollups.read_span(tenant, "agent", monday, date(2026, 9, 13), open_month, None, open_week)
        return rows, reads

    by_days = totals(rollups.read_period(tenant, "agent", monday, date(2026, 9, 13)))
    # WHEN the week is not built yet, its days are read (each agent's days with changes)
    rows, _ = agent_read()
    assert totals(rows) == by_days and len(rows) == 9
    # WHEN the week job adds its days up
    rollups.replace_week(tenant, monday, [d for d in STORED_DIMENSIONS if d != IDS])
    rows, reads = agent_read()
    # THEN each agent's week is one item with the same figures, read in one Query
    assert totals(rows) == by_days and len(rows) == 2
    assert len(reads) == 1 and sum(len(sizes) for _, sizes in reads) == 3  # two agents and the mark
    # AND a filtered read fetches the value's week by key, with the same figures
    (week,) = rollups.read_value(tenant, "agent", rows[0].value, monday, date(2026, 9, 13), open_month, open_week)
    assert week.day == monday and week.figures["c_created"] == rows[0].figures["c_created"]
    # AND a change delivered late adds to its day and its week in one transaction
    rollups.apply_changes(tenant, deltas[-2:], utcnow(), open_month, open_week)
    rows, _ = agent_read()
    assert totals(rows) == totals(rollups.read_period(tenant, "agent", monday, date(2026, 9, 13)))
    assert totals(rows)[0]["c_created"] == 10


def test_a_comparison_and_its_period_read_together_are_what_each_reads_alone(api: ApiClient) -> None:
    from chalicelib.domain.clock import utcnow
    from chalicelib.domain.metrics_fold import fold
    from chalicelib.domain.metrics_history import happening
    from chalicelib.domain.metrics_report import Figures
    from tests.metrics_simulation import facts

    # GIVEN changes on every day of September to the 29th, its closed days rebuilt and its closed weeks
    # built (the open week starts Monday 28 September; the month is open)
    workspace = new_workspace(api, roles=())
    tenant, open_month, open_week = workspace.tenant_id, date(2026, 9, 1), date(2026, 9, 28)
    deltas = []
    for n in range(29):
        queue = ("billing", "general")[n % 2]
        one = Life(n, "Crash on export", "high", queue, ("bug",), n % 2, 0, (Step(20, "reply"),))
        for version, change in enumerate(live(one, ticket_id=f"s{n}"), start=1):
            assert change.stream is not None
            before = facts(change.before) if change.before is not None else None
            delta = fold(
                before, facts(change.after), happening(change.stream.at, change.stream.actor, change.stream.fields)
            )
            assert delta is not None
            deltas.append((f"s{n}@{version}", replace(delta, day=open_month + timedelta(days=n))))
    rollups.apply_changes(tenant, deltas, utcnow(), open_month, open_week)
    for day in (open_month + timedelta(days=n) for n in range(27)):  # the closed days packed, as the nightly job
        rollups.replace_day(tenant, day, rollups.read_period(tenant, "queue", day, day), ["queue"])
    for monday in (date(2026, 8, 31), date(2026, 9, 7), date(2026, 9, 14), date(2026, 9, 21)):
        rollups.replace_week(tenant, monday, ["queue"])
    # a comparison (Wednesday 2 to Tuesday 15) and its period (Wednesday 16 to Tuesday 29): the week of
    # the 14th straddles the two, and the comparison's last days meet the period's first
    spans = [(date(2026, 9, 2), date(2026, 9, 15)), (date(2026, 9, 16), date(2026, 9, 29))]

    def totals(rows: list[Any]) -> tuple[Any, ...]:
        figures = Figures.of(rows)
        return dict(figures.counts), {k: dict(v) for k, v in figures.histograms.items() if v}

    # WHEN they are read together, and each alone
    with rollup_reads() as together:
        both = rollups.read_spans(tenant, "queue", spans, open_month, None, open_week)
    with rollup_reads() as alone:
        each = [rollups.read_span(tenant, "queue", a, b, open_month, None, open_week) for a, b in spans]
    # THEN each period has the figures it has alone (and its days'), with two Queries fewer: one for the
    # weeks of both, and the 14th to the 20th as one run of days
    assert [totals(rows) for rows in both] == [totals(rows) for rows in each]
    assert [totals(rows) for rows in both] == [totals(rollups.read_period(tenant, "queue", a, b)) for a, b in spans]
    assert (len(together), len(alone)) == (4, 6)
    assert all(a <= row.day <= b for rows, (a, b) in zip(both, spans, strict=True) for row in rows)
    # AND a group's projected read takes the open week's days (the consumer's flat buckets) whole in its
    # Query, rather than reading them again by key after it
    only = ("c_solved", "c_first_responses", "p_frt_cal")
    with rollup_reads() as projected:
        narrow = rollups.read_spans(tenant, "queue", spans, open_month, only, open_week)
    assert {operation for operation, _ in projected} == {"Query"} and len(projected) == 4
    assert [Figures.of(rows).histogram("frt_cal").total for rows in narrow] == [
        Figures.of(rows).histogram("frt_cal").total for rows in both
    ]


def test_a_batch_applies_together_and_a_redelivered_part_counts_once(api: ApiClient) -> None:
    from chalicelib.domain.clock import utcnow
    from chalicelib.domain.metrics_fold import fold
    from chalicelib.domain.metrics_history import happening
    from tests.metrics_simulation import facts

    # GIVEN the folded changes of a few tickets, of which the first two were applied before
    workspace = new_workspace(api, roles=())
    many = [
        Life(n, "Crash on export", "normal", "general", ("bug",), 0, n * 30, (Step(20, "reply"),)) for n in range(5)
    ]
    deltas = []
    for one in many:
        for version, change in enumerate(live(one, ticket_id=f"x{one.number}"), start=1):
            assert change.stream is not None
            before = facts(change.before) if change.before is not None else None
            delta = fold(
                before, facts(change.after), happening(change.stream.at, change.stream.actor, change.stream.fields)
            )
            assert delta is not None
            deltas.append((f"x{one.number}@{version}", delta))
    assert rollups.apply_changes(workspace.tenant_id, deltas[:2], utcnow()) == 2
    # WHEN the whole batch comes (the applied ones again, and one change twice)
    assert rollups.apply_changes(workspace.tenant_id, [*deltas, deltas[-1]], utcnow()) == len(deltas) - 2
    # THEN each change counted once
    (row,) = rollups.read_period(workspace.tenant_id, ALL, FIRST, LAST)
    assert row.figures["c_created"] == 5 and row.figures["c_first_responses"] == 5
    (ids,) = rollups.read_period(workspace.tenant_id, IDS, FIRST, LAST)
    assert ids.id_sets["ids_created"] == {f"x{n}" for n in range(5)}


def test_a_backfill_gives_tickets_that_predate_the_metrics_their_figures(api: ApiClient, pump: StreamPump) -> None:
    from chalicelib.services.metrics_rebuild import backfill

    # GIVEN a workspace whose tickets were worked before the metrics consumer existed
    many = [
        Life(
            n,
            "Refund for invoice",
            p,
            "billing",
            ("vip",),
            n % 2,
            n * 400,
            (Step(45, "reply"), Step(300, "status", "solved")),
        )
        for n, p in enumerate(("high", "urgent", "normal", "low", "high"))
    ]
    workspace = new_workspace(api, roles=("lead",))
    store(workspace, many)
    pump.pump(handlers=("workflows", "realtime"))  # no metrics consumer ran
    assert api.get(f"/metrics?{PERIOD}", workspace.token("lead")).body["solved"] == 0
    # WHEN the backfill rebuilds the days before today
    today = date.today()
    assert backfill(workspace.tenant_id, (today - FIRST).days + 1) > 0
    # THEN the figures are what the stream consumer would have kept
    got = api.get(f"/metrics?{PERIOD}&group_by=agent", workspace.token("lead")).body
    twin = new_workspace(api, roles=("lead",))
    store(twin, many)
    pump.pump()
    kept = api.get(f"/metrics?{PERIOD}&group_by=agent", twin.token("lead")).body
    assert (got["created"], got["solved"]) == (kept["created"], kept["solved"]) == (5, 5)
    assert got["first_response"] == kept["first_response"] and got["goals"] == kept["goals"]
    assert [(g["key"], g["solved"]) for g in got["groups"]] == [(g["key"], g["solved"]) for g in kept["groups"]]
    # AND it built the closed weeks those days are in, and counted the backlog the consumer would have kept
    weeks = sorted({week_of(FIRST + timedelta(days=n)) for n in range(10)})
    assert set(rollups.read_weeks(workspace.tenant_id, ALL, weeks[0], weeks[-1])) == set(weeks)
    assert got["backlog_now"]["open"] == kept["backlog_now"]["open"]
    assert got["backlog_now"]["unassigned"] == kept["backlog_now"]["unassigned"]
