"""What a rule asks of a ticket: typed conditions (field, operator, value), checked when the rule is
saved (an unknown field or operator, or a value of the wrong shape, is refused naming it), and
evaluated here, one result per condition so "test this rule" can show which matched. Pure code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from chalicelib.domain.business_hours import BusinessCalendar, business_seconds_between
from chalicelib.domain.sla_clock import state as sla_state
from chalicelib.domain.ticket_change import Ticket
from chalicelib.domain.tickets import CHANNELS, PRIORITIES, STATUSES

ConditionField = Literal[
    "status",
    "priority",
    "queue",
    "tags",
    "channel",
    "requester_email",
    "requester_domain",
    "assignee",
    "subject",
    "description",
    "business_hours",
    "sla",
    "hours_since_created",
    "hours_since_updated",
    "hours_since_pending",
    "hours_since_solved",
    "hours_since_requester_reply",
]
Operator = Literal[
    "is", "is_not", "in", "not_in", "includes", "excludes", "contains", "not_contains", "ends_with", "set", "not_set",
    "at_least", "less_than",
]  # fmt: skip

_CHOICE_OPS = ("is", "is_not", "in", "not_in")
OPERATORS: dict[str, tuple[str, ...]] = {
    "status": _CHOICE_OPS,
    "priority": _CHOICE_OPS,
    "queue": _CHOICE_OPS,
    "channel": _CHOICE_OPS,
    "requester_domain": _CHOICE_OPS,
    "tags": ("includes", "excludes"),
    "requester_email": ("is", "is_not", "contains", "ends_with"),
    "assignee": ("is", "is_not", "set", "not_set"),
    "subject": ("contains", "not_contains"),
    "description": ("contains", "not_contains"),
    "business_hours": ("is",),
    "sla": ("is", "is_not"),
}
TIME_FIELDS = tuple(f for f in ConditionField.__args__ if f.startswith("hours_since_"))  # type: ignore[attr-defined]
for _time_field in TIME_FIELDS:
    OPERATORS[_time_field] = ("at_least", "less_than")

CHOICES: dict[str, tuple[str, ...]] = {
    "status": STATUSES,
    "priority": PRIORITIES,
    "channel": CHANNELS,
    "sla": ("ok", "at_risk", "breached", "none"),
}
MAX_TEXT = 200
MAX_HOURS = 24 * 365


class Condition(BaseModel):
    """One test of one ticket field, e.g. ``{"field": "priority", "op": "is", "value": "urgent"}``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    field: ConditionField
    op: Operator
    value: str | int | bool | list[str] | None = None

    @field_validator("op")
    @classmethod
    def _op_fits_field(cls, op: str, info: ValidationInfo) -> str:
        name = info.data.get("field")
        if name is not None and op not in OPERATORS[name]:
            raise ValueError(f"'{op}' is not an operator of '{name}' (use one of: {', '.join(OPERATORS[name])})")
        return op

    @field_validator("value")
    @classmethod
    def _value_fits(cls, value: Any, info: ValidationInfo) -> Any:
        name, op = info.data.get("field"), info.data.get("op")
        if name is None or op is None:
            return value  # the field or operator is refused already
        return _checked_value(name, op, value)


def _checked_value(name: str, op: str, value: Any) -> Any:
    if op in ("set", "not_set"):
        if value is not None:
            raise ValueError(f"'{op}' takes no value")
        return None
    if name in TIME_FIELDS:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_HOURS:
            raise ValueError(f"must be a whole number of hours from 0 to {MAX_HOURS}")
        return value
    if name == "business_hours":
        if not isinstance(value, bool):
            raise ValueError("must be true (inside business hours) or false (outside)")
        return value
    if op in ("in", "not_in", "includes", "excludes"):
        if not isinstance(value, list) or not value or len(value) > 50:
            raise ValueError("must be a list of 1 to 50 values")
        return [_checked_text(name, item) for item in value]
    if not isinstance(value, str):
        raise ValueError("must be a text value")
    return _checked_text(name, value)


def _checked_text(name: str, value: str) -> str:
    choices = CHOICES.get(name)
    if choices is not None and value not in choices:
        raise ValueError(f"'{value}' is not a {name} (use one of: {', '.join(choices)})")
    if not value.strip() or len(value) > MAX_TEXT or any(ord(c) < 32 for c in value):
        raise ValueError(f"must be 1 to {MAX_TEXT} characters on one line")
    if name in ("requester_email", "requester_domain"):
        return value.lower()
    return value


