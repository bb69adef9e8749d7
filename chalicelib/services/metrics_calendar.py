"""The business-time clock the metrics use for one workspace, loaded once per container per few
minutes: the stream consumer folds hundreds of changes a batch and must not read settings for each."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from chalicelib.data.sla_settings import get_sla_settings
from chalicelib.domain.business_hours import BusinessCalendar, business_seconds_between
from chalicelib.domain.metrics_fold import BusinessSeconds, calendar_seconds

CACHE_SECONDS = 300.0
_cache: dict[str, tuple[float, BusinessSeconds]] = {}


def workspace_calendar(tenant_id: str) -> BusinessCalendar | None:
    """The workspace's business hours, as its SLA settings keep them (the default hours until set)."""
    return get_sla_settings(tenant_id).business_hours.calendar()


calendar_source: Callable[[str], BusinessCalendar | None] = workspace_calendar


def clock_of(calendar: BusinessCalendar | None) -> BusinessSeconds:
    if calendar is None or calendar.always_open:
        return calendar_seconds
    return partial(business_seconds_between, calendar)


def business_seconds_for(tenant_id: str, now: float | None = None) -> BusinessSeconds:
    moment = time.monotonic() if now is None else now
    cached = _cache.get(tenant_id)
    if cached is not None and moment - cached[0] < CACHE_SECONDS:
        return cached[1]
    clock = clock_of(calendar_source(tenant_id))
    _cache[tenant_id] = (moment, clock)
    return clock


def forget_calendars() -> None:
    _cache.clear()
