"""A ticket's SLA clock: which policy holds it, when each target falls due, and when the clock stood
still. Pure code, fed by ``ticket_change.decide``.

The clock is planned afresh from the ticket's facts at every write (and on a re-plan after a policy
or business-hours change), so one rule computes every deadline:

* first response and resolution count from creation; "next reply" counts from the requester's
  latest public message that is still unanswered (only after the first response: until then the
  first-response target covers it);
* the clock stands still while the ticket is pending or on hold (``paused_at``), and while it was
  solved before a reopen; each closed stretch is kept (``pauses``) and pushes every later deadline
  by the business time it covered;
* a target already met keeps the deadline it was met against (a later policy change does not
  rewrite whether it was met);
* ``due_at`` (the ticket's ``sla_due_at``, which the breach checks watch) is the nearest unmet
  deadline, and None while paused or done, so no breach is announced while the clock stands still.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from chalicelib.domain.business_hours import (
    BusinessCalendar,
    add_business_seconds,
    resume_deadline,
    subtract_business_seconds,
)
from chalicelib.domain.sla import AT_RISK_SHARE, SlaState
from chalicelib.domain.sla_policies import SlaContext, Targets

PAUSED_STATUSES = ("pending", "on_hold")
DONE_STATUSES = ("solved", "closed")
MAX_PAUSES = 100  # beyond this, the two oldest stretches merge (the gap between them counts as paused)

Reply = Literal["agent", "requester"]


@dataclass(frozen=True)
class ClockFacts:
    """The ticket's fields the clock reads."""

    status: str
    priority: str
    queue: str
    tags: tuple[str, ...]
    created_at: datetime
    first_response_at: datetime | None = None
    solved_at: datetime | None = None


@dataclass(frozen=True)
class SlaClock:
    policy_id: str | None = None
    policy_name: str | None = None
    first_response_due_at: datetime | None = None
    next_reply_due_at: datetime | None = None
    resolution_due_at: datetime | None = None
    paused_at: datetime | None = None
    pauses: tuple[tuple[datetime, datetime], ...] = ()
    reply_requested_at: datetime | None = None  # the requester's unanswered message (next-reply start)
    at_risk_at: datetime | None = None  # when the nearest deadline enters its last quarter
    due_at: datetime | None = None  # the nearest unmet deadline while the clock runs (``sla_due_at``)


UNPLANNED = SlaClock()  # a ticket from before SLA policies existed, until its next write


def plan(
    previous: SlaClock,
    before: ClockFacts | None,
    after: ClockFacts,
    now: datetime,
    context: SlaContext,
    reply: Reply | None = None,
) -> SlaClock:
    """The clock after a write that turned ``before`` (None: the ticket is new) into ``after``;
    ``reply`` says who wrote publicly, if anyone. With ``before == after`` and no reply, it re-plans
    the same ticket under a changed policy or calendar."""
    pauses, paused_at = _pauses(previous, before, after, now)
    awaiting = _awaiting_reply(previous.reply_requested_at, after, reply, now)
    policy = context.policy_for(after.priority, after.queue, after.tags)
    calendar = context.calendar_for(policy)
    targets = policy.targets[after.priority]

    def deadline(start: datetime | None, seconds: int | None) -> datetime | None:
        if start is None or seconds is None:
            return None
        return _deadline(calendar, start, seconds, pauses)

    responded_before = before is not None and before.first_response_at is not None
    done_before = before is not None and before.status in DONE_STATUSES
    first = (
        previous.first_response_due_at
        if responded_before and previous.first_response_due_at is not None
        else deadline(after.created_at, targets.first_response)
    )
    resolution = (
        previous.resolution_due_at
        if done_before and after.status in DONE_STATUSES and previous.resolution_due_at is not None
        else deadline(after.created_at, targets.resolution)
    )
    next_reply = deadline(awaiting, targets.next_reply)
    nearest = _nearest(after, targets, first, next_reply, resolution)
    return SlaClock(
        policy_id=policy.policy_id,
        policy_name=policy.name,
        first_response_due_at=first,
        next_reply_due_at=next_reply,
        resolution_due_at=resolution,
        paused_at=paused_at,
        pauses=pauses,
        reply_requested_at=awaiting,
        at_risk_at=_at_risk(calendar, nearest),
        due_at=nearest[0] if nearest is not None and paused_at is None else None,
    )


