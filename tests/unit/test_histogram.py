"""Duration histograms: any union of days answers p50/p90 within 2 % of the exact quantile."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.histogram import RELATIVE_ACCURACY, Histogram, bucket_of, bucket_value, exact_quantile

YEAR = 366 * 24 * 3600
durations = st.lists(st.integers(min_value=0, max_value=YEAR), min_size=1, max_size=400)


def close(estimate: float | None, exact: float | None, tolerance: float = 0.02) -> bool:
    assert estimate is not None and exact is not None
    return abs(estimate - exact) <= tolerance * exact


@settings(max_examples=300)
@given(st.lists(durations, min_size=1, max_size=8), st.sampled_from([0.5, 0.9, 0.99, 0.01, 1.0]))
def test_merged_days_give_quantiles_within_two_percent(days: list[list[int]], q: float) -> None:
    # GIVEN one histogram per day, merged as a period read merges them
    merged = Histogram()
    for day in days:
        merged = merged.merge(Histogram.of(day))
    # THEN the period's quantile is within 2 % of the exact quantile of all its durations
    every = [d for day in days for d in day]
    assert merged.total == len(every)
    assert close(merged.quantile(q), exact_quantile(every, q))


@given(st.integers(min_value=1, max_value=10 * YEAR))
def test_a_bucket_reads_back_within_its_accuracy(seconds: int) -> None:
    assert abs(bucket_value(bucket_of(seconds)) - seconds) <= RELATIVE_ACCURACY * seconds * 1.000001


def test_zero_durations_and_empty_histograms() -> None:
    assert Histogram.of([0, 0, 5]).quantile(0.5) == 0.0
    assert Histogram().quantile(0.5) is None
    assert Histogram().share_at_most(10) is None


def test_a_year_in_seconds_needs_under_a_thousand_buckets() -> None:
    assert bucket_of(YEAR) < 1000


@given(durations, st.integers(min_value=1, max_value=YEAR))
def test_share_within_a_limit_counts_what_is_under_it(values: list[int], limit: int) -> None:
    share = Histogram.of(values).share_at_most(limit)
    exact_under = sum(v <= limit for v in values)
    # at the bucket's resolution: values within 1 % above the limit may count too
    loose = sum(v <= limit * (1 + 2 * RELATIVE_ACCURACY) for v in values)
    assert share is not None and exact_under <= round(share * len(values)) <= loose
