"""What a ticket change adds to the daily rollups, and the rebuild's reading of history."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.histogram import bucket_of
from chalicelib.domain.metrics_fold import (
    ALL,
    WORDS,
    DayRollup,
    Dimension,
    RollupDelta,
    accumulate,
    bucket_attr,
    counter_attr,
    fold,
    pack_buckets,
    subject_words,
    unpack_buckets,
)
from chalicelib.domain.metrics_history import Told, happening, replayed
from chalicelib.domain.ticket_change import TicketChange
from tests.metrics_simulation import Life, Step, facts, live, lives


def incremental(changes: list[TicketChange]) -> list[RollupDelta]:
    """As the stream consumer folds: each stored change with the images around it."""
    deltas = []
    for change in changes:
        assert change.stream is not None
        told = happening(change.stream.at, change.stream.actor, change.stream.fields)
        before = facts(change.before) if change.before is not None else None
        delta = fold(before, facts(change.after), told)
        if delta is not None:
            deltas.append(delta)
    return deltas


def rebuilt(changes: list[TicketChange]) -> list[RollupDelta]:
    """As the rebuild job folds: the current ticket and its history entries only."""
    history = [Told(c.history.at, c.history.actor, c.history.changes) for c in changes]
    deltas = []
    for after, told in replayed(facts(changes[-1].after), history):
        created = any(f.field == "created" for f in told.fields)
        delta = fold(None if created else after, after, told)
        if delta is not None:
            deltas.append(delta)
    return deltas


def life(*steps: Step, priority: str = "high", assignee: int | None = 0) -> list[TicketChange]:
    return list(live(Life(1, "Cannot login to the portal", priority, "billing", ("vip",), assignee, 0, steps)))


def test_a_created_ticket_counts_in_every_dimension_and_its_subject_words() -> None:
    (delta,) = incremental(life())
    assert delta.counters == {"created": 1}
    assert {d.key for d in delta.dimensions} == {
        "all#",
        "agent#u1",
        "queue#billing",
        "priority#high",
        "channel#web",
        "tag#vip",
    }
    assert delta.words == {"login": 1, "portal": 1}  # "cannot" is a stop word


def test_first_response_solve_and_reopen() -> None:
    # GIVEN a high-priority ticket answered after 3 h (goal 4 h), solved after 30 h (goal 24 h), reopened
    changes = life(
        Step(180, "reply"),
        Step(27 * 60, "status", "solved"),
        Step(10, "customer"),
    )
    created, replied, solved, reopened = incremental(changes)
    assert replied.counters == {"first_responses": 1, "sla_first_response_met": 1, "replies": 1}
    assert replied.buckets["frt_cal"] == {bucket_of(3 * 3600): 1}
    assert solved.counters == {"solved": 1, "sla_resolution_breached": 1}
    assert solved.ticket_ids == {"solved": "t1", "sla_resolution_breached": "t1"}
    assert solved.buckets["res_cal"] == {bucket_of(30 * 3600): 1}
    assert reopened.counters == {"reopened": 1}
    assert solved.day == created.day + timedelta(days=1)


def test_internal_notes_and_customer_replies_are_not_responses() -> None:
    deltas = incremental(life(Step(5, "note"), Step(5, "customer")))
    assert [d.counters for d in deltas] == [{"created": 1}]


def test_solved_within_a_day_counts_towards_the_24_hour_goal() -> None:
    *_, solved = incremental(life(Step(60, "status", "solved"), priority="low"))
    assert solved.counters == {"solved": 1, "resolved_24h": 1, "sla_resolution_met": 1}


def test_stop_words_are_dropped_from_subject_words() -> None:
    assert subject_words("Please help: I cannot LOGIN, the login page is down") == {"login": 1, "page": 1}


@settings(max_examples=200, deadline=None)
@given(st.lists(lives, min_size=1, max_size=6))
def test_rebuild_from_history_equals_the_incremental_fold(many: list[Life]) -> None:
    # GIVEN tickets lived through random changes made by the real rules
    by_stream, by_history = [], []
    for index, one in enumerate(many):
        changes = list(live(one, ticket_id=f"t{index}"))
        by_stream += incremental(changes)
        by_history += rebuilt(changes)
    # THEN the rollups the history gives are the rollups the stream gave
    assert accumulate(by_history) == accumulate(by_stream)


def test_accumulated_rollups_carry_counts_buckets_ids_and_words() -> None:
    items = accumulate(incremental(life(Step(30, "reply"))))
    day = next(iter(items))[0]
    whole = items[(day, Dimension(ALL))]
    assert whole.figures[counter_attr("created")] == 1
    assert whole.figures[bucket_attr("frt_cal", bucket_of(1800))] == 1
    assert whole.id_sets == {"ids_created": {"t1"}}
    assert items[(day, Dimension(WORDS))].figures == {"w_login": 1, "w_portal": 1}
    assert "ids_created" not in items[(day, Dimension("agent", "u1"))].id_sets


@given(st.dictionaries(st.integers(min_value=-1, max_value=2000), st.integers(min_value=1, max_value=10**9)))
def test_a_packed_histogram_reads_back_the_same_buckets(buckets: dict[int, int]) -> None:
    assert unpack_buckets(pack_buckets(buckets)) == buckets


def test_a_rebuilt_day_with_a_late_change_reads_packed_and_flat_buckets_added_up() -> None:
    # GIVEN a closed day rebuilt with packed histograms, then a late change ADDed as flat buckets
    day = next(iter(accumulate(incremental(life(Step(30, "reply"))))))[0]
    flat = {counter_attr("created"): 1, bucket_attr("frt_cal", 7): 2, bucket_attr("frt_cal", -1): 1}
    row = DayRollup(day, ALL, "", flat, {}, {"frt_cal": {7: 3, 9: 1}, "res_cal": {12: 4}})
    # THEN the item counts both: the same totals as one flat item of everything
    assert row.histograms == {"frt_cal": {7: 5, 9: 1, -1: 1}, "res_cal": {12: 4}}
    whole = DayRollup(
        day,
        ALL,
        "",
        {
            counter_attr("created"): 1,
            bucket_attr("frt_cal", 7): 5,
            bucket_attr("frt_cal", 9): 1,
            bucket_attr("frt_cal", -1): 1,
            bucket_attr("res_cal", 12): 4,
        },
    )
    assert row.totals == whole.totals
