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


# Per container: the arrival time this container's last take of a bucket left. Only the order of the two
# conditional updates follows it (a wrong guess costs the second one), never whether a take is allowed.
_last_arrival: dict[str, float] = {}
MAX_REMEMBERED = 10_000


def take(request: BucketTake) -> tuple[bool, float]:
    """(allowed, the bucket's arrival time after the take, or as found when refused)."""
    bucket = RateCounterItem(request.key)
    arrival = RateCounterItem.arrival

    def draw() -> float | None:  # neither full nor empty: move the arrival time on (an interval per token)
        condition = arrival.between(request.now, request.latest_allowed)
        return float(bucket.arrival or 0) if _update(bucket, arrival.add(request.step), condition, request) else None

    def refill() -> float | None:  # full (idle past its arrival time) or never used: start from now
        condition = arrival.does_not_exist() | (arrival < request.now)
        return request.fresh if _update(bucket, arrival.set(request.fresh), condition, request) else None

    # A bucket used less than once per interval is full at every take: trying the refill first then saves the
    # draw's failed update, half of the DynamoDB calls of a signed-in request's rate limiting.
    order = (refill, draw) if _last_arrival.get(request.key, 0.0) < request.now else (draw, refill)
    for _ in range(TAKE_ATTEMPTS):
        for attempt in order:
            taken = attempt()
            if taken is not None:
                if len(_last_arrival) >= MAX_REMEMBERED:
                    _last_arrival.clear()
                _last_arrival[request.key] = taken
                return True, taken
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
