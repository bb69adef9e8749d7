"""Days and months of the metrics, in the workspace's time zone. Pure code.

A rollup's day is the day a change happened where the team works, so "today", a period's ends and
the nightly rebuild's "yesterday" are all that zone's. A month is closed once the workspace's today
is in a later month: its days no longer change except by a late stream record, and the month job
adds them up into one item per dimension value."""

from __future__ import annotations

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
