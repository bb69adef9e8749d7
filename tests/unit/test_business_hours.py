"""The business-time clock: worked examples across DST and holidays, then properties (hypothesis)
checked against an independent minute-by-minute reference."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from chalicelib.domain.business_hours import (
    CALENDAR_TIME,
    WEEKDAYS,
    BusinessCalendar,
    Span,
    add_business_seconds,
    business_seconds_between,
    holiday_dates,
    resume_deadline,
    subtract_business_seconds,
    weekly_hours_errors,
)
from chalicelib.domain.errors import ValidationFailed

HOUR = 3600
NINE_TO_FIVE: tuple[Span, ...] = ((time(9), time(17)),)
WEEKDAYS_9_TO_5 = (NINE_TO_FIVE,) * 5 + ((), ())


def office(zone: str, hours: tuple[tuple[Span, ...], ...] = WEEKDAYS_9_TO_5, **extra: object) -> BusinessCalendar:
    return BusinessCalendar(time_zone=zone, weekly_hours=hours, **extra)  # type: ignore[arg-type]


def every_day(*spans: Span) -> tuple[tuple[Span, ...], ...]:
    return (spans,) * 7


def local(zone: str, *parts: int, fold: int = 0) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(zone), fold=fold)  # type: ignore[misc]


# --- worked examples ------------------------------------------------------------------------------


def test_an_office_day_counts_eight_hours_and_a_weekend_none() -> None:
    berlin = office("Europe/Berlin")
    friday_morning = local("Europe/Berlin", 2026, 11, 27, 8)
    monday_morning = local("Europe/Berlin", 2026, 11, 30, 8)
    assert business_seconds_between(berlin, friday_morning, monday_morning) == 8 * HOUR
    saturday, sunday = local("Europe/Berlin", 2026, 11, 28, 10), local("Europe/Berlin", 2026, 11, 29, 23)
    assert business_seconds_between(berlin, saturday, sunday) == 0


def test_four_hours_from_friday_afternoon_fall_due_on_monday_morning() -> None:
    berlin = office("Europe/Berlin")
    due = add_business_seconds(berlin, local("Europe/Berlin", 2026, 11, 27, 15), 4 * HOUR)
    assert due == local("Europe/Berlin", 2026, 11, 30, 11)


def test_a_deadline_that_uses_up_the_day_lands_at_closing_not_at_the_next_opening() -> None:
    berlin = office("Europe/Berlin")
    due = add_business_seconds(berlin, local("Europe/Berlin", 2026, 11, 27, 9), 8 * HOUR)
    assert due == local("Europe/Berlin", 2026, 11, 27, 17)


def test_time_before_opening_starts_counting_at_opening() -> None:
    new_york = office("America/New_York")
    due = add_business_seconds(new_york, local("America/New_York", 2026, 11, 24, 6), HOUR)
    assert due == local("America/New_York", 2026, 11, 24, 10)


def test_the_night_clocks_go_forward_a_span_over_the_gap_is_an_hour_shorter() -> None:
    # GIVEN a night shift 00:00–06:00 every day in Berlin; clocks go 02:00 → 03:00 on 29 March 2026
    nights = office("Europe/Berlin", every_day((time(0), time(6))))
    start, end = local("Europe/Berlin", 2026, 3, 29, 0), local("Europe/Berlin", 2026, 3, 29, 6)
    # THEN the night holds five real hours, and six the night before
    assert business_seconds_between(nights, start, end) == 5 * HOUR
    assert business_seconds_between(nights, start - timedelta(days=1), end - timedelta(days=1)) == 6 * HOUR


def test_the_night_clocks_go_back_a_span_over_the_repeat_is_an_hour_longer() -> None:
    nights = office("America/New_York", every_day((time(0), time(6))))
    start = local("America/New_York", 2026, 11, 1, 0)
    end = local("America/New_York", 2026, 11, 1, 6)
    assert business_seconds_between(nights, start, end) == 7 * HOUR
    # the repeated 01:30 (second occurrence) is still inside opening hours
    # (aware datetimes in a repeated hour compare unequal across zones: compare in UTC)
    repeated = local("America/New_York", 2026, 11, 1, 1, 30, fold=1).astimezone(UTC)
    assert add_business_seconds(nights, start, int(2.5 * HOUR)) == repeated


def test_lord_howe_moves_by_half_an_hour() -> None:
    nights = office("Australia/Lord_Howe", every_day((time(0), time(6))))
    # forward 02:00 → 02:30 on 4 October 2026, back 02:00 → 01:30 on 5 April 2026
    assert business_seconds_between(
        nights, local("Australia/Lord_Howe", 2026, 10, 4, 0), local("Australia/Lord_Howe", 2026, 10, 4, 6)
    ) == int(5.5 * HOUR)
    assert business_seconds_between(
        nights, local("Australia/Lord_Howe", 2026, 4, 5, 0), local("Australia/Lord_Howe", 2026, 4, 5, 6)
    ) == int(6.5 * HOUR)


def test_a_span_opening_inside_the_gap_opens_when_the_gap_ends() -> None:
    gap_opening = office("Europe/Berlin", every_day((time(2, 30), time(4))))
    day_start = local("Europe/Berlin", 2026, 3, 29, 0)
    assert add_business_seconds(gap_opening, day_start, 1) == local("Europe/Berlin", 2026, 3, 29, 3, 0, 1)
    assert business_seconds_between(gap_opening, day_start, day_start + timedelta(days=1)) == HOUR


def test_country_and_custom_holidays_are_closed() -> None:
    # GIVEN German holidays (3 October 2025 is German Unity Day, a Friday) plus a custom day off
    berlin = office("Europe/Berlin", holiday_country="DE", holidays=frozenset({date(2025, 10, 6)}))
    friday = local("Europe/Berlin", 2025, 10, 3, 0)
    # THEN Friday, the weekend and the custom Monday count nothing; Tuesday counts
    assert business_seconds_between(berlin, friday, friday + timedelta(days=4)) == 0
    assert add_business_seconds(berlin, friday, HOUR) == local("Europe/Berlin", 2025, 10, 7, 10)


def test_a_subdivision_adds_its_own_holidays() -> None:
    bavaria = holiday_dates("DE", "BY", [2026])
    berlin_state = holiday_dates("DE", "BE", [2026])
    assert date(2026, 1, 6) in bavaria  # Epiphany: Bavaria only
    assert date(2026, 1, 6) not in berlin_state


def test_several_spans_a_day_skip_the_lunch_break() -> None:
    split = office("UTC", every_day((time(9), time(12)), (time(13), time(17))))
    morning = datetime(2026, 11, 24, 11, tzinfo=UTC)
    assert add_business_seconds(split, morning, 2 * HOUR) == datetime(2026, 11, 24, 14, tzinfo=UTC)
    assert business_seconds_between(split, morning, datetime(2026, 11, 24, 18, tzinfo=UTC)) == 5 * HOUR


def test_calendar_time_is_elapsed_time() -> None:
    start = local("Europe/Berlin", 2026, 3, 28, 12)
    assert business_seconds_between(CALENDAR_TIME, start, start + timedelta(days=2)) == 48 * HOUR
    assert add_business_seconds(CALENDAR_TIME, start, 5) == start + timedelta(seconds=5)
    assert CALENDAR_TIME.always_open


def test_a_reversed_interval_counts_nothing_and_negative_seconds_are_refused() -> None:
    start = datetime(2026, 11, 24, 10, tzinfo=UTC)
    assert business_seconds_between(office("UTC"), start, start - timedelta(hours=1)) == 0
    with pytest.raises(ValueError):
        add_business_seconds(office("UTC"), start, -1)
    with pytest.raises(ValueError):
        business_seconds_between(office("UTC"), start.replace(tzinfo=None), start)


def test_pausing_moves_the_deadline_by_the_business_time_spent_waiting() -> None:
    berlin = office("Europe/Berlin")
    due = local("Europe/Berlin", 2026, 11, 24, 15)
    paused, resumed = local("Europe/Berlin", 2026, 11, 24, 11), local("Europe/Berlin", 2026, 11, 25, 10)
    # 4 business hours were left at the pause; they run again from 10:00 the next day
    assert resume_deadline(berlin, due, paused, resumed) == local("Europe/Berlin", 2026, 11, 25, 14)
    # a deadline already missed when the clock stopped stays missed
    assert resume_deadline(berlin, paused - timedelta(minutes=1), paused, resumed) == paused - timedelta(minutes=1)


@pytest.mark.parametrize(
    ("hours", "field", "message_part"),
    [
        (((),) * 7, "weekly_hours", "cover some time"),
        ((((time(9), time(12)), (time(11), time(14))),) + ((),) * 6, "weekly_hours.monday.1", "overlap"),
        (((),) * 4 + (((time(17), time(9)),),) + ((),) * 2, "weekly_hours.friday.0", "end after it starts"),
        (every_day((time(9), time(9))), "weekly_hours.monday.0", "end after it starts"),
        ((NINE_TO_FIVE,) * 6, "weekly_hours", "seven weekdays"),
    ],
)
def test_bad_weekly_hours_name_the_field(hours: tuple[tuple[Span, ...], ...], field: str, message_part: str) -> None:
    errors = weekly_hours_errors(hours)
    assert errors[0]["field"] == field and message_part in errors[0]["message"]
    with pytest.raises(ValidationFailed):
        office("UTC", hours)


def test_unknown_zone_country_and_subdivision_are_refused_by_field() -> None:
    with pytest.raises(ValidationFailed) as zone:
        office("Mars/Olympus_Mons")
    assert zone.value.errors[0]["field"] == "time_zone"
    with pytest.raises(ValidationFailed) as country:
        office("UTC", holiday_country="XX")
    assert country.value.errors[0]["field"] == "holiday_country"
    with pytest.raises(ValidationFailed) as subdivision:
        office("UTC", holiday_country="DE", holiday_subdivision="ZZ")
    assert subdivision.value.errors[0]["field"] == "holiday_subdivision"


def test_midnight_as_end_means_the_end_of_the_day() -> None:
    evening = office("UTC", every_day((time(20), time(0))))
    start = datetime(2026, 11, 24, 21, tzinfo=UTC)
    assert add_business_seconds(evening, start, 3 * HOUR) == datetime(2026, 11, 25, 0, tzinfo=UTC)
    assert add_business_seconds(evening, start, 4 * HOUR) == datetime(2026, 11, 25, 21, tzinfo=UTC)


# --- properties ----------------------------------------------------------------------------------

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC", "Asia/Kolkata", "America/St_Johns"]
# Around the 2026 transitions of these zones (and a quiet week), so DST nights are drawn often.
ANCHORS = [
    datetime(2026, 3, 8, tzinfo=UTC),  # New York forward
    datetime(2026, 3, 29, tzinfo=UTC),  # Berlin forward
    datetime(2026, 4, 5, tzinfo=UTC),  # Lord Howe back
    datetime(2026, 10, 4, tzinfo=UTC),  # Lord Howe forward
    datetime(2026, 10, 25, tzinfo=UTC),  # Berlin back
    datetime(2026, 11, 1, tzinfo=UTC),  # New York / St John's back
    datetime(2026, 6, 15, tzinfo=UTC),
]
QUARTERS = st.integers(min_value=0, max_value=96).map(lambda q: q * 15)  # minutes of the day, 0..1440


def _to_time(minute: int) -> time:
    return time(0) if minute == 1440 else time(minute // 60, minute % 60)


@st.composite
def day_spans(draw: st.DrawFn) -> tuple[Span, ...]:
    bounds = sorted(draw(st.sets(QUARTERS, max_size=6)))
    if len(bounds) % 2:
        bounds = bounds[:-1]
    return tuple((_to_time(bounds[i]), _to_time(bounds[i + 1])) for i in range(0, len(bounds), 2))


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    week = tuple(draw(day_spans()) for _ in WEEKDAYS)
    assume(any(week))
    anchor = draw(st.sampled_from(ANCHORS)).date()
    days_off = draw(st.sets(st.integers(min_value=-3, max_value=10), max_size=3))
    return BusinessCalendar(
        time_zone=draw(st.sampled_from(ZONES)),
        weekly_hours=week,
        holidays=frozenset(anchor + timedelta(days=offset) for offset in days_off),
    )


def instants(*, step: int = 1) -> st.SearchStrategy[datetime]:
    """Whole-second (or whole-``step``) instants within a few days of a DST change."""
    return st.builds(
        lambda anchor, offset: anchor + timedelta(seconds=offset * step),
        st.sampled_from(ANCHORS),
        st.integers(min_value=-3 * 86_400 // step, max_value=4 * 86_400 // step),
    )


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@PROPERTY
@given(calendars(), instants(), st.integers(min_value=0, max_value=30 * HOUR))
def test_adding_then_measuring_gives_back_the_seconds(
    calendar: BusinessCalendar, start: datetime, seconds: int
) -> None:
    due = add_business_seconds(calendar, start, seconds)
    assert business_seconds_between(calendar, start, due) == seconds
    if seconds:
        # and it is the earliest such instant
        assert business_seconds_between(calendar, start, due - timedelta(seconds=1)) == seconds - 1


@PROPERTY
@given(calendars(), instants(), instants(), instants())
def test_measuring_is_additive_over_a_split(calendar: BusinessCalendar, a: datetime, b: datetime, c: datetime) -> None:
    first, middle, last = sorted([a, b, c])
    whole = business_seconds_between(calendar, first, last)
    assert whole == business_seconds_between(calendar, first, middle) + business_seconds_between(calendar, middle, last)
    assert 0 <= whole <= (last - first) // timedelta(seconds=1)


@PROPERTY
@given(
    calendars(),
    instants(),
    st.integers(min_value=0, max_value=20 * HOUR),
    st.integers(min_value=0, max_value=20 * HOUR),
)
def test_more_seconds_never_fall_due_earlier(calendar: BusinessCalendar, start: datetime, n: int, m: int) -> None:
    low, high = sorted([n, m])
    assert add_business_seconds(calendar, start, low) <= add_business_seconds(calendar, start, high)
    # and a later start never falls due earlier
    later = start + timedelta(seconds=n)
    assert add_business_seconds(calendar, start, m) <= add_business_seconds(calendar, later, m)


@PROPERTY
@given(calendars(), instants(), instants())
def test_nothing_counts_inside_closed_hours(calendar: BusinessCalendar, a: datetime, b: datetime) -> None:
    start, end = sorted([a, b])
    seconds = business_seconds_between(calendar, start, end)
    if seconds == 0:
        # the whole stretch is closed: a deadline from its start lies beyond its end
        assert add_business_seconds(calendar, start, 1) > end
    else:
        assert add_business_seconds(calendar, start, seconds) <= end


def _reference_open_minutes(calendar: BusinessCalendar, start: datetime, end: datetime) -> int:
    """Minute-by-minute and independent of the clock's interval arithmetic: a minute is open when
    the highest wall-clock time its local date has reached (so the repeated hour of a fall-back
    night stays where the first pass left it, and a gap is skipped) lies inside a span, and its
    local date is no holiday."""
    zone = ZoneInfo(calendar.time_zone)
    open_minutes = 0
    high_water: dict[date, time] = {}
    # walk from the local midnight before start so high-water marks are right when counting starts
    cursor = datetime.combine(start.astimezone(zone).date(), time(0), tzinfo=zone).astimezone(UTC)
    cursor = min(cursor, start)
    while cursor < end:
        wall = cursor.astimezone(zone)
        day, clock = wall.date(), wall.time().replace(tzinfo=None)
        mark = max(high_water.get(day, clock), clock)
        high_water[day] = mark
        if cursor >= start and day not in calendar.holidays:
            minute = mark.hour * 60 + mark.minute
            for span_start, span_end in calendar.weekly_hours[day.weekday()]:
                begin = span_start.hour * 60 + span_start.minute
                finish = 1440 if span_end == time(0) else span_end.hour * 60 + span_end.minute
                if begin <= minute < finish:
                    open_minutes += 1
                    break
        cursor += timedelta(minutes=1)
    return open_minutes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(calendars(), instants(step=60), st.integers(min_value=0, max_value=2 * 24 * 60))
def test_the_clock_agrees_with_a_minute_by_minute_count(
    calendar: BusinessCalendar, start: datetime, minutes: int
) -> None:
    end = start + timedelta(minutes=minutes)
    assert business_seconds_between(calendar, start, end) == 60 * _reference_open_minutes(calendar, start, end)


@PROPERTY
@given(calendars(), instants(), instants(), instants(), st.integers(min_value=1, max_value=20 * HOUR))
def test_a_pause_adds_exactly_the_business_time_spent_paused(
    calendar: BusinessCalendar, a: datetime, b: datetime, c: datetime, target: int
) -> None:
    # GIVEN a deadline planned at creation, a pause and a resume
    created, paused, resumed = sorted([a, b, c])
    due = add_business_seconds(calendar, created, target)
    assume(paused < due)
    # WHEN the clock resumes
    moved = resume_deadline(calendar, due, paused, resumed)
    # THEN it never moves earlier, the time left is the same, and the target counts only unpaused time
    assert moved >= due
    assert business_seconds_between(calendar, resumed, moved) == business_seconds_between(calendar, paused, due)
    counted = business_seconds_between(calendar, created, moved) - business_seconds_between(calendar, paused, resumed)
    assert counted == target


@PROPERTY
@given(instants(), instants())
def test_calendar_time_counts_every_second(a: datetime, b: datetime) -> None:
    start, end = sorted([a, b])
    assert business_seconds_between(CALENDAR_TIME, start, end) == (end - start) // timedelta(seconds=1)


@PROPERTY
@given(calendars(), instants(), st.integers(min_value=0, max_value=30 * HOUR))
def test_subtracting_mirrors_adding(calendar: BusinessCalendar, end: datetime, seconds: int) -> None:
    begin = subtract_business_seconds(calendar, end, seconds)
    assert begin <= end
    assert business_seconds_between(calendar, begin, end) == seconds
    if seconds:
        # and it is the latest such instant
        assert business_seconds_between(calendar, begin + timedelta(seconds=1), end) == seconds - 1


def test_subtracting_walks_back_over_a_weekend() -> None:
    berlin = office("Europe/Berlin")
    monday_ten = local("Europe/Berlin", 2026, 11, 30, 10)
    assert subtract_business_seconds(berlin, monday_ten, 2 * HOUR) == local("Europe/Berlin", 2026, 11, 27, 16)
