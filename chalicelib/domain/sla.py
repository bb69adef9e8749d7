"""SLA targets per priority and the clock that says when a ticket is next due. Pure code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from chalicelib.domain.clock import from_text


@dataclass(frozen=True)
class SlaTarget:
    first_response: timedelta
    resolution: timedelta


DEFAULT_TARGETS: dict[str, SlaTarget] = {
    "urgent": SlaTarget(timedelta(hours=1), timedelta(hours=4)),
    "high": SlaTarget(timedelta(hours=4), timedelta(hours=24)),
    "normal": SlaTarget(timedelta(hours=8), timedelta(days=3)),
    "low": SlaTarget(timedelta(hours=24), timedelta(days=5)),
}
AT_RISK_SHARE = 0.25  # "at risk" in the last quarter of the allowed time

SlaState = Literal["none", "ok", "at_risk", "breached"]


def sla_due_at(
    *, priority: str, created_at: datetime, first_response_at: datetime | None, done: bool
) -> datetime | None:
    """The next deadline: first response until there is one, then resolution; none once solved."""
    if done:
        return None
    target = DEFAULT_TARGETS[priority]
    if first_response_at is None:
        return created_at + target.first_response
    return created_at + target.resolution


def sla_state(priority: str, due_at: datetime | None, responded: bool, now: datetime) -> SlaState:
    if due_at is None:
        return "none"
    if now >= due_at:
        return "breached"
    target = DEFAULT_TARGETS[priority]
    allowed = target.resolution if responded else target.first_response
    return "at_risk" if due_at - now <= allowed * AT_RISK_SHARE else "ok"


# Breach checks are queued ahead of each deadline: by the scheduled sweep for deadlines up to this
# far ahead (at least its period; at most SQS's 15-minute delay), and by the stream for a write that
# moves a deadline inside what the sweep already covered (or into the past: announced at once).
CHECK_AHEAD = timedelta(minutes=15)


def missed_deadline(ticket: Mapping[str, Any], deadline: str, now: datetime) -> bool:
    """The ticket still has the deadline a check was queued for (a solved ticket has none), and it
    has passed."""
    due = ticket.get("sla_due_at")
    return due == deadline and now >= from_text(due)


def needs_early_check(ticket: Mapping[str, Any], now: datetime) -> bool:
    due = ticket.get("sla_due_at")
    return bool(due) and from_text(str(due)) <= now + CHECK_AHEAD
