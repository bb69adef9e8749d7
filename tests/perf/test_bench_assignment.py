"""Ticket creation -> automatic assignment latency at 1, 10 and 50 tickets per second on the stack as
``make run`` runs it (issue 19 item 5: p95 <= 1 s at 10/s), and the DynamoDB calls one assignment
makes, counted on the stack whose handlers run in this process (issue 5's benchmark)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any
from unittest import mock

from botocore.client import BaseClient
from websockets.asyncio.client import connect

from infra.local.stack import LocalStack
from tests.events.live import events_in
from tests.integration.http import Http, new_team
from tests.perf.figures import summary_ms, table

RATES = (1, 10, 50)
TICKETS_PER_RATE = 40
AGENTS = 10


def test_creation_to_assignment_latency(process_stack: LocalStack) -> None:
    http = Http.for_stack(process_stack)
    token = team_online(http)
    rows = []
    for rate in RATES:
        figures = summary_ms(asyncio.run(measure(process_stack, http, token, rate)))
        rows.append([rate, TICKETS_PER_RATE, figures["p50"], figures["p95"], figures["max"]])
    table(
        "Ticket created -> assigned (seen on a dashboard), 10 agents online",
        ["tickets/s", "tickets", "p50 ms", "p95 ms", "max ms"],
        rows,
    )


def test_dynamodb_calls_per_assignment(bench_stack: LocalStack) -> None:
    http = Http.for_stack(bench_stack)
    token = team_online(http)
    with counting_assignment_calls() as servings:
        asyncio.run(measure(bench_stack, http, token, 10))
    calls = sorted(c for c, _ in servings)
    assigned = sum(n for _, n in servings)
    per_ticket = round(sum(calls) / max(1, assigned), 1)
    table(
        f"DynamoDB calls per serving of the waiting queue (one per workspace per stream batch), {AGENTS} agents",
        ["servings", "tickets assigned", "calls min", "calls median", "calls max", "calls per ticket assigned"],
        [
            [
                len(servings),
                assigned,
                calls[0],
                calls[len(calls) // 2],
                calls[-1],
                per_ticket,
            ]
        ],
    )


def team_online(http: Http) -> str:
    """A new team whose agents are online with room to spare; returns its admin's token."""
    team = new_team(http, roles=tuple(f"agent{n}" for n in range(AGENTS)))
    for n in range(AGENTS):
        http.ok(
            "PATCH",
            f"/users/{team.ids[f'agent{n}']}",
            team.tokens["admin"],
            {"availability": "online", "capacity": 500},
        )
    return team.tokens["admin"]


async def measure(stack: LocalStack, http: Http, token: str, rate: int) -> list[float]:
    assigned: dict[str, float] = {}
    async with connect(f"{stack.ws_url}?token={token}", max_queue=None) as ws:
        await ws.send(json.dumps({"action": "ping"}))
        while all(e["type"] != "pong" for e in events_in(await ws.recv())):
            pass

        async def listen() -> None:
            async for message in ws:
                for event in events_in(message):
                    ticket = event.get("ticket") or {}
                    if event["type"] == "ticket.updated" and ticket.get("assignee_id") and ticket["id"] not in assigned:
                        assigned[ticket["id"]] = time.perf_counter()

        reader = asyncio.create_task(listen())
        created: dict[str, float] = {}
        loop = asyncio.get_running_loop()
        for n in range(TICKETS_PER_RATE):
            started = time.perf_counter()
            ticket = await loop.run_in_executor(None, lambda n=n: create(http, token, rate, n))
            created[ticket["id"]] = time.perf_counter()
            await asyncio.sleep(max(0.0, 1 / rate - (time.perf_counter() - started)))
        deadline = time.monotonic() + 60
        while len(set(created) & set(assigned)) < len(created) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        reader.cancel()
    return [assigned[t] - created[t] for t in created if t in assigned]


def create(http: Http, token: str, rate: int, n: int) -> dict[str, Any]:
    return http.ok(
        "POST",
        "/tickets",
        token,
        {  # type: ignore[no-any-return]
            "subject": f"Route me {rate}/{n}",
            "description": "x",
            "requester": {"email": "r@example.com"},
        },
    )


class counting_assignment_calls:
    """Counts the DynamoDB calls inside each serving of a waiting queue (one per workspace per stream
    batch, in the event runner's thread), and the tickets each assigned."""

    def __init__(self) -> None:
        self.servings: list[tuple[int, int]] = []  # (DynamoDB calls, tickets assigned)
        self._active = threading.local()

    def __enter__(self) -> list[tuple[int, int]]:
        from chalicelib.services import assignment

        original_serve = assignment.assign_waiting
        original_call = BaseClient._make_api_call
        active = self._active

        def counted_serve(tenant_id: str, *args: Any, **kwargs: Any) -> dict[str, str]:
            active.calls = 0
            assigned: dict[str, str] = {}
            try:
                assigned = original_serve(tenant_id, *args, **kwargs)
                return assigned
            finally:
                self.servings.append((active.calls, len(assigned)))
                active.calls = None

        def recording(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
            if getattr(active, "calls", None) is not None and client.meta.service_model.service_name == "dynamodb":
                active.calls += 1
            return original_call(client, operation, params)

        self._patches = [
            mock.patch.object(assignment, "assign_waiting", counted_serve),
            mock.patch.object(BaseClient, "_make_api_call", recording),
        ]
        for patch in self._patches:
            patch.start()
        return self.servings

    def __exit__(self, *_: object) -> None:
        for patch in self._patches:
            patch.stop()
