"""The business-time clock the metrics use for one workspace, cached per container."""

from __future__ import annotations

from chalicelib.domain.metrics_fold import BusinessSeconds, calendar_seconds


def business_seconds_for(tenant_id: str) -> BusinessSeconds:
    """Until a workspace has business hours, business time is calendar time."""
    return calendar_seconds
