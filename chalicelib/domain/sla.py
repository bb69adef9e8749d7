"""The default SLA targets per priority, and the breach checks kept on the ticket's next deadline
(``sla_due_at``, planned by ``domain/sla_clock.py``). Pure code."""

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
