"""Days and months of the metrics: which whole closed months a period can read as one item each."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.metrics_calendar import (
    day_ranges_outside,
    joined_runs,
    month_end,
    month_of,
    span_plan,
    today_in,
    week_end,
    week_of,
    whole_months,
    whole_weeks,
)

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))


def test_a_year_reads_its_closed_months_whole_and_the_rest_as_days() -> None:
    months = whole_months(date(2025, 12, 15), date(2026, 11, 30), closed_before=date(2026, 11, 1))
    assert months == [date(2026, m, 1) for m in range(1, 11)]
    assert day_ranges_outside(date(2025, 12, 15), date(2026, 11, 30), months) == [
        (date(2025, 12, 15), date(2025, 12, 31)),
        (date(2026, 11, 1), date(2026, 11, 30)),  # the open month: days
    ]


def test_thirty_days_rarely_hold_a_whole_month() -> None:
    assert whole_months(date(2026, 10, 2), date(2026, 10, 31), date(2026, 11, 1)) == []
    assert whole_months(date(2026, 10, 1), date(2026, 10, 31), date(2026, 11, 1)) == [date(2026, 10, 1)]
    assert whole_months(date(2026, 10, 1), date(2026, 10, 31), date(2026, 10, 1)) == []  # not closed yet


@given(days, days, days)
def test_months_and_the_days_left_cover_the_period_exactly_once(a: date, b: date, closed: date) -> None:
    first, last = min(a, b), max(a, b)
    months = whole_months(first, last, closed)
    covered = [d for m in months for d in _each(m, month_end(m))]
    covered += [d for start, end in day_ranges_outside(first, last, months) for d in _each(start, end)]
    assert sorted(covered) == _each(first, last)
    assert all(month_end(m) < closed for m in months)


def test_today_is_the_workspace_s() -> None:
    late_evening_in_la = datetime(2026, 11, 30, 6, 30, tzinfo=UTC)
    assert today_in(ZoneInfo("America/Los_Angeles"), late_evening_in_la) == date(2026, 11, 29)
    assert today_in(ZoneInfo("Europe/Berlin"), late_evening_in_la) == date(2026, 11, 30)


def _each(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_thirty_days_read_their_closed_weeks_whole_and_the_days_at_either_end() -> None:
    # GIVEN today is Monday 30 November 2026 (the open week starts today)
    plan = span_plan(date(2026, 11, 1), date(2026, 11, 30), open_month=date(2026, 11, 1), open_week=date(2026, 11, 30))
    # THEN the four whole weeks before it are one item each, the Sunday before them and today days
    assert plan.months == ()
    assert plan.weeks == (date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23))
    assert plan.days == ((date(2026, 11, 1), date(2026, 11, 1)), (date(2026, 11, 30), date(2026, 11, 30)))
    assert whole_weeks(date(2026, 11, 2), date(2026, 11, 8), closed_before=date(2026, 11, 8)) == []  # not closed


def test_a_year_reads_months_then_weeks_of_what_is_left() -> None:
    plan = span_plan(date(2025, 12, 1), date(2026, 11, 30), date(2026, 11, 1), date(2026, 11, 30))
    assert plan.months == tuple(date(y, m, 1) for y, m in [(2025, 12), *((2026, m) for m in range(1, 11))])
    assert plan.weeks == (date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23))


@given(days, days, days, days)
def test_months_weeks_and_the_days_left_cover_the_period_exactly_once(a: date, b: date, m: date, w: date) -> None:
    first, last = min(a, b), max(a, b)
    plan = span_plan(first, last, month_of(m), week_of(w))
    covered = [d for month in plan.months for d in _each(month, month_end(month))]
    covered += [d for week in plan.weeks for d in _each(week, week_end(week))]
    covered += [d for start, end in plan.days for d in _each(start, end)]
    assert sorted(covered) == _each(first, last)
    assert all(week_end(week) < week_of(w) and week.weekday() == 0 for week in plan.weeks)
    assert all(month_end(month) < month_of(m) for month in plan.months)


def test_runs_of_days_that_meet_are_read_as_one() -> None:
    # GIVEN a comparison's runs of days (2-6 and 14-15 September) and its period's (16-20), unordered
    sep = date(2026, 9, 1)
    runs = [(sep.replace(day=14), sep.replace(day=15)), (sep.replace(day=2), sep.replace(day=6))]
    runs.append((sep.replace(day=16), sep.replace(day=20)))
    # THEN the runs that meet are one, in order
    assert joined_runs(runs) == [(sep.replace(day=2), sep.replace(day=6)), (sep.replace(day=14), sep.replace(day=20))]
    assert joined_runs([]) == []