class Conditions(BaseModel):
    """All of ``all`` and, if ``any`` is not empty, at least one of ``any``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    all: list[Condition] = Field(default_factory=list, max_length=30)
    any: list[Condition] = Field(default_factory=list, max_length=30)


# --- evaluating ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionResult:
    group: Literal["all", "any"]
    index: int
    condition: Condition
    matched: bool
    actual: Any  # what the ticket had, as the test endpoint shows it


@dataclass(frozen=True)
class Evaluation:
    matched: bool
    results: tuple[ConditionResult, ...]


def evaluate(conditions: Conditions, ticket: Ticket, now: datetime, calendar: BusinessCalendar) -> Evaluation:
    """Every condition's result (none is skipped, so a test shows them all) and the verdict."""
    groups: tuple[tuple[Literal["all", "any"], list[Condition]], ...] = (
        ("all", conditions.all),
        ("any", conditions.any),
    )
    results = tuple(
        ConditionResult(group, index, condition, *check(condition, ticket, now, calendar))
        for group, listed in groups
        for index, condition in enumerate(listed)
    )
    all_hold = all(r.matched for r in results if r.group == "all")
    any_holds = not conditions.any or any(r.matched for r in results if r.group == "any")
    return Evaluation(all_hold and any_holds, results)


def check(condition: Condition, ticket: Ticket, now: datetime, calendar: BusinessCalendar) -> tuple[bool, Any]:
    actual = actual_value(condition.field, ticket, now, calendar)
    return compare(condition.op, actual, condition.value), actual


def actual_value(name: str, ticket: Ticket, now: datetime, calendar: BusinessCalendar) -> Any:
    """The ticket's value for a condition field; None where the ticket has none (never assigned,
    not pending, no unanswered requester message)."""
    if name in TIME_FIELDS:
        since = _anchor(name, ticket)
        return None if since is None else _hours(now - since)
    if name == "business_hours":
        return business_seconds_between(calendar, now, now + timedelta(seconds=1)) > 0
    if name == "sla":
        return sla_state(ticket.clock, ticket.status, ticket.first_response_at, now)
    if name == "requester_email":
        return ticket.requester.email.lower()
    if name == "requester_domain":
        return ticket.requester.email.lower().rpartition("@")[2]
    if name == "assignee":
        return ticket.assignee_id
    if name == "tags":
        return list(ticket.tags)
    return getattr(ticket, name)


def anchor_of(name: str, ticket: Ticket) -> datetime | None:
    """When the period a time condition counts from began (the marker that a time rule acted in
    this period is keyed by it)."""
    return _anchor(name, ticket)


def _anchor(name: str, ticket: Ticket) -> datetime | None:
    if name == "hours_since_created":
        return ticket.created_at
    if name == "hours_since_updated":
        return ticket.updated_at
    if name == "hours_since_pending":
        # the clock pauses when a ticket goes pending or on hold and keeps that instant
        return ticket.clock.paused_at if ticket.status == "pending" else None
    if name == "hours_since_solved":
        return ticket.solved_at if ticket.status in ("solved", "closed") else None
    return ticket.clock.reply_requested_at  # the requester's message still waiting for an answer


def _hours(elapsed: timedelta) -> float:
    return elapsed.total_seconds() / 3600


def compare(op: str, actual: Any, expected: Any) -> bool:
    if op == "set":
        return actual is not None
    if op == "not_set":
        return actual is None
    if op in ("at_least", "less_than"):
        if actual is None:
            return False
        return bool(actual >= expected) if op == "at_least" else bool(actual < expected)
    if op == "is":
        return bool(actual == expected)
    if op == "is_not":
        return bool(actual != expected)
    if op == "in":
        return actual in expected
    if op == "not_in":
        return actual not in expected
    if op in ("includes", "excludes"):
        found = bool(set(actual or ()) & set(expected))
        return found if op == "includes" else not found
    text, wanted = str(actual or "").casefold(), str(expected).casefold()
    if op == "contains":
        return wanted in text
    if op == "not_contains":
        return wanted not in text
    return text.endswith(wanted)  # ends_with


def time_fields_of(conditions: Conditions) -> Sequence[str]:
    return [c.field for c in (*conditions.all, *conditions.any) if c.field in TIME_FIELDS]
