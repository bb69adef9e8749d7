"""Days and months of the metrics, in the workspace's time zone. Pure code.

A rollup's day is the day a change happened where the team works, so "today", a period's ends and
the nightly rebuild's "yesterday" are all that zone's. A month is closed once the workspace's today
is in a later month: its days no longer change except by a late stream record, and the month job
adds them up into one item per dimension value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo


def today_in(zone: tzinfo, now: datetime) -> date:
    return now.astimezone(zone).date()


def month_of(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def whole_months(first: date, last: date, closed_before: date) -> list[date]:
    """The months (their first days) lying wholly within ``first``..``last`` and ending before
    ``closed_before``."""
    months = []
    month = month_of(first) if first.day == 1 else month_end(first) + timedelta(days=1)
    while month_end(month) <= last and month_end(month) < closed_before:
        months.append(month)
        month = month_end(month) + timedelta(days=1)
    return months


def day_ranges_outside(first: date, last: date, months: list[date]) -> list[tuple[date, date]]:
    """``first``..``last`` without the given months (in order): the runs of days left to read."""
    ranges = []
    start = first
    for month in months:
        if start < month:
            ranges.append((start, month - timedelta(days=1)))
        start = max(start, month_end(month) + timedelta(days=1))
    if start <= last:
        ranges.append((start, last))
    return ranges


# --- weeks: what a period of a few weeks reads instead of its days -----------------------------------
# A week runs Monday to Sunday (ISO). It is closed once the workspace's today is in a later week; the
# week job adds its days up into one item per dimension value, as the month job does for months.


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_end(week: date) -> date:
    return week + timedelta(days=6)


def whole_weeks(first: date, last: date, closed_before: date) -> list[date]:
    """The weeks (their Mondays) lying wholly within ``first``..``last`` and ending before
    ``closed_before``."""
    weeks = []
    week = week_of(first) if first.weekday() == 0 else week_of(first) + timedelta(days=7)
    while week_end(week) <= last and week_end(week) < closed_before:
        weeks.append(week)
        week += timedelta(days=7)
    return weeks


def days_outside(first: date, last: date, spans: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """``first``..``last`` without the given spans (``(start, end)`` inclusive, in order, not
    overlapping): the runs of days left to read."""
    ranges = []
    start = first
    for span_first, span_last in spans:
        if start < span_first:
            ranges.append((start, span_first - timedelta(days=1)))
        start = max(start, span_last + timedelta(days=1))
    if start <= last:
        ranges.append((start, last))
    return ranges


@dataclass(frozen=True)
class SpanPlan:
    """How a period is read: whole closed months as one item per value, whole closed weeks of what is
    left as one item per value, and the remaining runs of days."""

    months: tuple[date, ...]
    weeks: tuple[date, ...]
    days: tuple[tuple[date, date], ...]


def span_plan(first: date, last: date, open_month: date, open_week: date | None) -> SpanPlan:
    """A year reads 12 months and its open days; 30 days about four weeks and a few days at each end
    (a period rarely holds a whole month)."""
    months = whole_months(first, last, open_month)
    rest = day_ranges_outside(first, last, months)
    weeks: list[date] = []
    if open_week is not None:
        for start, end in rest:
            weeks += whole_weeks(start, end, open_week)
    spans = sorted([(m, month_end(m)) for m in months] + [(w, week_end(w)) for w in weeks])
    return SpanPlan(tuple(months), tuple(weeks), tuple(days_outside(first, last, spans)))


def joined_runs(runs: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Runs of days (``(first, last)`` inclusive, not overlapping) with those that meet made one: the
    last days of a comparison and the first of the period after it are one Query."""
    joined: list[tuple[date, date]] = []
    for first, last in sorted(runs):
        if joined and joined[-1][1] + timedelta(days=1) == first:
            joined[-1] = (joined[-1][0], last)
        else:
            joined.append((first, last))
    return joined
