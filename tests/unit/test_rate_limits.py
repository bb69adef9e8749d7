"""Rate-limit windows and their configuration (pure)."""

from __future__ import annotations

import pytest

from chalicelib.domain.rate_limits import DEFAULT_LIMITS, Limit, bucket, parse_limits, window


def test_limits_are_parsed_and_checked() -> None:
    assert parse_limits("api.key=100/60")["api.key"] == Limit(100, 60)
    assert parse_limits("")["signup.ip"] == DEFAULT_LIMITS["signup.ip"]
    for bad in ("nope=1/60", "api.key=0/60", "api.key=ten/60"):
        with pytest.raises(ValueError):
            parse_limits(bad)
    current = window("api.key", "t#k", Limit(10, 60), now_epoch=125.5)
    assert current.key == "api.key#t#k#120"
    assert current.resets_in_seconds == 55
    assert current.expires_at_epoch == 240


# --- token buckets (GCRA form) ---


def _run(limit: Limit, times: list[float]) -> list[bool]:
    """The bucket's rule applied in memory, as the conditional updates apply it in DynamoDB."""
    arrival: float | None = None
    allowed = []
    for now in times:
        take = bucket("api.workspace", "t1", limit, now)
        if arrival is None or arrival < now:
            arrival, ok = take.fresh, True
        elif arrival <= take.latest_allowed:
            arrival, ok = arrival + take.interval, True
        else:
            ok = False
        allowed.append(ok)
    return allowed


def test_a_full_bucket_allows_a_burst_of_its_size_then_the_steady_rate() -> None:
    limit = Limit(requests=10, window_seconds=60)  # one request every 6 s, bursts of 10
    assert _run(limit, [0.0] * 12) == [True] * 10 + [False] * 2
    # after the burst, one request fits every 6 s and no more
    assert _run(limit, [0.0] * 10 + [6.0, 6.5, 12.0]) == [True] * 10 + [True, False, True]


def test_the_quota_says_what_is_left_and_when_to_retry() -> None:
    limit = Limit(requests=10, window_seconds=60)
    first = bucket("api.workspace", "t1", limit, 100.0)
    granted = first.granted(first.fresh)
    assert (granted.limit, granted.remaining, granted.reset_seconds, granted.window_seconds) == (10, 9, 6, 60)
    empty = bucket("api.workspace", "t1", limit, 100.0)
    refused = empty.refused(160.0)  # ten taken at 100.0
    assert refused.remaining == 0 and refused.retry_after_seconds == 6 and refused.reset_seconds == 60
