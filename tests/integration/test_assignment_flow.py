"""Automatic assignment at scale on the local stack, with DynamoDB Local's real stream."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from infra.local.stack import LocalStack
from tests.integration.http import Http, Team, new_team

AGENTS = 10
CAPACITY = 60


def eventually(condition: Callable[[], bool], what: str, timeout_seconds: float = 120) -> None:
    """Polls until the stream has done its work; the deadline bounds a hang, it measures nothing."""
    deadline = time.monotonic() + timeout_seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def http(local_stack: LocalStack) -> Http:
    return Http.for_stack(local_stack)


def create_many(http: Http, team: Team, count: int, clients: int, **fields: Any) -> list[dict[str, Any]]:
    body = {"subject": "Route me", "description": "x", "requester": {"email": "r@example.com"}, **fields}
    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(lambda _: http.ok("POST", "/tickets", team.tokens["admin"], body), range(count)))


def all_tickets(http: Http, team: Team) -> list[dict[str, Any]]:
    items, cursor = [], None
    while True:
        page = http.ok("GET", "/tickets?limit=100" + (f"&cursor={cursor}" if cursor else ""), team.tokens["admin"])
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def loads(http: Http, team: Team) -> dict[str, int]:
    return {a["user_id"]: a["load"] for a in http.ok("GET", "/agents/load", team.tokens["admin"])["items"]}


def test_balanced_exactly_once_never_offline_and_waiting_served_by_priority_then_age(http: Http) -> None:
    team = new_team(http, roles=tuple(f"agent{n}" for n in range(AGENTS)))
    agents = [team.ids[f"agent{n}"] for n in range(AGENTS)]
    for agent in agents:
        http.ok("PATCH", f"/users/{agent}", team.tokens["admin"], {"availability": "online", "capacity": CAPACITY})

    # 500 tickets from 20 concurrent clients: every one assigned exactly once, loads within one
    first = create_many(http, team, 500, clients=20)
    eventually(lambda: sum(loads(http, team).values()) == 500, "500 assignments")
    tickets = all_tickets(http, team)
    per_agent = Counter(t["assignee_id"] for t in tickets)
    assert sum(per_agent.values()) == 500 and set(per_agent) == set(agents)
    assert max(per_agent.values()) - min(per_agent.values()) <= 1
    assert loads(http, team) == dict(per_agent), "the load counters agree with the tickets"
    assert all(t["version"] == 2 for t in tickets), "each ticket was assigned once and only once"

    # three agents go offline; 100 more tickets: none goes to them, those beyond capacity wait
    offline = agents[:3]
    for agent in offline:
        http.ok("PATCH", f"/users/{agent}", team.tokens["admin"], {"availability": "offline"})
    later = create_many(http, team, 100, clients=20, priority="normal")
    online_room = sum(CAPACITY - per_agent[a] for a in agents[3:])
    expected_assigned = min(100, online_room)
    eventually(
        lambda: sum(1 for t in all_tickets(http, team) if t["assignee_id"]) == 500 + expected_assigned,
        "the second wave",
    )
    by_id = {t["id"]: t for t in all_tickets(http, team)}
    assert not [t for t in later if by_id[t["id"]]["assignee_id"] in offline]
    assert all(load <= CAPACITY for load in loads(http, team).values())
    waiting = [by_id[t["id"]] for t in later if by_id[t["id"]]["assignee_id"] is None]
    assert len(waiting) == 100 - expected_assigned > 0

    # an urgent latecomer waits too; when room frees up it goes first, then the oldest waiting
    urgent = create_many(http, team, 1, clients=1, priority="urgent")[0]
    busy_agent = agents[3]
    mine = [t for t in first if by_id[t["id"]]["assignee_id"] == busy_agent][:3]
    for ticket in mine:
        current = http.ok("GET", f"/tickets/{ticket['id']}", team.tokens["admin"])["ticket"]
        http.ok(
            "PATCH",
            f"/tickets/{ticket['id']}",
            team.tokens["admin"],
            {"status": "solved"},
            {"If-Match": str(current["version"])},
        )
    oldest_waiting = sorted(waiting, key=lambda t: (t["created_at"], t["id"]))[0]
    eventually(
        lambda: http.ok("GET", f"/tickets/{urgent['id']}", team.tokens["admin"])["ticket"]["assignee_id"] == busy_agent,
        "the urgent ticket to take the freed room",
    )
    eventually(
        lambda: (
            http.ok("GET", f"/tickets/{oldest_waiting['id']}", team.tokens["admin"])["ticket"]["assignee_id"]
            == busy_agent
        ),
        "the oldest waiting ticket next",
    )


def test_manual_and_automatic_assignment_race_exactly_one_wins(http: Http) -> None:
    team = new_team(http, roles=("lead", "agent"))
    http.ok("PATCH", f"/users/{team.ids['agent']}", team.tokens["admin"], {"availability": "online", "capacity": 500})
    outcomes = Counter()
    for n in range(100):
        ticket = http.ok(
            "POST",
            "/tickets",
            team.tokens["admin"],
            {
                "subject": f"Race {n}",
                "description": "x",
                "requester": {"email": "r@example.com"},
            },
        )
        manual = http.call(
            "PATCH",
            f"/tickets/{ticket['id']}",
            team.tokens["lead"],
            {"assignee_id": team.ids["lead"]},
            {"If-Match": "1"},
        )
        assert manual.status_code in (200, 409), manual.text
        outcomes["manual" if manual.status_code == 200 else "automatic"] += 1

        def settled(ticket_id: str = ticket["id"]) -> bool:
            return http.ok("GET", f"/tickets/{ticket_id}", team.tokens["admin"])["ticket"]["assignee_id"] is not None

        eventually(settled, "an assignee")
        history = http.ok("GET", f"/tickets/{ticket['id']}/history", team.tokens["admin"])["items"]
        assignments = [h for h in history if any(c["field"] == "assignee_id" for c in h["changes"])]
        assert len(assignments) == 1, history
        winner = assignments[0]
        if manual.status_code == 200:
            assert winner["actor"]["id"] == team.ids["lead"] and winner["note"] is None
        else:
            assert winner["actor"]["type"] == "system" and winner["note"]["automatic"] is True
    assert sum(outcomes.values()) == 100
