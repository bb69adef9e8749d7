"""The business-time clock and the time zone the metrics use for one workspace, loaded once per
container per few minutes: the stream consumer folds hundreds of changes a batch and must not read
settings for each. Days are the workspace's (its business hours' IANA zone), not UTC's."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from functools import partial
from zoneinfo import ZoneInfo

from chalicelib.data.sla_settings import get_sla_settings
from chalicelib.domain.business_hours import BusinessCalendar, business_seconds_between
from chalicelib.domain.clock import utcnow
from chalicelib.domain.metrics_calendar import month_of, today_in, week_of
from chalicelib.domain.metrics_fold import BusinessSeconds, calendar_seconds

CACHE_SECONDS = 300.0
_cache: dict[str, tuple[float, BusinessSeconds, tzinfo]] = {}


def workspace_calendar(tenant_id: str) -> BusinessCalendar | None:
    """The workspace's business hours, as its SLA settings keep them (the default hours until set)."""
    return get_sla_settings(tenant_id).business_hours.calendar()


calendar_source: Callable[[str], BusinessCalendar | None] = workspace_calendar


def clock_of(calendar: BusinessCalendar | None) -> BusinessSeconds:
    if calendar is None or calendar.always_open:
        return calendar_seconds
    return partial(business_seconds_between, calendar)


def zone_of(calendar: BusinessCalendar | None) -> tzinfo:
    return UTC if calendar is None else ZoneInfo(calendar.time_zone)


def _loaded(tenant_id: str, now: float | None) -> tuple[float, BusinessSeconds, tzinfo]:
    moment = time.monotonic() if now is None else now
    cached = _cache.get(tenant_id)
    if cached is not None and moment - cached[0] < CACHE_SECONDS:
        return cached
    calendar = calendar_source(tenant_id)
    loaded = (moment, clock_of(calendar), zone_of(calendar))
    _cache[tenant_id] = loaded
    return loaded


def business_seconds_for(tenant_id: str, now: float | None = None) -> BusinessSeconds:
    return _loaded(tenant_id, now)[1]


def zone_for(tenant_id: str, now: float | None = None) -> tzinfo:
    """The workspace's time zone: the one its days (rollups, periods, "today") are counted in."""
    return _loaded(tenant_id, now)[2]


def today_for(tenant_id: str, at: datetime | None = None) -> date:
    return today_in(zone_for(tenant_id), at or utcnow())


def open_month_for(tenant_id: str, at: datetime | None = None) -> date:
    """The first day of the workspace's current month: days before it are in closed months."""
    return month_of(today_for(tenant_id, at))


def open_week_for(tenant_id: str, at: datetime | None = None) -> date:
    """The Monday of the workspace's current week: days before it are in closed weeks."""
    return week_of(today_for(tenant_id, at))


def forget_calendars() -> None:
    _cache.clear()
