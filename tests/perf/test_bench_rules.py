"""Rules on the local stack (issue 16's benchmark): what 50 active event rules add to the stream
consumer at 50 changes/s, and how long a time rule's sweep takes over 10,000 open tickets.

1. The rules' share of the workflows handler: the same ticket records through ``run_event_rules``
   with 50 enabled event rules (every one triggered by the change, one matching) and with none;
   the difference per record is the lag the rules add at the head of a batch.
2. End to end at 50 changes/s: PATCHes paced at 50/s on tickets of a workspace with those 50 rules;
   the time from sending the write to the matching rule's own change being stored.
3. The sweep: 10,000 open tickets; one time rule read over them (no match: read and evaluate
   only), then one that acts on 100 of them, then the same again (markers: nothing twice)."""

from __future__ import annotations

import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import jwt

from infra.local.stack import LocalStack
from tests.integration.http import Http, Team, new_team
from tests.perf.figures import dynamo_calls, summary_ms, table

RULES = 50
RATE = 50  # changes per second
CHANGES = 250
SWEEP_TICKETS = int(os.environ.get("PULSEDESK_BENCH_SWEEP_TICKETS", "10000"))


def tenant_of(team: Team) -> str:
    return str(jwt.decode(team.tokens["admin"], options={"verify_signature": False})["tid"])


def fifty_rules(http: Http, team: Team) -> None:
    """49 rules a priority change triggers but whose conditions do not hold, and one that acts."""
    for n in range(RULES - 1):
        http.ok(
            "POST",
            "/rules",
            team.tokens["admin"],
            {
                "name": f"Idle {n}",
                "kind": "event",
                "triggers": [{"event": "updated", "field": "priority"}],
                "conditions": {
                    "all": [{"field": "requester_domain", "op": "is", "value": f"nobody{n}.example"}],
                    "any": [{"field": "subject", "op": "contains", "value": "never"}],
                },
                "actions": [{"type": "add_tags", "tags": [f"idle-{n}"]}],
            },
        )
    http.ok(
        "POST",
        "/rules",
        team.tokens["admin"],
        {
            "name": "Tag urgent",
            "kind": "event",
            "triggers": [{"event": "updated", "field": "priority", "changed_to": "urgent"}],
            "actions": [{"type": "add_tags", "tags": ["escalated"]}],
        },
    )


def handler_share(tenant_id: str, ticket_ids: list[str]) -> tuple[list[float], list[float], list[str]]:
    """(per-record seconds with the rules, without, DynamoDB calls of one record with them)."""
    from chalicelib.data import tickets as repo
    from chalicelib.domain.actors import Person
    from chalicelib.domain.clock import utcnow
    from chalicelib.domain.ticket_change import FieldChange, StreamChange
    from chalicelib.workers.rules import EventRules, run_event_rules
    from chalicelib.workers.stream import ItemChange

    # as a person's priority change normal -> high leaves them: every idle rule is triggered
    by_person = StreamChange("updated", Person("u", "Agent"), (FieldChange("priority", "normal", "high"),), utcnow())
    items = [repo.get_ticket(tenant_id, t) for t in ticket_ids]
    for item in items:
        if item is not None:
            item.last_change = by_person.to_dict()
    changes = [ItemChange(f"bench-{n}", "MODIFY", item, item) for n, item in enumerate(items) if item is not None]

    def per_record(rules: EventRules) -> list[float]:
        samples = []
        for change in changes:
            started = time.perf_counter()
            run_event_rules(change, rules)
            samples.append(time.perf_counter() - started)
        return samples

    with_rules = EventRules()
    without = EventRules()
    without._rules[tenant_id] = []  # a workspace without rules, same records
    per_record(with_rules)  # warm: the batch's one read of the rules
    measured = per_record(with_rules)
    baseline = per_record(without)
    threading.current_thread().name = "bench-rules"
    with dynamo_calls("bench-rules") as calls:
        run_event_rules(changes[0], with_rules)
    return measured, baseline, calls


