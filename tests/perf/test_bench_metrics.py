"""GET /metrics on the local stack over a workspace of 100,000 tickets, and the stream lag the metrics
consumer adds at 50 changes a second (issue 14's benchmark).

Seeding 100,000 real tickets through the API takes hours on this machine, so the rollups are seeded
the way the consumer makes them: synthetic ticket lives decided by the real rules (``decide``),
folded by the real ``fold``; closed days written by the rebuild job's ``replace_day`` (as the nightly
job leaves them), today's changes by the consumer's ``apply_changes``. The reads are the real
route on the real stack. PULSEDESK_BENCH_METRICS_TICKETS sets the size (default 100,000)."""

from __future__ import annotations

import os
import random
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any

import requests

from infra.local.stack import LocalStack
from tests.integration.http import PASSWORD, Http, new_team
from tests.perf.figures import dynamo_calls, dynamo_items, summary_ms, table, timed

SIZE = int(os.environ.get("PULSEDESK_BENCH_METRICS_TICKETS", "100000"))
REPEAT = 40
SPAN_DAYS = 730  # a year and its comparison year
AGENTS = 10
WORDS = ["refund", "invoice", "login", "export", "crash", "password", "upgrade", "webhook", "mobile", "import"]


def seed_rollups(tenant_id: str, agent_ids: list[str], today: date) -> tuple[int, int]:
    """Folds SIZE synthetic ticket lives into rollups and writes them; returns (changes, items)."""
    from chalicelib.data import metrics as rollups
    from chalicelib.domain.actors import ROUTER, Person
    from chalicelib.domain.errors import DomainError
    from chalicelib.domain.metrics_calendar import month_of, week_of
    from chalicelib.domain.metrics_fold import IDS, STORED_DIMENSIONS, DayRollup, accumulate, fold
    from chalicelib.domain.metrics_history import happening
    from chalicelib.domain.ticket_change import AddComment, CreateTicket, Requester, UpdateTicket, decide
    from tests.metrics_simulation import facts

    rng = random.Random(14)
    first_day = datetime.combine(today - timedelta(days=SPAN_DAYS - 1), datetime.min.time(), UTC)
    agents = [Person(a, f"Agent {n}") for n, a in enumerate(agent_ids)]
    deltas = []
    live: list[tuple[str, Any]] = []
    changes = 0
    for n in range(SIZE):
        at = first_day + timedelta(seconds=rng.randrange(SPAN_DAYS * 86_400 - 3 * 86_400))
        agent = rng.choice(agents)
        subject = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} issue"
        create = CreateTicket(
            ticket_id=f"b{n}",
            number=n + 1,
            subject=subject,
            description="",
            requester=Requester("c@example.com", "C"),
            priority=rng.choice(["low", "normal", "normal", "high", "urgent"]),
            queue=rng.choice(["billing", "support", "technical"]),
            tags=tuple(rng.sample(["vip", "bug", "eu"], 1)),
            assignee_id=agent.user_id,
        )
        steps: list[Any] = [AddComment(f"c{n}", "On it", public=True), UpdateTicket(status="solved")]
        if rng.random() < 0.1:
            steps.append(AddComment(f"r{n}", "Still broken", public=True))
        change = decide(None, ROUTER, create, at)
        assert change is not None
        ticket = change.after
        lived = [change]
        for step in steps:
            at += timedelta(seconds=int(rng.lognormvariate(8.5, 1.2)))
            try:
                next_change = decide(ticket, agent, step, at)
            except DomainError:
                continue
            if next_change is not None:
                lived.append(next_change)
                ticket = next_change.after
        for c in lived:
            assert c.stream is not None
            before = facts(c.before) if c.before is not None else None
            delta = fold(before, facts(c.after), happening(c.stream.at, c.stream.actor, c.stream.fields))
            if delta is not None and delta.day < today:
                deltas.append(delta)
            elif delta is not None and delta.day == today:
                live.append((f"b{n}@{len(live)}", delta))
        changes += len(lived)
    # today as the stream consumer keeps it (flat buckets, ADDed per batch); closed days as the nightly
    # rebuild leaves them (histograms packed), and the closed months and weeks added up
    rollups.apply_changes(tenant_id, live, datetime.now(UTC))
    items = accumulate(deltas)
    by_day: dict[date, list[DayRollup]] = defaultdict(list)
    for (day, dim), acc in items.items():
        by_day[day].append(DayRollup(day, dim.name, dim.value, acc.figures, acc.id_sets))
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(
            pool.map(
                lambda day: rollups.replace_day(tenant_id, day, by_day[day], STORED_DIMENSIONS),
                sorted(by_day),
            )
        )
        # and every closed month added up, as the month job leaves them
        months = sorted({month_of(day) for day in by_day if month_of(day) < month_of(today)})
        dimensions = [d for d in STORED_DIMENSIONS if d != IDS]
        written = sum(pool.map(lambda month: rollups.replace_month(tenant_id, month, dimensions), months))
        # and every closed week, as the nightly job leaves them on Mondays
        weeks = sorted({week_of(day) for day in by_day if week_of(day) < week_of(today)})
        written += sum(pool.map(lambda week: rollups.replace_week(tenant_id, week, dimensions), weeks))
    return changes, len(items) + len(accumulate(delta for _, delta in live)) + written


