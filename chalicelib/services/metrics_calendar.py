"""The business-time clock the metrics use for one workspace, loaded once per container per few
minutes: the stream consumer folds hundreds of changes a batch and must not read settings for each."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from chalicelib.domain.business_hours import BusinessCalendar, business_seconds_between
from chalicelib.domain.metrics_fold import BusinessSeconds, calendar_seconds

CACHE_SECONDS = 300.0
_cache: dict[str, tuple[float, BusinessSeconds]] = {}


def _no_calendar(tenant_id: str) -> BusinessCalendar | None:
    return None


# Where a workspace's business hours come from. The SLA settings (issue 14, part 1) store them; until
# that store is merged here, every workspace counts business time as calendar time.
calendar_source: Callable[[str], BusinessCalendar | None] = _no_calendar


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