def state(clock: SlaClock, status: str, first_response_at: datetime | None, now: datetime) -> SlaState:
    """ok / at_risk / breached for the nearest unmet deadline; while paused, as it stood at the pause."""
    if status in DONE_STATUSES:
        return "none"
    nearest = _nearest_deadline(clock, first_response_at)
    if nearest is None:
        return "none"
    moment = clock.paused_at or now
    if moment >= nearest:
        return "breached"
    if clock.at_risk_at is not None and moment >= clock.at_risk_at:
        return "at_risk"
    return "ok"


def _nearest_deadline(clock: SlaClock, first_response_at: datetime | None) -> datetime | None:
    candidates = [
        d
        for d in (
            clock.first_response_due_at if first_response_at is None else None,
            clock.next_reply_due_at,
            clock.resolution_due_at,
        )
        if d is not None
    ]
    return min(candidates, default=None)


def _pauses(
    previous: SlaClock, before: ClockFacts | None, after: ClockFacts, now: datetime
) -> tuple[tuple[tuple[datetime, datetime], ...], datetime | None]:
    pauses, paused_at = previous.pauses, previous.paused_at
    if before is not None and before.status in DONE_STATUSES and after.status not in DONE_STATUSES:
        pauses = _closed(pauses, before.solved_at or now, now)  # the solved stretch does not count
    if after.status in PAUSED_STATUSES:
        paused_at = paused_at or now
    elif paused_at is not None:
        pauses, paused_at = _closed(pauses, paused_at, now), None
    return pauses, paused_at


def _closed(
    pauses: tuple[tuple[datetime, datetime], ...], start: datetime, end: datetime
) -> tuple[tuple[datetime, datetime], ...]:
    if end <= start:
        return pauses
    merged = tuple(sorted((*pauses, (start, end))))
    while len(merged) > MAX_PAUSES:
        (first_start, _), (_, second_end) = merged[0], merged[1]
        merged = ((first_start, second_end), *merged[2:])
    return merged


def _awaiting_reply(since: datetime | None, after: ClockFacts, reply: Reply | None, now: datetime) -> datetime | None:
    if after.status in DONE_STATUSES or reply == "agent":
        return None
    if reply == "requester" and after.first_response_at is not None and since is None:
        return now
    return since


def _deadline(
    calendar: BusinessCalendar, start: datetime, seconds: int, pauses: tuple[tuple[datetime, datetime], ...]
) -> datetime:
    due = add_business_seconds(calendar, start, seconds)
    for paused, resumed in pauses:  # in time order, each pushing what is left of the target
        if resumed <= start:
            continue
        paused = max(paused, start)
        if paused >= due:
            break  # the deadline had passed before this pause: it stays missed
        due = resume_deadline(calendar, due, paused, resumed)
    return due


def _nearest(
    after: ClockFacts,
    targets: Targets,
    first: datetime | None,
    next_reply: datetime | None,
    resolution: datetime | None,
) -> tuple[datetime, int] | None:
    """The nearest unmet deadline with the seconds its target allows (for "at risk")."""
    if after.status in DONE_STATUSES:
        return None
    candidates = [
        (due, seconds)
        for due, seconds in (
            (first if after.first_response_at is None else None, targets.first_response),
            (next_reply, targets.next_reply),
            (resolution, targets.resolution),
        )
        if due is not None and seconds is not None
    ]
    if not candidates:
        return None
    return min(candidates)


def _at_risk(calendar: BusinessCalendar, nearest: tuple[datetime, int] | None) -> datetime | None:
    if nearest is None:
        return None
    due, seconds = nearest
    return subtract_business_seconds(calendar, due, math.ceil(seconds * AT_RISK_SHARE))
