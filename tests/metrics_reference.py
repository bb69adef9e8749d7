"""The team's figures computed the slow, obvious way from the ticket changes themselves: the
reference the rollups (and GET /metrics) are held to."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from chalicelib.domain.actors import Person
from chalicelib.domain.sla import DEFAULT_TARGETS
from chalicelib.domain.ticket_change import TicketChange


@dataclass
class Reference:
    created: int = 0
    solved: int = 0
    reopened: int = 0
    resolved_24h: int = 0
    replies: int = 0
    first_responses: list[float] = field(default_factory=list)
    resolutions: list[float] = field(default_factory=list)
    first_response_breached: set[str] = field(default_factory=set)
    resolution_breached: set[str] = field(default_factory=set)
    first_response_met: int = 0
    resolution_met: int = 0
    solved_by_agent: Counter[str] = field(default_factory=Counter)
    created_by_tag: Counter[str] = field(default_factory=Counter)


def reference(lives: list[list[TicketChange]], first: date, last: date) -> Reference:
    ref = Reference()
    for changes in lives:
        for change in changes:
            if not first <= change.at.date() <= last:
                continue
            ticket, before = change.after, change.before
            if before is None:
                ref.created += 1
                for tag in ticket.tags:
                    ref.created_by_tag[tag] += 1
                continue
            if ticket.status == "solved" and before.status != "solved":
                ref.solved += 1
                took = change.at - ticket.created_at
                ref.resolutions.append(took.total_seconds())
                ref.resolved_24h += took <= timedelta(hours=24)
                ref.solved_by_agent[ticket.assignee_id or "none"] += 1
                due = ticket.clock.resolution_due_at or ticket.created_at + DEFAULT_TARGETS[ticket.priority].resolution
                if change.at <= due:
                    ref.resolution_met += 1
                else:
                    ref.resolution_breached.add(ticket.ticket_id)
            if before.status in ("solved", "closed") and ticket.status not in ("solved", "closed"):
                ref.reopened += 1
            if before.first_response_at is None and ticket.first_response_at is not None:
                ref.first_responses.append((ticket.first_response_at - ticket.created_at).total_seconds())
                due = ticket.clock.first_response_due_at or (
                    ticket.created_at + DEFAULT_TARGETS[ticket.priority].first_response
                )
                if ticket.first_response_at <= due:
                    ref.first_response_met += 1
                else:
                    ref.first_response_breached.add(ticket.ticket_id)
            if change.kind == "commented" and change.comment and change.comment.public:
                ref.replies += isinstance(change.actor, Person)
    return ref


def solved_per_agent(ref: Reference) -> float | None:
    agents = [n for agent, n in ref.solved_by_agent.items() if agent != "none" and n]
    return sum(agents) / len(agents) if agents else None