def test_fifty_rules_at_fifty_changes_per_second(bench_stack: LocalStack) -> None:
    http = Http.for_stack(bench_stack)
    team = new_team(http, roles=())
    admin = team.tokens["admin"]
    http.ok("PUT", "/settings/routing", admin, {"auto_assign_default": False})
    fifty_rules(http, team)
    body = {"subject": "Bench", "description": "x", "requester": {"email": "r@example.com"}, "priority": "normal"}
    with ThreadPoolExecutor(max_workers=8) as pool:
        tickets = list(pool.map(lambda _: http.ok("POST", "/tickets", admin, body), range(CHANGES)))

    # 1. the rules' share of the handler, record by record (the matching rule's priority is not urgent here)
    measured, baseline, calls = handler_share(tenant_of(team), [t["id"] for t in tickets[:100]])

    # 2. end to end: one PATCH to urgent per ticket, paced at RATE per second
    sent: dict[str, float] = {}

    def change(ticket: dict[str, Any]) -> None:
        sent[ticket["id"]] = time.time()
        http.ok("PATCH", f"/tickets/{ticket['id']}", admin, {"priority": "urgent", "version": ticket["version"]})

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        for n, ticket in enumerate(tickets):
            time.sleep(max(0.0, started + n / RATE - time.monotonic()))
            pool.submit(change, ticket)
    achieved = CHANGES / (time.monotonic() - started)
    lags: list[float] = []
    deadline = time.monotonic() + 600
    pending = {t["id"] for t in tickets}
    while pending and time.monotonic() < deadline:
        for ticket_id in list(pending):
            history = http.ok("GET", f"/tickets/{ticket_id}/history", admin)["items"]
            by_rule = [h for h in history if h["actor"]["type"] == "rule"]
            if by_rule:
                lags.append(datetime.fromisoformat(by_rule[0]["at"]).timestamp() - sent[ticket_id])
                pending.discard(ticket_id)
        time.sleep(0.2)
    assert not pending, f"{len(pending)} changes never reached their rule"

    with_ms, without_ms, lag_ms = summary_ms(measured), summary_ms(baseline), summary_ms(lags)
    table(
        f"Event rules: {RULES} active rules (all triggered, one matching), {CHANGES} changes at {achieved:.0f}/s",
        ["measure", "p50 ms", "p95 ms", "max ms"],
        [
            ["rules' share of the workflows handler, per record", with_ms["p50"], with_ms["p95"], with_ms["max"]],
            ["same records, workspace without rules", without_ms["p50"], without_ms["p95"], without_ms["max"]],
            ["write sent → the rule's change stored (end to end)", lag_ms["p50"], lag_ms["p95"], lag_ms["max"]],
        ],
    )
    print(f"DynamoDB calls of one record, 50 rules triggered, none matching: {len(calls)} {sorted(set(calls))}")


def seed_open_tickets(tenant_id: str, count: int) -> None:
    """The tickets as the one write path would store them (decided by ``create``), written in batches
    of 25: the set-up of 10,000 tickets takes seconds instead of 10,000 transactions."""
    from chalicelib.data.models import TicketItem
    from chalicelib.data.ticket_changes import _set_index_keys, _ticket_item
    from chalicelib.domain.actors import Person
    from chalicelib.domain.clock import utcnow
    from chalicelib.domain.ticket_change import CreateTicket, Requester, create

    admin, now = Person("bench", "Bench"), utcnow()
    with TicketItem.batch_write() as batch:
        for n in range(count):
            rng = random.Random(n)
            request = CreateTicket(
                ticket_id=f"sweep{n:06d}{rng.getrandbits(32):08x}",
                number=1_000_000 + n,
                subject=f"Sweep {n}",
                description="x",
                requester=Requester(f"c{n % 300}@example.com", ""),
                priority=rng.choice(["low", "normal", "high"]),
                queue="support",
                tags=("bench",) if n % 100 else ("bench", "pick"),
            )
            change = create(admin, request, now)
            item = _ticket_item(tenant_id, change.after, change)
            _set_index_keys(item)
            batch.save(item)


def test_time_rule_sweep_over_ten_thousand_open_tickets(bench_stack: LocalStack) -> None:
    from chalicelib.domain.permissions import permissions_for_role
    from chalicelib.domain.principal import Principal
    from chalicelib.domain.rules import RuleDefinition
    from chalicelib.services import rules_admin, time_rules

    http = Http.for_stack(bench_stack)
    team = new_team(http, roles=())
    tenant_id = tenant_of(team)
    admin = Principal(tenant_id, "user", team.ids["admin"], "Admin", "admin", permissions_for_role("admin"))
    started = time.monotonic()
    seed_open_tickets(tenant_id, SWEEP_TICKETS)
    print(f"\nset-up: {SWEEP_TICKETS:,} open tickets in {time.monotonic() - started:.0f} s")
    rows = []
    for name, conditions in (
        (
            "no match (read + evaluate)",
            {"all": [{"field": "hours_since_created", "op": "at_least", "value": 1000}]},
        ),
        (
            "acts on 1 in 100 (tag)",
            {
                "all": [
                    {"field": "hours_since_created", "op": "at_least", "value": 0},
                    {"field": "tags", "op": "includes", "value": ["pick"]},
                ]
            },
        ),
    ):
        definition = {
            "name": name,
            "kind": "time",
            "conditions": conditions,
            "actions": [{"type": "add_tags", "tags": ["swept"]}],
        }
        rule = rules_admin.create_rule(admin, RuleDefinition.model_validate(definition))
        for run in ("first sweep", "second sweep (markers)"):
            began = time.perf_counter()
            with dynamo_calls(threading.current_thread().name) as calls:
                report = time_rules.run_time_rules(tenant_id)
            elapsed = time.perf_counter() - began
            rows.append([name, run, report["tickets_read"], report["applied"], elapsed, len(calls)])
        rules_admin.update_rule(admin, rule.id, {"enabled": False}, None)
    table(
        f"Time rules: one rule swept over {SWEEP_TICKETS:,} open tickets",
        ["rule", "run", "tickets read", "acted on", "seconds", "DynamoDB calls"],
        rows,
    )
