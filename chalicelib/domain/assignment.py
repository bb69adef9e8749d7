"""Choosing who gets a ticket: online, skilled, with room; the least weighted load wins, and a tie
goes to whoever was assigned longest ago. Pure code."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.tickets import PRIORITIES, is_open

DEFAULT_WEIGHTS: dict[str, int] = {"urgent": 2, "high": 1, "normal": 1, "low": 1}
NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class RoutingSettings:
    auto_assign_default: bool = True
    auto_assign_queues: dict[str, bool] = field(default_factory=dict)
    weights: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    on_unavailable: str = "keep"  # or "return": an agent going away hands open tickets back

    def auto_assigns(self, queue: str) -> bool:
        return self.auto_assign_queues.get(queue, self.auto_assign_default)

    def weight(self, priority: str) -> int:
        return self.weights.get(priority, 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "auto_assign_default": self.auto_assign_default,
            "auto_assign_queues": self.auto_assign_queues,
            "weights": self.weights,
            "on_unavailable": self.on_unavailable,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> RoutingSettings:
        raw = raw or {}
        return cls(
            auto_assign_default=bool(raw.get("auto_assign_default", True)),
            auto_assign_queues=dict(raw.get("auto_assign_queues", {})),
            weights={**DEFAULT_WEIGHTS, **raw.get("weights", {})},
            on_unavailable=str(raw.get("on_unavailable", "keep")),
        )


@dataclass(frozen=True)
class Candidate:
    user_id: str
    name: str
    availability: str
    skills: frozenset[str]
    capacity: int
    open_by_priority: dict[str, int]
    last_assigned_at: datetime | None
    # queues with a member list that leaves this agent out: the router never gives them its tickets
    barred_queues: frozenset[str] = frozenset()

    def load(self, settings: RoutingSettings) -> int:
        return sum(settings.weight(p) * n for p, n in self.open_by_priority.items())


@dataclass(frozen=True)
class Choice:
    user_id: str
    explanation: dict[str, Any]


def why_not(candidate: Candidate, queue: str, priority: str, settings: RoutingSettings) -> str | None:
    if candidate.availability != "online":
        return candidate.availability
    if not _skilled(candidate, queue):
        return f"no '{queue}' skill"
    if queue in candidate.barred_queues:
        return f"not a member of '{queue}'"
    if candidate.load(settings) + settings.weight(priority) > candidate.capacity:
        return "at capacity"
    return None


def choose_agent(candidates: list[Candidate], queue: str, priority: str, settings: RoutingSettings) -> Choice | None:
    eligible = [c for c in candidates if why_not(c, queue, priority, settings) is None]
    if not eligible:
        return None
    best = min(eligible, key=lambda c: (c.load(settings), c.last_assigned_at or NEVER, c.user_id))
    return Choice(best.user_id, _explain(candidates, best, queue, priority, settings))


def _explain(
    candidates: list[Candidate], best: Candidate, queue: str, priority: str, settings: RoutingSettings
) -> dict[str, Any]:
    return {
        "automatic": True,
        "rule": "least weighted load among online agents with the skill and room; ties to the longest idle",
        "queue": queue,
        "priority": priority,
        "chosen": best.user_id,
        "candidates": [
            {
                "id": c.user_id,
                "name": c.name,
                "load": c.load(settings),
                "capacity": c.capacity,
                "excluded": why_not(c, queue, priority, settings),
            }
            for c in sorted(candidates, key=lambda c: c.name)
        ],
    }


def contribution(status: str, assignee_id: str | None, priority: str) -> tuple[str, str] | None:
    """What a ticket adds to an agent's load: (agent, priority) while it is unsolved and assigned."""
    if assignee_id is None or not is_open(status):
        return None
    return assignee_id, priority


def load_deltas(before: tuple[str, str] | None, after: tuple[str, str] | None) -> dict[str, dict[str, int]]:
    """Per agent, per priority: how a change moves the open-ticket counts."""
    deltas: dict[str, dict[str, int]] = {}
    if before == after:
        return deltas
    if before is not None:
        deltas.setdefault(before[0], {}).setdefault(before[1], 0)
        deltas[before[0]][before[1]] -= 1
    if after is not None:
        deltas.setdefault(after[0], {}).setdefault(after[1], 0)
        deltas[after[0]][after[1]] += 1
    return deltas


def waiting_order(tickets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Waiting tickets are served most urgent first, then oldest first."""
    rank = {p: i for i, p in enumerate(PRIORITIES)}
    return sorted(tickets, key=lambda t: (rank[t["priority"]], t["created_at"], t["id"]))


def plan_queue(
    waiting: list[dict[str, Any]], team: list[Candidate], settings: RoutingSettings, now: datetime
) -> list[tuple[str, Choice]]:
    """Who gets which waiting ticket, most urgent then oldest first, while anyone has room.

    A ticket that no one with its skill has room for keeps its place: those agents are reserved
    for it for the rest of the pass, so smaller, later tickets cannot take the room it waits for
    (it would starve), while tickets that other agents can serve still flow."""
    agents = {c.user_id: c for c in team}
    reserved: set[str] = set()
    plan: list[tuple[str, Choice]] = []
    for ticket in waiting_order(waiting):
        free = [c for c in agents.values() if c.user_id not in reserved]
        if not any(c.availability == "online" for c in free):
            break
        choice = choose_agent(free, ticket["queue"], ticket["priority"], settings)
        if choice is None:
            reserved |= {c.user_id for c in free if c.availability == "online" and _covers(c, ticket["queue"])}
            continue
        plan.append((ticket["id"], choice))
        agents[choice.user_id] = _with_one_more(agents[choice.user_id], ticket["priority"], now)
    return plan


def _skilled(candidate: Candidate, queue: str) -> bool:
    return not candidate.skills or queue in candidate.skills


def _covers(candidate: Candidate, queue: str) -> bool:
    return _skilled(candidate, queue) and queue not in candidate.barred_queues


def _with_one_more(candidate: Candidate, priority: str, now: datetime) -> Candidate:
    counts = dict(candidate.open_by_priority)
    counts[priority] = counts.get(priority, 0) + 1
    return replace(candidate, open_by_priority=counts, last_assigned_at=now)
