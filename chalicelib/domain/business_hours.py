"""Business time: a workspace's opening hours in its own time zone, minus holidays. Pure code.

The clock counts *elapsed* seconds inside opening hours. A span is wall-clock time on one local
date, so on the night clocks go forward a span 01:00–04:00 lasts two real hours, and on the night
they go back three. A wall time that does not exist (inside a spring-forward gap) stands for the
first instant after the gap; a wall time that happens twice stands for its first occurrence. Both
rules keep the local → UTC mapping monotonic, which the additivity and round-trip properties need.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from chalicelib.domain.errors import ValidationFailed

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_SECONDS = 86_400
ONE_SECOND = timedelta(seconds=1)

Span = tuple[time, time]
"""Opening hours on one local date, ``[start, end)``; an ``end`` of 00:00 means midnight at the
end of that date (24:00). A span never crosses midnight: 22:00–06:00 is 22:00–00:00 plus
00:00–06:00 on the next weekday."""


def _seconds_of_day(moment: time, *, is_end: bool) -> int:
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    return DAY_SECONDS if is_end and seconds == 0 else seconds


def weekly_hours_errors(
    weekly_hours: Sequence[Sequence[Span]], *, field_name: str = "weekly_hours"
) -> list[dict[str, str]]:
    """Every problem with a week of opening hours, each naming its field (``weekly_hours.friday.1``)."""
    if len(weekly_hours) != 7:
        return [{"field": field_name, "message": "Give the hours for each of the seven weekdays."}]
    errors: list[dict[str, str]] = []
    any_open = False
    for day_name, spans in zip(WEEKDAYS, weekly_hours, strict=True):
        previous_end = -1
        for index, (start, end) in enumerate(spans):
            where = f"{field_name}.{day_name}.{index}"
            if start.microsecond or end.microsecond:
                errors.append({"field": where, "message": "Opening hours are whole seconds."})
                continue
            begin, finish = _seconds_of_day(start, is_end=False), _seconds_of_day(end, is_end=True)
            if finish <= begin:
                errors.append(
                    {"field": where, "message": "A span must end after it starts (00:00 as end means midnight)."}
                )
                continue
            if begin < previous_end:
                errors.append({"field": where, "message": "Spans overlap or are out of order."})
            previous_end = max(previous_end, finish)
            any_open = True
    if not errors and not any_open:
        errors.append({"field": field_name, "message": "Business hours must cover some time in the week."})
    return errors


def time_zone_error(time_zone: str) -> str | None:
    # UTC, the default calendar's zone, is always known: listing every zone reads hundreds of files (tens of
    # milliseconds), which a cold start paid for the default calendar made at import
    if time_zone != "UTC" and time_zone not in _known_time_zones():
        return "Unknown time zone: use an IANA name such as Europe/Berlin."
    return None


@lru_cache(maxsize=1)
def _known_time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True)
class BusinessCalendar:
    """When a workspace counts SLA time. ``weekly_hours[0]`` is Monday. ``holidays`` are explicit
    dates (custom ones, or a country's resolved by ``holiday_dates``); ``holiday_country`` (with an
    optional ``holiday_subdivision``) adds that country's public holidays for any year, looked up
    lazily so a calendar never runs out of years."""

    time_zone: str
    weekly_hours: tuple[tuple[Span, ...], ...]
    holidays: frozenset[date] = field(default_factory=frozenset)
    holiday_country: str | None = None
    holiday_subdivision: str | None = None

    def __post_init__(self) -> None:
        errors = weekly_hours_errors(self.weekly_hours)
        zone_problem = time_zone_error(self.time_zone)
        if zone_problem:
            errors.append({"field": "time_zone", "message": zone_problem})
        if self.holiday_country is None and self.holiday_subdivision is not None:
            errors.append({"field": "holiday_country", "message": "Name the country of the subdivision."})
        if self.holiday_country is not None:
            country_problem = holiday_country_error(self.holiday_country, self.holiday_subdivision)
            if country_problem:
                errors.append(country_problem)
        if errors:
            raise ValidationFailed(errors)

    @property
    def always_open(self) -> bool:
        return (
            not self.holidays
            and self.holiday_country is None
            and all(spans == ((time(0), time(0)),) for spans in self.weekly_hours)
        )

    def is_holiday(self, day: date) -> bool:
        if day in self.holidays:
            return True
        if self.holiday_country is None:
            return False
        return day in _country_holidays(self.holiday_country, self.holiday_subdivision, day.year)

    def open_intervals(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """The UTC intervals in which the workspace is open on one local date, in time order."""
        if self.is_holiday(day):
            return
        zone = _zone(self.time_zone)
        for start, end in self.weekly_hours[day.weekday()]:
            begin = _instant(zone, datetime.combine(day, start))
            if _seconds_of_day(end, is_end=True) == DAY_SECONDS:
                finish = _instant(zone, datetime.combine(day + timedelta(days=1), time(0)))
            else:
                finish = _instant(zone, datetime.combine(day, end))
            if finish > begin:  # a span wholly inside a spring-forward gap lasts no time
                yield begin, finish


def _every_day(start: time = time(0), end: time = time(0)) -> tuple[tuple[Span, ...], ...]:
    return tuple(((start, end),) for _ in WEEKDAYS)


CALENDAR_TIME = BusinessCalendar(time_zone="UTC", weekly_hours=_every_day())
"""Round the clock, every day: business time equals elapsed time."""

# An upper bound on how far the clock looks for opening hours: a calendar is validated to be open
# some time every week, so only an absurd run of holidays could need more.
MAX_SEARCH_DAYS = 3 * 366


def _instant(zone: ZoneInfo, wall: datetime) -> datetime:
    """The first UTC instant whose local wall time is at or after ``wall`` (naive)."""
    candidate = wall.replace(tzinfo=zone).astimezone(UTC)
    if candidate.astimezone(zone).replace(tzinfo=None) == wall:
        return candidate  # exists; fold=0 is the first of two occurrences
    # Inside a gap: fold=1 uses the offset after the transition, which lands before the gap.
    low = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = candidate
    # Transitions fall on whole seconds: bisect on seconds for the first instant past the gap.
    while high - low > ONE_SECOND:
        middle = low + (high - low) // 2
        middle = middle.replace(microsecond=0)
        if middle.astimezone(zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return high


def _local_date(calendar: BusinessCalendar, moment: datetime) -> date:
    return moment.astimezone(_zone(calendar.time_zone)).date()


def _require_aware(*moments: datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("Business time needs aware datetimes.")


def business_seconds_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> int:
    """Whole seconds of opening hours in ``[start, end)``; 0 when ``end`` is not after ``start``."""
    return business_time_between(calendar, start, end) // ONE_SECOND


def business_time_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Opening hours in ``[start, end)``, to the microsecond."""
    _require_aware(start, end)
    if end <= start:
        return timedelta(0)
    if calendar.always_open:
        return end - start
    total = timedelta(0)
    # One day of margin each way: where a zone falls back across midnight, a date's spans and the
    # instants of the neighbouring date interleave.
    day = _local_date(calendar, start) - timedelta(days=1)
    last = _local_date(calendar, end) + timedelta(days=1)
    while day <= last:
        for begin, finish in calendar.open_intervals(day):
            low, high = max(begin, start), min(finish, end)
            if high > low:
                total += high - low
        day += timedelta(days=1)
    return total


