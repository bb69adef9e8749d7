"""A workspace's SLA settings: its business hours and its ordered policies, as stored and as the API
shows them, and the rules a change must keep (every problem names its field). Pure code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from chalicelib.domain.business_hours import WEEKDAYS, BusinessCalendar, Span
from chalicelib.domain.errors import ValidationFailed, invalid
from chalicelib.domain.sla_policies import MAX_POLICIES, TARGET_NAMES, SlaContext, SlaPolicy

MAX_HOLIDAY_DAYS = 366  # one custom closing may span at most a year


@dataclass(frozen=True)
class Holiday:
    """A custom closing: one day, or ``start`` through ``end`` (inclusive)."""

    start: date
    end: date
    name: str = ""

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "name": self.name}


@dataclass(frozen=True)
class BusinessHours:
    time_zone: str
    weekly_hours: tuple[tuple[Span, ...], ...]
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    holidays: tuple[Holiday, ...] = field(default_factory=tuple)

    def calendar(self) -> BusinessCalendar:
        """Raises ValidationFailed naming each bad field."""
        return BusinessCalendar(
            time_zone=self.time_zone,
            weekly_hours=self.weekly_hours,
            holidays=frozenset(day for holiday in self.holidays for day in holiday.days()),
            holiday_country=self.holiday_country,
            holiday_subdivision=self.holiday_subdivision,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "time_zone": self.time_zone,
            "weekly_hours": {
                day: [
                    {"start": _clock_text(start, end=False), "end": _clock_text(end, end=True)} for start, end in spans
                ]
                for day, spans in zip(WEEKDAYS, self.weekly_hours, strict=True)
            },
            "holiday_country": self.holiday_country,
            "holiday_subdivision": self.holiday_subdivision,
            "holidays": [holiday.to_dict() for holiday in self.holidays],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BusinessHours:
        week = data.get("weekly_hours") or {}
        return cls(
            time_zone=str(data["time_zone"]),
            weekly_hours=tuple(
                tuple((_clock(span["start"]), _clock(span["end"])) for span in week.get(day) or ()) for day in WEEKDAYS
            ),
            holiday_country=data.get("holiday_country"),
            holiday_subdivision=data.get("holiday_subdivision"),
            holidays=tuple(
                Holiday(
                    date.fromisoformat(h["start"]),
                    date.fromisoformat(h.get("end") or h["start"]),
                    str(h.get("name") or ""),
                )
                for h in data.get("holidays") or ()
            ),
        )


def _clock(text: str) -> time:
    """``HH:MM``; ``24:00`` is midnight at the end of the day (stored as 00:00, the clock's convention)."""
    return time(0) if text == "24:00" else time.fromisoformat(text)


def _clock_text(moment: time, *, end: bool) -> str:
    return "24:00" if end and moment == time(0) else moment.strftime("%H:%M")


NINE_TO_FIVE: tuple[Span, ...] = ((time(9), time(17)),)
DEFAULT_BUSINESS_HOURS = BusinessHours(time_zone="UTC", weekly_hours=(NINE_TO_FIVE,) * 5 + ((), ()))
"""A workspace that set none: Monday to Friday, 09:00–17:00 UTC (used by business-time policies only)."""


def checked_business_hours(hours: BusinessHours) -> BusinessCalendar:
    """The calendar, once every rule holds; otherwise ValidationFailed naming every bad field."""
    errors = _holiday_errors(hours.holidays)
    try:
        calendar = hours.calendar()
    except ValidationFailed as failed:
        errors = failed.errors + errors
    if errors:
        raise ValidationFailed(errors)
    return calendar


def _holiday_errors(holidays: Sequence[Holiday]) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    taken: dict[date, int] = {}
    for index, holiday in enumerate(holidays):
        where = f"holidays.{index}"
        if holiday.end < holiday.start:
            errors.append({"field": f"{where}.end", "message": "must not be before start"})
            continue
        if (holiday.end - holiday.start).days >= MAX_HOLIDAY_DAYS:
            errors.append({"field": f"{where}.end", "message": f"a closing spans at most {MAX_HOLIDAY_DAYS} days"})
            continue
        clash = next((taken[day] for day in holiday.days() if day in taken), None)
        if clash is not None:
            errors.append({"field": where, "message": f"overlaps holidays.{clash}"})
            continue
        taken.update(dict.fromkeys(holiday.days(), index))
    return errors


# --- policies ----------------------------------------------------------------------------------


def check_policy(policy: SlaPolicy) -> SlaPolicy:
    """A policy must set some target for some priority; every target it sets is positive."""
    if not policy.targets:
        raise invalid("targets", "set the targets of at least one priority")
    for priority, targets in policy.targets.items():
        values = [targets.seconds(name) for name in TARGET_NAMES]
        if all(value is None for value in values):
            raise invalid(f"targets.{priority}", "set at least one target (minutes)")
        for name, value in zip(TARGET_NAMES, values, strict=True):
            if value is not None and value <= 0:
                raise invalid(f"targets.{priority}.{name}_minutes", "must be a positive number of minutes")
    return policy


def check_policy_count(count: int) -> None:
    if count > MAX_POLICIES:
        raise invalid("name", f"a workspace has at most {MAX_POLICIES} SLA policies")


def reordered(policies: Sequence[SlaPolicy], ids: Sequence[str]) -> tuple[SlaPolicy, ...]:
    """The policies in the order ``ids`` names them; ``ids`` must name each exactly once."""
    by_id = {p.policy_id: p for p in policies}
    if len(set(ids)) != len(ids):
        raise invalid("ids", "names a policy twice")
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise invalid("ids", f"no such policy: {unknown[0]}")
    if len(ids) != len(by_id):
        raise invalid("ids", "must list every policy of the workspace")
    return tuple(by_id[i] for i in ids)


@dataclass(frozen=True)
class SlaSettings:
    """What one stored item holds: the business hours and the policies in their order."""

    business_hours: BusinessHours = DEFAULT_BUSINESS_HOURS
    policies: tuple[SlaPolicy, ...] = ()
    version: int | None = None  # as read; None until first stored

    def context(self) -> SlaContext:
        return SlaContext(calendar=self.business_hours.calendar(), policies=self.policies)

    def policy(self, policy_id: str) -> SlaPolicy | None:
        return next((p for p in self.policies if p.policy_id == policy_id), None)
