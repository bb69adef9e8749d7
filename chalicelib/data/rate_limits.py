"""Rate-limit counters and token buckets, in their own table (no stream, TTL-expired).

A counter is one atomic add per check. A bucket take is one conditional update in the common case (the
bucket neither full nor empty), two from a full bucket, and a read as well to say how long to wait.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.data.models import RateCounterItem
from chalicelib.domain.rate_limits import BucketTake

TAKE_ATTEMPTS = 3  # concurrent takes can each see the other's write between two conditions: try again


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


def take(request: BucketTake) -> tuple[bool, float]:
    """(allowed, the bucket's arrival time after the take, or as found when refused)."""
    bucket = RateCounterItem(request.key)
    arrival = RateCounterItem.arrival
    for _ in range(TAKE_ATTEMPTS):
        # neither full nor empty: move the arrival time one interval on
        if _update(
            bucket, arrival.add(request.interval), arrival.between(request.now, request.latest_allowed), request
        ):
            return True, float(bucket.arrival or 0)
        # full (idle past its arrival time) or never used: start from now
        if _update(bucket, arrival.set(request.fresh), arrival.does_not_exist() | (arrival < request.now), request):
            return True, request.fresh
        try:
            found = float(RateCounterItem.get(request.key, consistent_read=True).arrival or 0)
        except DoesNotExist:
            continue
        if found > request.latest_allowed:
            return False, found
    return False, request.latest_allowed + request.interval


def _update(bucket: RateCounterItem, action: Action, condition: Condition, request: BucketTake) -> bool:
    # The bucket is full again once now + window has passed: kept until then, then DynamoDB's TTL removes it.
    expires = datetime.fromtimestamp(request.expires_at_epoch(request.now + request.limit.window_seconds), UTC)
    try:
        bucket.update(actions=[action, RateCounterItem.expires.set(expires)], condition=condition)
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True
