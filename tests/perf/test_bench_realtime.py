"""Write -> receive latency with 1, 50 and 200 dashboards listening (issue 4's benchmark), and
the time one fan-out takes for 200 connections."""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from infra.local.stack import LocalStack
from tests.events.live import events_in
from tests.integration.http import Http, Team, new_team
from tests.perf.figures import summary_ms, table, timed

WRITES = 20
LISTENERS = (1, 50, 200)


async def open_listeners(stack: LocalStack, token: str, count: int) -> list[ClientConnection]:
    sockets = []
    for _ in range(count):
        ws = await connect(f"{stack.ws_url}?token={token}", max_queue=None)
        await ws.send(json.dumps({"action": "ping"}))
        while all(e["type"] != "pong" for e in events_in(await ws.recv())):
            pass
        sockets.append(ws)
    return sockets


async def measure(stack: LocalStack, http: Http, team: Team, count: int) -> list[float]:
    sockets = await open_listeners(stack, team.tokens["agent"], count)
    received: dict[str, list[float]] = defaultdict(list)

    async def listen(ws: ClientConnection) -> None:
        async for message in ws:
            for event in events_in(message):
                if event["type"] == "ticket.created":
                    received[event["ticket"]["id"]].append(time.perf_counter())

    readers = [asyncio.create_task(listen(ws)) for ws in sockets]
    written: dict[str, float] = {}
    loop = asyncio.get_running_loop()
    for n in range(WRITES):
        ticket = await loop.run_in_executor(None, lambda n=n: create(http, team, n))
        written[ticket["id"]] = time.perf_counter()
        await asyncio.sleep(0.05)
    deadline = time.monotonic() + 60
    while any(len(received[t]) < count for t in written) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    for task in readers:
        task.cancel()
    for ws in sockets:
        await ws.close()
    missing = sum(count - len(received[t]) for t in written)
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


def test_write_to_dashboard_latency(bench_stack: LocalStack) -> None:
    http = Http.for_stack(bench_stack)
    team = new_team(http, roles=("lead", "agent"))
    rows = []
    for count in LISTENERS:
        figures = summary_ms(asyncio.run(measure(bench_stack, http, team, count)))
        rows.append([count, WRITES * count, figures["p50"], figures["p95"], figures["max"]])
    fan_out_ms = summary_ms(asyncio.run(time_fan_out(bench_stack, team, http)))
    table(
        "REST write -> WebSocket receipt on the local stack",
        ["listeners", "deliveries", "p50 ms", "p95 ms", "max ms"],
        rows,
    )
    table(
        "One fan-out invocation to 200 connections",
        ["p50 ms", "p95 ms", "max ms"],
        [[fan_out_ms["p50"], fan_out_ms["p95"], fan_out_ms["max"]]],
    )


async def time_fan_out(stack: LocalStack, team: Team, http: Http) -> list[float]:
    from chalicelib.workers.realtime import fan_out

    tenant_id = http.ok("GET", "/me", team.tokens["agent"])["workspace"]["id"]
    sockets = await open_listeners(stack, team.tokens["agent"], 200)
    drain = [asyncio.create_task(_drain(ws)) for ws in sockets]
    event = {"type": "ticket.updated", "ticket": {"id": "bench", "version": 1}, "changes": []}
    loop = asyncio.get_running_loop()
    samples = await loop.run_in_executor(None, lambda: timed(lambda: fan_out(tenant_id, [event]), 10))
    for task in drain:
        task.cancel()
    for ws in sockets:
        await ws.close()
    return samples


async def _drain(ws: ClientConnection) -> None:
    async for _ in ws:
        pass
