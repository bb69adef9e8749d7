"""Rate-limit windows and their configuration (pure)."""

from __future__ import annotations

import pytest

from chalicelib.domain.rate_limits import (
    DEFAULT_LIMITS,
    LEASE_SECONDS,
    MAX_LEASE,
    Lease,
    Limit,
    bucket,
    parse_limits,
    window,
)


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


# --- leases: tokens a busy container takes at once ---


def _leased(limit: Limit, size: int, now: float = 100.0) -> Lease:
    take = bucket("api.workspace", "t1", limit, now, tokens=size)
    return Lease(take, take.fresh, left=size)


def test_a_lease_hands_out_its_tokens_within_its_second_and_counts_them_in_what_is_left() -> None:
    limit = Limit(requests=3000, window_seconds=60)  # one every 20 ms, bursts of 3,000
    lease = _leased(limit, 4)
    handed = [lease.hand_out(100.0 + n * 0.001) for n in range(5)]
    # four tokens, then none; what is left counts the bucket's (3,000 - 4) and the lease's own down by one
    assert [q.remaining if q else None for q in handed] == [2999, 2998, 2997, 2996, None]
    assert _leased(limit, 4).hand_out(100.0 + LEASE_SECONDS) is None  # too old: a new take
    # the bucket refills meanwhile (one token every 20 ms), but never says more than a take can leave
    refilling = _leased(limit, 4)
    assert [q.remaining for n in range(4) if (q := refilling.hand_out(100.0 + n * 0.2))] == [2999] * 4


def test_a_lease_grows_while_used_up_in_time_and_shrinks_when_not() -> None:
    limit = Limit(requests=3000, window_seconds=60)
    busy = _leased(limit, 4)
    for _ in range(4):
        busy.hand_out(100.2)
    assert busy.next_size(100.5) == 8
    assert _leased(limit, 16).next_size(100.5) == 8  # tokens left at its end: half
    ran_out_late = _leased(limit, 4)
    assert ran_out_late.next_size(101.5) == 2
    full = _leased(limit, MAX_LEASE)
    for _ in range(MAX_LEASE):
        full.hand_out(100.1)
    assert full.next_size(100.2) == MAX_LEASE  # never past the most


def test_a_small_quota_is_never_leased_from() -> None:
    # fewer than 200 requests per window: every request is its own take, so the quota stays exact
    for requests in (5, 20, 199):
        lease = _leased(Limit(requests=requests, window_seconds=60), 1)
        lease.hand_out(100.0)
        assert lease.next_size(100.1) == 1
    assert _leased(Limit(requests=600, window_seconds=60), 6).next_size(100.1) <= 6  # 1 % of an API key's 600