def items_the_first_plan_read(tenant_id: str, first: date, last: date, group_by: str) -> int:
    """The items the first read plan fetched for the same request on the same data (the workspace,
    agent, priority and tag dimensions and the words, each a Query over the period and its comparison),
    counted with plain Queries: the "before" of the items-read column."""
    from chalicelib.data import metrics as rollups

    start = first - (last - first) - timedelta(days=1)
    dimensions = {"all", "agent", "priority", "tag", "words"} | ({group_by} - {"day", "week"})
    return sum(len(rollups.read_period(tenant_id, d, start, max(last, first))) for d in dimensions)


def test_metrics_read_latency_and_consumer_lag(bench_stack: LocalStack) -> None:
    http = Http.for_stack(bench_stack)
    team = new_team(http, roles=("lead", *(f"agent{n}" for n in range(AGENTS))))
    me = http.ok("GET", "/me", team.tokens["lead"])
    tenant_id = me["workspace"]["id"]
    today = datetime.now(UTC).date()
    started = time.monotonic()
    agent_ids = [i for role, i in team.ids.items() if role.startswith("agent")]
    changes, items = seed_rollups(tenant_id, agent_ids, today)
    print(
        f"\nset-up: {SIZE:,} synthetic tickets ({changes:,} changes) over {SPAN_DAYS} days folded and written as"
        f" {items:,} rollup items in {time.monotonic() - started:.0f} s"
    )
    session = requests.Session()
    lead_login = {"workspace": team.slug, "email": f"lead@{team.slug}.example.com", "password": PASSWORD}

    def sign_in() -> None:  # a fresh 15-minute token: seeding and a year's reads outlast one
        session.headers["Authorization"] = f"Bearer {http.ok('POST', '/auth/login', body=lead_login)['access_token']}"

    base = f"{bench_stack.base_url}/api/v1"

    def get(path: str) -> Any:
        response = session.get(base + path)
        assert response.status_code == 200, response.text
        return response.json()

    rows = []
    for days, group_by, filters in (
        (30, "day", ""),
        (30, "agent", ""),
        (30, "day", "&queue=billing&priority=high"),
        (90, "week", ""),
        (365, "day", ""),
        (365, "week", ""),
    ):
        sign_in()
        repeat = REPEAT if days <= 90 else REPEAT // 4  # a year's read takes longer
        first = today - timedelta(days=days - 1)
        path = f"/metrics?from={first.isoformat()}&to={today.isoformat()}&group_by={group_by}{filters}"
        answer = get(path)  # warm
        samples = timed(lambda p=path: get(p), repeat)
        with dynamo_calls("lambda") as calls, dynamo_items("lambda", "metrics") as items:
            get(path)
        figures = summary_ms(samples)
        queries = sum(1 for c in calls if c == "Query")
        before = "" if filters else f"{items_the_first_plan_read(tenant_id, first, today, group_by):,}"
        rows.append(
            [
                f"{days} days, group_by={group_by}{filters.replace('&', ' ')}"
                f" (solved {answer['solved']:,}; {repeat} requests)",
                figures["p50"],
                figures["p95"],
                queries,
                ", ".join(sorted(set(calls))),
                f"{sum(items):,}",
                before,
            ]
        )
    table(
        f"GET /metrics, rollups of {SIZE:,} tickets over {SPAN_DAYS} days (as a lead)",
        [
            "request",
            "p50 ms",
            "p95 ms",
            "DynamoDB calls (Query pages)",
            "operations",
            "rollup items read",
            "items the first plan read",
        ],
        rows,
    )
    consumer_lag(bench_stack, team.tokens["lead"], tenant_id)


