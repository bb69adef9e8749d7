"""Write -> receive latency with 1, 50 and 200 dashboards listening (issue 4's benchmark; issue 19
item 5: p95 <= 300 ms at 200), and the time one fan-out takes for 200 connections. The dashboards
listen from a process of their own (``listeners.py``), as browsers do from their machines; the stack
runs as ``make run`` runs it, its handlers in processes of their own."""

from __future__ import annotations

import time
from typing import Any

from infra.local.stack import LocalStack
from tests.integration.http import Http, Team, new_team
from tests.perf.figures import summary_ms, table
from tests.perf.listeners import Listeners

WRITES = 20
LISTENERS = (1, 50, 200)


def measure(stack: LocalStack, http: Http, team: Team, count: int) -> list[float]:
    """Write acknowledged -> the event on each of ``count`` dashboards (listening from another process)."""
    with Listeners(f"{stack.ws_url}?token={team.tokens['agent']}", count) as listeners:
        written: dict[str, float] = {}
        for n in range(WRITES):
            ticket = create(http, team, n)
            written[ticket["id"]] = time.time()
            time.sleep(0.05)
        listeners.wait_for(WRITES * count)
        received = listeners.received()
    missing = sum(count - len(received.get(t, [])) for t in written)
    assert missing == 0, f"{missing} deliveries never arrived"
    return [at - written[t] for t in written for at in received[t]]


def create(http: Http, team: Team, n: int) -> dict[str, Any]:
    return http.ok(
        "POST",
        "/tickets",
        team.tokens["lead"],
        {  # type: ignore[no-any-return]
            "subject": f"Latency probe {n}",
            "description": "x",
            "requester": {"email": "probe@example.com"},
        },
    )


def test_write_to_dashboard_latency(process_stack: LocalStack) -> None:
    http = Http.for_stack(process_stack)
    team = new_team(http, roles=("lead", "agent"))
    rows = []
    for count in LISTENERS:
        figures = summary_ms(measure(process_stack, http, team, count))
        rows.append([count, WRITES * count, figures["p50"], figures["p95"], figures["max"]])
    walls, cpus = time_fan_out(process_stack, team, http)
    fan_out_ms, fan_out_cpu_ms = summary_ms(walls), summary_ms(cpus)
    table(
        "REST write -> WebSocket receipt on the local stack",
        ["listeners", "deliveries", "p50 ms", "p95 ms", "max ms"],
        rows,
    )
    table(
        "One fan-out invocation to 200 connections (CPU: the stack's process, both sides of each post)",
        ["p50 ms", "p95 ms", "max ms", "CPU p50 ms", "CPU per post ms"],
        [[fan_out_ms["p50"], fan_out_ms["p95"], fan_out_ms["max"], fan_out_cpu_ms["p50"], fan_out_cpu_ms["p50"] / 200]],
    )


def time_fan_out(stack: LocalStack, team: Team, http: Http) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds (of this process: the gateway's side included) of one fan-out to 200 sockets."""
    from chalicelib.workers.realtime import fan_out

    tenant_id = http.ok("GET", "/me", team.tokens["agent"])["workspace"]["id"]
    event = {"type": "ticket.updated", "ticket": {"id": "bench", "version": 1}, "changes": []}
    walls, cpus = [], []
    with Listeners(f"{stack.ws_url}?token={team.tokens['agent']}", 200):
        for _ in range(10):
            wall, cpu = time.perf_counter(), time.process_time()
            fan_out(tenant_id, [event])
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    return walls, cpus
