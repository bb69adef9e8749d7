"""The ticket lifecycle: one state machine, and the rules replies apply to it. Pure code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from chalicelib.domain.errors import InvalidTransition

STATUSES = ("new", "open", "pending", "on_hold", "solved", "closed")
OPEN_STATUSES = ("new", "open", "pending", "on_hold")  # unsolved: counts towards its assignee's load
DONE_STATUSES = ("solved", "closed")
PRIORITIES = ("urgent", "high", "normal", "low")  # most urgent first
CHANNELS = ("web", "api", "email")
SPAM_TAG = "spam"  # held in the Spam view: never assigned automatically, nobody notified
AUTO_REPLY_TAG = "auto-reply"  # a machine wrote it (auto-reply, bounce, list mail): never answered automatically

TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"open", "pending", "on_hold", "solved"}),
    "open": frozenset({"pending", "on_hold", "solved"}),
    "pending": frozenset({"open", "on_hold", "solved"}),
    "on_hold": frozenset({"open", "pending", "solved"}),
    "solved": frozenset({"open", "closed"}),
    "closed": frozenset(),  # final: a follow-up is a new ticket
}


def can_transition(current: str, requested: str) -> bool:
    return requested in TRANSITIONS[current]


def is_open(status: str | None) -> bool:
    return status in OPEN_STATUSES


def waiting_for_owner(status: str | None, assignee_id: str | None) -> bool:
    """The one rule for "this ticket waits for someone to take it": unsolved and unassigned."""
    return not assignee_id and is_open(status)


@dataclass(frozen=True)
class TicketState:
    """The fields the lifecycle rules read and write."""

    status: str
    priority: str
    created_at: datetime
    first_response_at: datetime | None = None
    solved_at: datetime | None = None


@dataclass
class Change:
    """What one request did to a ticket: the new state and a field-by-field record of it."""

    state: TicketState
    fields: list[dict[str, Any]] = field(default_factory=list)

    def record(self, name: str, before: Any, after: Any) -> None:
        if before != after:
            self.fields.append({"field": name, "from": before, "to": after})


def change_status(state: TicketState, requested: str, now: datetime) -> TicketState:
    if requested == state.status:
        return state
    if not can_transition(state.status, requested):
        raise InvalidTransition(state.status, requested)
    solved_at = now if requested == "solved" else (None if requested == "open" else state.solved_at)
    return replace(state, status=requested, solved_at=solved_at)


def change_priority(state: TicketState, priority: str) -> TicketState:
    return replace(state, priority=priority)


def after_reply(state: TicketState, *, public: bool, by_agent: bool, now: datetime) -> TicketState:
    """A public agent reply is the first response (stamped once) and opens a new ticket; the
    requester's reply reopens a solved ticket and ends a wait for them (pending). Internal notes
    change nothing."""
    if not public:
        return state
    if state.status == "closed":
        raise InvalidTransition("closed", "open")
    updated = state
    if by_agent and state.first_response_at is None:
        updated = replace(updated, first_response_at=now)
    if updated.status in (("new", "solved") if by_agent else ("pending", "solved")):
        updated = replace(updated, status="open", solved_at=None)
    return updated


def initial_state(priority: str, now: datetime) -> TicketState:
    """A new ticket; its SLA deadlines are the clock's (``domain/sla_clock.py``)."""
    return TicketState(status="new", priority=priority, created_at=now)


MAX_TAGS = 20  # a ticket's tags, as the API's Tags type allows


def adjusted_tags(current: Sequence[str], add: Sequence[str], remove: Sequence[str]) -> tuple[str, ...]:
    """The ticket's tags with ``add`` appended (each once, in order) and ``remove`` taken out; the
    tags the ticket already had keep their order."""
    kept = [tag for tag in current if tag not in remove]
    return tuple(kept + [tag for tag in dict.fromkeys(add) if tag not in kept and tag not in remove])
