"""The metrics' business-time clock: a workspace's hours, read once per container every few minutes."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from chalicelib.domain.business_hours import BusinessCalendar
from chalicelib.services import metrics_calendar

NINE_TO_FIVE = BusinessCalendar(
    time_zone="Europe/Berlin",
    weekly_hours=tuple(((time(9), time(17)),) if d < 5 else () for d in range(7)),
)


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    metrics_calendar.forget_calendars()
    monkeypatch.setattr(metrics_calendar, "calendar_source", lambda tenant_id: reads.append(tenant_id) or NINE_TO_FIVE)
    reads.clear()


reads: list[str] = []


def test_business_durations_count_opening_hours_only() -> None:
    clock = metrics_calendar.business_seconds_for("t1", now=0)
    friday_4pm, monday_10am = datetime(2026, 11, 27, 15, tzinfo=UTC), datetime(2026, 11, 30, 9, tzinfo=UTC)
    assert clock(friday_4pm, monday_10am) == 2 * 3600  # 16–17 Friday, 9–10 Monday (Berlin)


def test_the_calendar_is_read_once_per_container_until_it_expires() -> None:
    for moment in (0, 10, 299):
        metrics_calendar.business_seconds_for("t1", now=moment)
    assert reads == ["t1"]
    metrics_calendar.business_seconds_for("t1", now=301)
    assert reads == ["t1", "t1"]


def test_no_calendar_is_calendar_time() -> None:
    assert metrics_calendar.clock_of(None) is metrics_calendar.calendar_seconds
