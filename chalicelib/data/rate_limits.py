"""Rate-limit counters: one atomic add per check, in their own table (no stream, TTL-expired)."""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.exceptions import DoesNotExist

from chalicelib.data.models import RateCounterItem


def count(key: str, expires_at_epoch: int) -> int:
    """Adds one to the counter and returns the new total (the counter is created at one)."""
    counter = RateCounterItem(key)
    counter.update(
        actions=[
            RateCounterItem.hits.add(1),
            RateCounterItem.expires.set(datetime.fromtimestamp(expires_at_epoch, UTC)),
        ]
    )
    return int(counter.hits)


def current(key: str) -> int:
    try:
        return int(RateCounterItem.get(key).hits)
    except DoesNotExist:
        return 0


def forget(key: str) -> None:
    RateCounterItem(key).delete()
