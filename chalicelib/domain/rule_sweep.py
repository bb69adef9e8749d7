"""How a time rule's sweep reads tickets, and which period a match belongs to. Pure code.

The sweep reads one index partition per status the rule can match (``by_status``, sorted by the
last update), never a Scan. ``hours_since_updated ≥ N`` bounds the read by the sort key itself; the
other clocks start at or before the last update (created, solved, pending, a requester's message
are all updates), so "updated before the cutoff" does not bound them and the partition is read up
to ``SWEEP_LIMIT`` tickets, oldest update first. A workspace with more tickets in one status than
that needs an index keyed by the clock's own start (e.g. ``status`` + ``solved_at``) for that rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.rule_conditions import Conditions, anchor_of, time_fields_of
from chalicelib.domain.ticket_change import Ticket
from chalicelib.domain.tickets import STATUSES

SWEEP_LIMIT = 20_000  # tickets read per status partition per rule and sweep
# A closed ticket is final: a time rule never reads the partition that only grows.
SWEPT_STATUSES = tuple(s for s in STATUSES if s != "closed")


@dataclass(frozen=True)
class SweepPlan:
    statuses: tuple[str, ...]
    updated_before: datetime | None  # the sort-key bound, when the rule's clock is the last update
    limit: int = SWEEP_LIMIT


def sweep_plan(conditions: Conditions, now: datetime) -> SweepPlan:
    statuses = set(SWEPT_STATUSES)
    for condition in conditions.all:
        if condition.field != "status":
            continue
        values = {str(condition.value)} if condition.op in ("is", "is_not") else {str(v) for v in condition.value or []}  # type: ignore[union-attr]
        statuses = statuses & values if condition.op in ("is", "in") else statuses - values
    if "closed" in _explicit_statuses(conditions):
        statuses.add("closed")  # asked for by name: the rule says so
    bound = None
    for condition in conditions.all:
        if condition.field == "hours_since_updated" and condition.op == "at_least":
            bound = now - timedelta(hours=int(condition.value))  # type: ignore[arg-type]
    return SweepPlan(tuple(s for s in STATUSES if s in statuses), bound)


def _explicit_statuses(conditions: Conditions) -> set[str]:
    named: set[str] = set()
    for condition in conditions.all:
        if condition.field == "status" and condition.op == "is":
            named.add(str(condition.value))
        elif condition.field == "status" and condition.op == "in":
            named |= {str(v) for v in condition.value or []}  # type: ignore[union-attr]
    return named


def period_of(conditions: Conditions, ticket: Ticket) -> str:
    """The matching period a time rule acts in at most once: the start of the clock its hours
    count from (a ticket solved again is a new period). Without one, the ticket's lifetime."""
    fields = time_fields_of(conditions)
    if not fields:
        return "always"
    started = anchor_of(fields[0], ticket)
    return f"{fields[0]}@{started.isoformat() if started else 'never'}"