def add_business_seconds(calendar: BusinessCalendar, start: datetime, seconds: int) -> datetime:
    """The earliest instant by which ``seconds`` of opening hours have passed since ``start``.

    0 seconds is ``start`` itself; a deadline that uses up a span exactly lands on the span's end,
    not on the next opening."""
    if seconds < 0:
        raise ValueError("seconds must not be negative")
    return add_business_time(calendar, start, timedelta(seconds=seconds))


def add_business_time(calendar: BusinessCalendar, start: datetime, amount: timedelta) -> datetime:
    _require_aware(start)
    if amount < timedelta(0):
        raise ValueError("amount must not be negative")
    start = start.astimezone(UTC)
    if not amount:
        return start
    if calendar.always_open:
        return start + amount
    remaining = amount
    day = _local_date(calendar, start) - timedelta(days=1)  # the margin business_time_between explains
    for _ in range(MAX_SEARCH_DAYS):
        for begin, finish in calendar.open_intervals(day):
            low = max(begin, start)
            if finish <= low:
                continue
            available = finish - low
            if available >= remaining:
                return low + remaining
            remaining -= available
        day += timedelta(days=1)
    raise ValueError("The calendar has no opening hours within three years.")


def subtract_business_seconds(calendar: BusinessCalendar, end: datetime, seconds: int) -> datetime:
    """The latest instant from which ``seconds`` of opening hours remain until ``end`` (the mirror of
    ``add_business_seconds``): where a deadline's last stretch of a given length begins."""
    if seconds < 0:
        raise ValueError("seconds must not be negative")
    return subtract_business_time(calendar, end, timedelta(seconds=seconds))


def subtract_business_time(calendar: BusinessCalendar, end: datetime, amount: timedelta) -> datetime:
    _require_aware(end)
    if amount < timedelta(0):
        raise ValueError("amount must not be negative")
    end = end.astimezone(UTC)
    if not amount:
        return end
    if calendar.always_open:
        return end - amount
    remaining = amount
    day = _local_date(calendar, end) + timedelta(days=1)  # the margin business_time_between explains
    for _ in range(MAX_SEARCH_DAYS):
        for begin, finish in reversed(list(calendar.open_intervals(day))):
            high = min(finish, end)
            if high <= begin:
                continue
            available = high - begin
            if available >= remaining:
                return high - remaining
            remaining -= available
        day -= timedelta(days=1)
    raise ValueError("The calendar has no opening hours within three years.")


def resume_deadline(calendar: BusinessCalendar, due: datetime, paused_at: datetime, resumed_at: datetime) -> datetime:
    """Where a deadline moves when the clock, paused at ``paused_at``, runs again at ``resumed_at``:
    the business time that was left at the pause is allowed again from the resume. A deadline that
    had already passed when the clock stopped stays where it was (the breach happened)."""
    if due <= paused_at:
        return due
    left = business_time_between(calendar, paused_at, due)
    if not left:
        return max(due, resumed_at)
    return add_business_time(calendar, max(resumed_at, paused_at), left)


# --- holidays --------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _country_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    # Imported here: the package loads every calendar system (tens of ms), and only a workspace with a
    # holiday country needs it.
    import holidays as holiday_calendars

    return frozenset(holiday_calendars.country_holidays(country, subdiv=subdivision, years=year).keys())


def holiday_country_error(country: str, subdivision: str | None) -> dict[str, str] | None:
    import holidays as holiday_calendars

    supported = holiday_calendars.list_supported_countries()
    if country not in supported:
        return {
            "field": "holiday_country",
            "message": f"Unknown country code '{country}' (ISO 3166-1 alpha-2, e.g. DE).",
        }
    if subdivision is not None and subdivision not in supported[country]:
        return {"field": "holiday_subdivision", "message": f"'{subdivision}' is not a subdivision of {country}."}
    return None


def holiday_dates(country: str, subdivision: str | None, years: Sequence[int]) -> frozenset[date]:
    """A country's public holidays in the given years, for callers that want explicit dates."""
    dates: set[date] = set()
    for year in years:
        dates |= _country_holidays(country, subdivision, year)
    return frozenset(dates)