def consumer_lag(stack: LocalStack, lead_token: str, tenant_id: str, rate: float = 50.0, seconds: float = 20.0) -> None:
    """Changes written at ``rate`` a second; for each, the time from its write to its rollups being
    applied, and the time the metrics handler spends per record."""
    from chalicelib.data import metrics as rollups
    from chalicelib.domain.clock import utcnow
    from chalicelib.domain.permissions import permissions_for_role
    from chalicelib.domain.principal import Principal
    from chalicelib.services import ticket_writes
    from chalicelib.workers import metrics as metrics_worker

    applied_at: list[tuple[str, datetime]] = []
    batches: list[tuple[int, float]] = []
    original_apply, original_handle = rollups.apply_change, metrics_worker.handle_metrics_batch

    def timed_apply(
        tenant: str, change_id: str, delta: Any, now: datetime, closed_before: Any = None, open_week: Any = None
    ) -> bool:
        applied = original_apply(tenant, change_id, delta, now, closed_before, open_week)
        if tenant == tenant_id:
            applied_at.append((change_id.split("@")[0], utcnow()))
        return applied

    def timed_handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        start = time.perf_counter()
        try:
            return original_handle(event, context)
        finally:
            batches.append((len(event.get("Records", [])), time.perf_counter() - start))

    written: dict[str, datetime] = {}
    lead = Principal(tenant_id, "user", "bench", "Bench", "lead", permissions_for_role("lead"))
    total = int(rate * seconds)
    rollups.apply_change = timed_apply  # type: ignore[assignment]
    metrics_worker.handle_metrics_batch = timed_handle  # type: ignore[assignment]
    try:
        start = time.monotonic()
        lock = threading.Lock()

        def create(n: int) -> None:
            time.sleep(max(0.0, start + n / rate - time.monotonic()))
            body = {
                "subject": f"Lag check {n}",
                "description": "d",
                "requester": {"email": "l@example.com", "name": ""},
                "priority": "normal",
                "queue": "support",
                "tags": [],
            }
            before = utcnow()
            ticket = ticket_writes.create_ticket(lead, body)
            with lock:
                written[ticket.id] = before

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(create, range(total)))
        deadline = time.monotonic() + 300
        while len(applied_at) < total and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        rollups.apply_change = original_apply  # type: ignore[assignment]
        metrics_worker.handle_metrics_batch = original_handle  # type: ignore[assignment]
    lag = summary_ms([(done - written[ticket_id]).total_seconds() for ticket_id, done in applied_at])
    records = sum(n for n, _ in batches)
    busy = sum(t for _, t in batches)
    table(
        f"Metrics consumer at {rate:.0f} changes/s ({total} tickets created in {seconds:.0f} s; stream poll 20 ms)",
        ["measure", "value"],
        [
            ["write → rollups applied, p50 / p95 / max ms", f"{lag['p50']:.0f} / {lag['p95']:.0f} / {lag['max']:.0f}"],
            ["metrics handler time per record, ms (all batches)", f"{busy / max(records, 1) * 1000:.1f}"],
            ["batches / records handled", f"{len(batches)} / {records}"],
            ["handler busy share of the run", f"{busy / seconds * 100:.0f} %"],
        ],
    )
