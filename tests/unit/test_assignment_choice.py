"""The assignment choice: never an offline, full or unskilled agent; always a least-loaded one;
ties go to whoever waited longest."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.assignment import (
    Candidate,
    RoutingSettings,
    choose_agent,
    contribution,
    load_deltas,
    plan_queue,
    waiting_order,
    why_not,
)

SETTINGS = RoutingSettings()
T0 = datetime(2026, 11, 24, tzinfo=UTC)


def agent(
    user_id: str,
    *,
    availability: str = "online",
    skills: tuple[str, ...] = (),
    capacity: int = 10,
    counts: dict[str, int] | None = None,
    last: datetime | None = None,
) -> Candidate:
    return Candidate(user_id, user_id.upper(), availability, frozenset(skills), capacity, counts or {}, last)


def test_least_loaded_wins_with_urgent_weighing_double() -> None:
    busy = agent("a", counts={"urgent": 2})  # load 4
    calm = agent("b", counts={"normal": 3})  # load 3
    assert choose_agent([busy, calm], "support", "normal", SETTINGS).user_id == "b"  # type: ignore[union-attr]


def test_tie_goes_to_the_longest_idle_and_never_assigned_first() -> None:
    recent = agent("a", last=T0)
    earlier = agent("b", last=T0 - timedelta(hours=1))
    never = agent("c")
    assert choose_agent([recent, earlier], "q", "low", SETTINGS).user_id == "b"  # type: ignore[union-attr]
    assert choose_agent([recent, earlier, never], "q", "low", SETTINGS).user_id == "c"  # type: ignore[union-attr]


def test_exclusions_are_explained() -> None:
    assert why_not(agent("a", availability="away"), "q", "low", SETTINGS) == "away"
    assert why_not(agent("a", skills=("billing",)), "technical", "low", SETTINGS) == "no 'technical' skill"
    assert why_not(agent("a", capacity=1, counts={"low": 1}), "q", "low", SETTINGS) == "at capacity"
    assert why_not(agent("a", skills=()), "anything", "low", SETTINGS) is None


def test_nobody_with_room_means_the_ticket_waits() -> None:
    assert choose_agent([agent("a", capacity=1, counts={"normal": 1})], "q", "normal", SETTINGS) is None


def test_explanation_lists_every_candidate_and_the_rule() -> None:
    choice = choose_agent([agent("a"), agent("b", availability="offline")], "q", "high", SETTINGS)
    assert choice is not None and choice.explanation["chosen"] == "a"
    assert {c["id"]: c["excluded"] for c in choice.explanation["candidates"]} == {"a": None, "b": "offline"}


candidates = st.lists(
    st.builds(
        agent,
        st.uuids().map(lambda u: u.hex[:8]),
        availability=st.sampled_from(["online", "away", "offline"]),
        skills=st.sampled_from([(), ("billing",), ("technical",), ("billing", "technical")]),
        capacity=st.integers(0, 8),
        counts=st.dictionaries(st.sampled_from(["urgent", "high", "normal", "low"]), st.integers(0, 4)),
        last=st.none() | st.integers(0, 1000).map(lambda m: T0 + timedelta(minutes=m)),
    ),
    max_size=8,
    unique_by=lambda c: c.user_id,
)


@given(candidates, st.sampled_from(["billing", "technical"]), st.sampled_from(["urgent", "high", "normal", "low"]))
def test_choice_properties(pool: list[Candidate], queue: str, priority: str) -> None:
    choice = choose_agent(pool, queue, priority, SETTINGS)
    eligible = [c for c in pool if why_not(c, queue, priority, SETTINGS) is None]
    if not eligible:
        assert choice is None
        return
    assert choice is not None
    chosen = next(c for c in pool if c.user_id == choice.user_id)
    assert chosen.availability == "online"
    assert not chosen.skills or queue in chosen.skills
    assert chosen.load(SETTINGS) + SETTINGS.weight(priority) <= chosen.capacity
    assert chosen.load(SETTINGS) == min(c.load(SETTINGS) for c in eligible)


def test_contribution_and_deltas() -> None:
    assert contribution("solved", "a", "low") is None
    assert contribution("open", None, "low") is None
    assert load_deltas(("a", "low"), ("b", "low")) == {"a": {"low": -1}, "b": {"low": 1}}
    assert load_deltas(("a", "low"), ("a", "urgent")) == {"a": {"low": -1, "urgent": 1}}
    assert load_deltas(("a", "low"), ("a", "low")) == {}


def test_waiting_tickets_are_served_most_urgent_then_oldest() -> None:
    tickets = [
        {"id": "1", "priority": "low", "created_at": "2026-01-01"},
        {"id": "2", "priority": "urgent", "created_at": "2026-01-03"},
        {"id": "3", "priority": "urgent", "created_at": "2026-01-02"},
    ]
    assert [t["id"] for t in waiting_order(tickets)] == ["3", "2", "1"]


def ticket(ticket_id: str, priority: str = "normal", queue: str = "q", created: int = 0) -> dict[str, object]:
    return {"id": ticket_id, "priority": priority, "queue": queue, "created_at": f"2026-01-01T00:00:{created:02d}"}


def test_a_ticket_that_does_not_fit_keeps_its_place_in_the_queue() -> None:
    # GIVEN one unit of room and an urgent ticket (weight 2) ahead of a normal one
    team = [agent("a", capacity=3, counts={"normal": 2})]
    waiting = [ticket("normal", "normal", created=1), ticket("urgent", "urgent", created=2)]
    # WHEN the queue is planned THEN the normal ticket does not jump ahead into the urgent one's room
    assert plan_queue(waiting, team, SETTINGS, T0) == []


def test_a_blocked_ticket_does_not_hold_up_other_agents_queues() -> None:
    team = [agent("billing", skills=("billing",), capacity=1, counts={"normal": 1}), agent("tech", skills=("tech",))]
    waiting = [ticket("b", queue="billing", created=1), ticket("t", queue="tech", created=2)]
    assert [(t, c.user_id) for t, c in plan_queue(waiting, team, SETTINGS, T0)] == [("t", "tech")]


def test_the_queue_is_served_most_urgent_then_oldest_and_spread_evenly() -> None:
    team = [agent("a"), agent("b")]
    waiting = [ticket("old", created=1), ticket("new", created=5), ticket("hot", "high", created=9)]
    plan = [(t, c.user_id) for t, c in plan_queue(waiting, team, SETTINGS, T0)]
    assert [t for t, _ in plan] == ["hot", "old", "new"]
    assert {a for _, a in plan[:2]} == {"a", "b"}


@given(
    candidates,
    st.lists(
        st.builds(
            ticket,
            st.uuids().map(lambda u: u.hex[:6]),
            st.sampled_from(["urgent", "high", "normal", "low"]),
            st.sampled_from(["billing", "technical"]),
            st.integers(0, 59),
        ),
        max_size=12,
        unique_by=lambda t: t["id"],
    ),
)
def test_a_plan_never_overfills_anyone_and_uses_only_online_skilled_agents(
    pool: list[Candidate], waiting: list[dict[str, object]]
) -> None:
    plan = plan_queue(waiting, pool, SETTINGS, T0)
    by_id = {c.user_id: c for c in pool}
    added: dict[str, int] = {}
    for ticket_id, choice in plan:
        t = next(w for w in waiting if w["id"] == ticket_id)
        chosen = by_id[choice.user_id]
        assert chosen.availability == "online" and (not chosen.skills or t["queue"] in chosen.skills)
        added[chosen.user_id] = added.get(chosen.user_id, 0) + SETTINGS.weight(str(t["priority"]))
    for user_id, extra in added.items():
        assert by_id[user_id].load(SETTINGS) + extra <= by_id[user_id].capacity
    assert len({t for t, _ in plan}) == len(plan)


def test_a_queue_with_members_goes_only_to_its_members() -> None:
    # GIVEN an idle agent who is not a member of "vip", and a busier member
    outsider = replace(agent("a"), barred_queues=frozenset({"vip"}))
    member = agent("b", counts={"normal": 5})

    # WHEN a vip ticket is placed
    choice = choose_agent([outsider, member], "vip", "normal", SETTINGS)

    # THEN the member gets it, and the explanation says why the idle one did not
    assert choice is not None and choice.user_id == "b"
    reasons = {c["id"]: c["excluded"] for c in choice.explanation["candidates"]}
    assert reasons == {"a": "not a member of 'vip'", "b": None}
    # AND other queues still reach the outsider
    assert why_not(outsider, "support", "normal", SETTINGS) is None


def test_a_vip_ticket_waiting_for_a_member_does_not_hold_back_non_members() -> None:
    # GIVEN a full vip member and an idle outsider
    member = agent("m", capacity=1, counts={"normal": 1})
    outsider = replace(agent("o"), barred_queues=frozenset({"vip"}))
    waiting = [
        {"id": "t1", "queue": "vip", "priority": "urgent", "created_at": T0},
        {"id": "t2", "queue": "support", "priority": "low", "created_at": T0 + timedelta(minutes=1)},
    ]

    # WHEN the queue is served
    plan = plan_queue(waiting, [member, outsider], SETTINGS, T0)

    # THEN the vip ticket waits for its member, and the outsider still takes the support ticket
    assert [(ticket, choice.user_id) for ticket, choice in plan] == [("t2", "o")]
