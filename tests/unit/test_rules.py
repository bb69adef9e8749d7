"""Rules as pure code: condition evaluation against a reference evaluator written here, triggers,
loop protection, time windows and periods, the sweep's read plan, templates and action plans."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from chalicelib.domain.actors import EmailRequester, Person, RuleActor
from chalicelib.domain.business_hours import CALENDAR_TIME, BusinessCalendar
from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.rule_conditions import Condition, Conditions, evaluate
from chalicelib.domain.rule_sweep import SWEPT_STATUSES, period_of, sweep_plan
from chalicelib.domain.rules import (
    MAX_RULE_DEPTH,
    RuleDefinition,
    definition_errors,
    depth_after,
    own_change,
    plan_actions,
    too_deep,
    triggered,
)
from chalicelib.domain.sla_clock import SlaClock
from chalicelib.domain.ticket_change import KEEP, FieldChange, Requester, StreamChange, Ticket
from chalicelib.domain.tickets import CHANNELS, PRIORITIES, STATUSES

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
QUEUES = ("support", "billing", "tier-2")
TAGS = ("vip", "bug", "eu")
EMAILS = ("ann@vip.example", "bob@example.com", "cy@Shop.example")
WORDS = ("refund", "crash", "Invoice")


# --- a reference evaluator: the meaning of each condition, written out plainly -------------------


def facts(ticket: Ticket, now: datetime) -> dict[str, Any]:
    """What the ticket says, field by field (business hours: a calendar that is always open)."""

    def hours(since: datetime | None) -> float | None:
        return None if since is None else (now - since).total_seconds() / 3600

    return {
        "status": ticket.status,
        "priority": ticket.priority,
        "queue": ticket.queue,
        "tags": set(ticket.tags),
        "channel": ticket.channel,
        "requester_email": ticket.requester.email.lower(),
        "requester_domain": ticket.requester.email.lower().split("@")[1],
        "assignee": ticket.assignee_id,
        "subject": ticket.subject.lower(),
        "description": ticket.description.lower(),
        "business_hours": True,
        "hours_since_created": hours(ticket.created_at),
        "hours_since_updated": hours(ticket.updated_at),
        "hours_since_solved": hours(ticket.solved_at) if ticket.status in ("solved", "closed") else None,
    }


def reference_holds(condition: dict[str, Any], ticket_facts: dict[str, Any]) -> bool:
    field, op, value = condition["field"], condition["op"], condition.get("value")
    actual = ticket_facts[field]
    if isinstance(value, str) and field in ("requester_email", "requester_domain"):
        value = value.lower()
    if op == "is":
        return bool(actual == value)
    if op == "is_not":
        return bool(actual != value)
    if op == "in":
        return actual in value
    if op == "not_in":
        return actual not in value
    if op == "includes":
        return any(tag in actual for tag in value)
    if op == "excludes":
        return not any(tag in actual for tag in value)
    if op == "contains":
        return value.lower() in actual
    if op == "not_contains":
        return value.lower() not in actual
    if op == "ends_with":
        return bool(actual.endswith(value.lower()))
    if op == "set":
        return actual is not None
    if op == "not_set":
        return actual is None
    if op == "at_least":
        return actual is not None and actual >= value
    assert op == "less_than"
    return actual is not None and actual < value


def reference(conditions: dict[str, list[dict[str, Any]]], ticket: Ticket, now: datetime) -> bool:
    known = facts(ticket, now)
    every = all(reference_holds(c, known) for c in conditions["all"])
    some = not conditions["any"] or any(reference_holds(c, known) for c in conditions["any"])
    return every and some


def choice_condition(field: str, values: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.builds(
            lambda op, v: {"field": field, "op": op, "value": v},
            st.sampled_from(["is", "is_not"]),
            st.sampled_from(values),
        ),
        st.builds(
            lambda op, v: {"field": field, "op": op, "value": sorted(v)},
            st.sampled_from(["in", "not_in"]),
            st.sets(st.sampled_from(values), min_size=1),
        ),
    )


conditions_strategy = st.one_of(
    choice_condition("status", STATUSES),
    choice_condition("priority", PRIORITIES),
    choice_condition("queue", QUEUES),
    choice_condition("channel", CHANNELS),
    choice_condition("requester_domain", ("vip.example", "example.com", "shop.example")),
    st.builds(
        lambda op, v: {"field": "tags", "op": op, "value": sorted(v)},
        st.sampled_from(["includes", "excludes"]),
        st.sets(st.sampled_from(TAGS), min_size=1),
    ),
    st.builds(
        lambda op, v: {"field": "requester_email", "op": op, "value": v},
        st.sampled_from(["is", "is_not", "contains", "ends_with"]),
        st.sampled_from([*EMAILS, "VIP.example", "bob"]),
    ),
    st.builds(
        lambda f, op, v: {"field": f, "op": op, "value": v},
        st.sampled_from(["subject", "description"]),
        st.sampled_from(["contains", "not_contains"]),
        st.sampled_from(WORDS),
    ),
    st.builds(lambda op: {"field": "assignee", "op": op}, st.sampled_from(["set", "not_set"])),
    st.builds(lambda v: {"field": "assignee", "op": "is", "value": v}, st.sampled_from(["agent-a", "agent-b"])),
    st.just({"field": "business_hours", "op": "is", "value": True}),
    st.builds(
        lambda f, op, v: {"field": f, "op": op, "value": v},
        st.sampled_from(["hours_since_created", "hours_since_updated", "hours_since_solved"]),
        st.sampled_from(["at_least", "less_than"]),
        st.integers(min_value=0, max_value=300),
    ),
)


@st.composite
def tickets(draw: st.DrawFn) -> Ticket:
    created = NOW - timedelta(minutes=draw(st.integers(min_value=0, max_value=400 * 60)))
    updated = created + (NOW - created) * draw(st.floats(min_value=0, max_value=1))
    status = draw(st.sampled_from(STATUSES))
    solved = updated if status in ("solved", "closed") else None
    return Ticket(
        ticket_id="t1",
        number=7,
        subject=draw(st.sampled_from(["Refund please", "App crash", "hello"])),
        description=draw(st.sampled_from(["my invoice is wrong", "it crashes", ""])),
        requester=Requester(draw(st.sampled_from(EMAILS)), "Someone"),
        status=status,
        priority=draw(st.sampled_from(PRIORITIES)),
        assignee_id=draw(st.sampled_from([None, "agent-a", "agent-b"])),
        queue=draw(st.sampled_from(QUEUES)),
        tags=tuple(sorted(draw(st.sets(st.sampled_from(TAGS))))),
        channel=draw(st.sampled_from(CHANNELS)),
        created_at=created,
        updated_at=updated,
        solved_at=solved,
    )


@settings(max_examples=400, deadline=None)
@given(
    st.lists(conditions_strategy, max_size=4),
    st.lists(conditions_strategy, max_size=3),
    tickets(),
)
def test_evaluation_agrees_with_the_reference(
    all_of: list[dict[str, Any]], any_of: list[dict[str, Any]], ticket: Ticket
) -> None:
    conditions = Conditions.model_validate({"all": all_of, "any": any_of})
    result = evaluate(conditions, ticket, NOW, CALENDAR_TIME)
    assert result.matched == reference({"all": all_of, "any": any_of}, ticket, NOW)
    assert len(result.results) == len(all_of) + len(any_of)
    known = facts(ticket, NOW)
    for outcome, raw in zip(result.results, [*all_of, *any_of], strict=True):
        assert outcome.matched == reference_holds(raw, known), raw


def ticket(**fields: Any) -> Ticket:
    base = Ticket(
        ticket_id="t1",
        number=7,
        subject="Refund please",
        description="my invoice",
        requester=Requester("ann@vip.example", "Ann"),
        status="open",
        priority="urgent",
        assignee_id=None,
        queue="support",
        tags=("eu",),
        channel="email",
        created_at=NOW - timedelta(days=1),
        updated_at=NOW - timedelta(hours=2),
    )
    return replace(base, **fields)


def test_business_hours_follow_the_workspace_calendar() -> None:
    nine_to_five = BusinessCalendar(
        time_zone="Europe/Paris", weekly_hours=tuple(((time(9), time(17)),) if d < 5 else () for d in range(7))
    )
    inside = Conditions.model_validate({"all": [{"field": "business_hours", "op": "is", "value": True}]})
    monday_noon = datetime(2026, 11, 30, 11, tzinfo=UTC)  # 12:00 in Paris
    sunday_noon = datetime(2026, 11, 29, 11, tzinfo=UTC)
    assert evaluate(inside, ticket(), monday_noon, nine_to_five).matched
    assert not evaluate(inside, ticket(), sunday_noon, nine_to_five).matched


def test_sla_state_is_a_condition() -> None:
    clock = SlaClock(first_response_due_at=NOW - timedelta(minutes=1), due_at=NOW - timedelta(minutes=1))
    breached = Conditions.model_validate({"all": [{"field": "sla", "op": "is", "value": "breached"}]})
    assert evaluate(breached, ticket(clock=clock), NOW, CALENDAR_TIME).matched
    assert not evaluate(breached, ticket(), NOW, CALENDAR_TIME).matched


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ({"field": "colour", "op": "is", "value": "red"}, ("field",)),
        ({"field": "status", "op": "like", "value": "open"}, ("op",)),
        ({"field": "status", "op": "contains", "value": "open"}, ("op",)),
        ({"field": "status", "op": "is", "value": "opened"}, ("value",)),
        ({"field": "tags", "op": "includes", "value": []}, ("value",)),
        ({"field": "assignee", "op": "set", "value": "x"}, ("value",)),
        ({"field": "hours_since_created", "op": "at_least", "value": -1}, ("value",)),
        ({"field": "status", "op": "is", "value": "open", "extra": 1}, ("extra",)),
    ],
)
def test_a_bad_condition_names_its_field(raw: dict[str, Any], where: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError) as raised:
        Condition.model_validate(raw)
    assert [e["loc"] for e in raised.value.errors()] == [where]


# --- triggers and loops -------------------------------------------------------------------------

AGENT = Person("u1", "Agent")
RULE_A, RULE_B = RuleActor("a", "Rule A"), RuleActor("b", "Rule B")


def change(
    kind: str = "updated", actor: Any = AGENT, fields: tuple[FieldChange, ...] = (), depth: int = 0
) -> StreamChange:
    return StreamChange(kind, actor, fields, NOW, depth=depth)  # type: ignore[arg-type]


def rule(**fields: Any) -> RuleDefinition:
    base: dict[str, Any] = {
        "name": "R",
        "kind": "event",
        "triggers": [{"event": "created"}],
        "actions": [{"type": "add_tags", "tags": ["x"]}],
    }
    return RuleDefinition.model_validate({**base, **fields})


def test_triggers_match_events_fields_and_authors() -> None:
    on_status = rule(
        triggers=[{"event": "updated", "field": "status", "changed_from": "open", "changed_to": "pending"}]
    )
    moved = change(fields=(FieldChange("status", "open", "pending"),))
    assert triggered(on_status.triggers, moved)
    assert not triggered(on_status.triggers, change(fields=(FieldChange("status", "new", "pending"),)))
    assert not triggered(on_status.triggers, change("created"))
    on_tag = rule(triggers=[{"event": "updated", "field": "tags", "changed_to": "vip"}])
    assert triggered(on_tag.triggers, change(fields=(FieldChange("tags", ["eu"], ["eu", "vip"]),)))
    assert not triggered(on_tag.triggers, change(fields=(FieldChange("tags", ["vip"], ["vip", "eu"]),)))
    on_assignee = rule(triggers=[{"event": "updated", "field": "assignee"}])
    assert triggered(on_assignee.triggers, change("assigned", fields=(FieldChange("assignee_id", None, "u1"),)))
    by_requester = rule(triggers=[{"event": "comment_added", "author": "requester"}])
    assert triggered(by_requester.triggers, change("commented", EmailRequester("r@x.example", "R")))
    assert not triggered(by_requester.triggers, change("commented", AGENT))
    by_agent = rule(triggers=[{"event": "comment_added", "author": "agent"}])
    assert triggered(by_agent.triggers, change("commented", AGENT))
    assert not triggered(by_agent.triggers, change("commented", RULE_A))
    rated = rule(triggers=[{"event": "rated"}])
    assert triggered(rated.triggers, change("rated", fields=(FieldChange("csat", None, "good"),)))
    assert not triggered(rated.triggers, change(fields=(FieldChange("priority", "low", "high"),)))


def test_a_rule_never_answers_its_own_change() -> None:
    assert own_change("a", change(actor=RULE_A))
    assert not own_change("b", change(actor=RULE_A))
    assert not own_change("a", change(actor=AGENT))


@settings(deadline=None)
@given(st.lists(st.sampled_from([RULE_A, RULE_B]), min_size=1, max_size=20))
def test_a_chain_of_rule_changes_stops_at_the_depth_limit(chain: list[RuleActor]) -> None:
    """Whatever rules hand a ticket along, at most MAX_RULE_DEPTH rule changes follow a person's."""
    current = change(actor=AGENT)
    made = 0
    for actor in chain:
        if too_deep(current):
            break
        current = change(actor=actor, depth=depth_after(current))
        made += 1
    assert made == min(len(chain), MAX_RULE_DEPTH)
    assert current.depth == made


def test_depth_travels_with_the_stream_change() -> None:
    from chalicelib.domain.ticket_change import parse_stream_change

    deep = change(actor=RULE_A, depth=3)
    back = parse_stream_change(deep.to_dict())
    assert back is not None and back.depth == 3
    assert "depth" not in change().to_dict()  # a person's change reads as before


# --- time rules: windows, periods, reads --------------------------------------------------------


def timed(field: str, hours: int, *extra: dict[str, Any]) -> Conditions:
    return Conditions.model_validate({"all": [{"field": field, "op": "at_least", "value": hours}, *extra]})


def test_hours_since_solved_counts_from_the_solve_and_only_while_solved() -> None:
    five_days = timed("hours_since_solved", 120)
    solved = ticket(status="solved", solved_at=NOW - timedelta(hours=121))
    assert evaluate(five_days, solved, NOW, CALENDAR_TIME).matched
    assert not evaluate(five_days, replace(solved, solved_at=NOW - timedelta(hours=119)), NOW, CALENDAR_TIME).matched
    assert not evaluate(five_days, replace(solved, status="open"), NOW, CALENDAR_TIME).matched


def test_hours_since_pending_and_requester_reply_use_the_sla_clock() -> None:
    pending = ticket(status="pending", clock=SlaClock(paused_at=NOW - timedelta(hours=50)))
    assert evaluate(timed("hours_since_pending", 48), pending, NOW, CALENDAR_TIME).matched
    assert not evaluate(
        timed("hours_since_pending", 48), replace(pending, status="on_hold"), NOW, CALENDAR_TIME
    ).matched
    waiting = ticket(clock=SlaClock(reply_requested_at=NOW - timedelta(hours=5)))
    assert evaluate(timed("hours_since_requester_reply", 4), waiting, NOW, CALENDAR_TIME).matched
    assert not evaluate(timed("hours_since_requester_reply", 4), ticket(), NOW, CALENDAR_TIME).matched


def test_the_window_edge_is_inclusive() -> None:
    exactly = ticket(updated_at=NOW - timedelta(hours=4))
    assert evaluate(timed("hours_since_updated", 4), exactly, NOW, CALENDAR_TIME).matched
    assert not evaluate(timed("hours_since_updated", 4), exactly, NOW - timedelta(seconds=1), CALENDAR_TIME).matched


def test_a_period_is_the_start_of_the_rules_clock() -> None:
    five_days = timed("hours_since_solved", 120)
    first = ticket(status="solved", solved_at=NOW - timedelta(days=6))
    again = replace(first, solved_at=NOW - timedelta(days=1))
    assert period_of(five_days, first) == period_of(five_days, replace(first, updated_at=NOW))
    assert period_of(five_days, first) != period_of(five_days, again)  # solved again: a new period


def test_the_sweep_reads_only_the_status_partitions_the_rule_can_match() -> None:
    solved_only = timed("hours_since_solved", 120, {"field": "status", "op": "is", "value": "solved"})
    assert sweep_plan(solved_only, NOW).statuses == ("solved",)
    not_pending = timed("hours_since_created", 1, {"field": "status", "op": "not_in", "value": ["pending", "on_hold"]})
    assert sweep_plan(not_pending, NOW).statuses == ("new", "open", "solved")
    assert sweep_plan(timed("hours_since_created", 1), NOW).statuses == SWEPT_STATUSES
    stale = sweep_plan(timed("hours_since_updated", 4), NOW)
    assert stale.updated_before == NOW - timedelta(hours=4)  # the index's sort key bounds the read


# --- definitions, templates and plans -----------------------------------------------------------


def test_definition_errors_name_the_field() -> None:
    time_rule = rule(kind="time", triggers=[], conditions={"all": [{"field": "status", "op": "is", "value": "solved"}]})
    assert [e["field"] for e in definition_errors(time_rule)] == ["conditions.all"]
    closing_new = rule(
        conditions={"all": [{"field": "status", "op": "is", "value": "closed"}]},
        actions=[{"type": "set_status", "status": "open"}],
    )
    assert [e["field"] for e in definition_errors(closing_new)] == ["actions.0.status"]


@pytest.mark.parametrize(
    "action",
    [
        {"type": "post_slack", "text": "{{ ''.__class__ }}"},
        {"type": "post_slack", "text": "{{ ticket.secret }}"},
        {"type": "send_email", "to": "requester", "subject": "{{ cycler.__init__ }}", "body": "x"},
        {"type": "send_email", "to": "requester", "subject": "Hi", "body": "{{ 'a' * 1000000 }}"},
        {"type": "add_note", "body": "{{ range(10) }}"},
    ],
)
def test_rule_texts_refuse_escapes_and_unknown_placeholders(action: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as raised:
        rule(actions=[action])
    assert raised.value.errors()[0]["loc"][:2] == ("actions", 0)


def context() -> Any:
    from chalicelib.domain.templates import context_for

    return context_for(
        number=7,
        subject="Refund please",
        status="open",
        priority="urgent",
        queue="support",
        channel="email",
        tags=("eu",),
        requester_name="Ann Lee",
        requester_email="ann@vip.example",
    )


def test_actions_plan_one_typed_change_a_macro_and_side_effects() -> None:
    from chalicelib.domain.ticket_actions import AddTags

    definition = rule(
        actions=[
            {"type": "set_priority", "priority": "high"},
            {"type": "apply_macro", "macro_id": "m1"},
            {"type": "remove_tags", "tags": ["eu"]},
            {"type": "set_assignee", "assignee": "router"},
            {"type": "add_note", "body": "Hello {{ requester.first_name }}"},
            {"type": "send_email", "to": "requester", "subject": "#{{ ticket.number }}", "body": "Hi"},
            {"type": "send_email", "to": "user", "user_id": "u9", "subject": "FYI", "body": "Look"},
            {"type": "post_slack", "text": "{{ ticket.subject }} waits"},
        ]
    )
    macros = {"m1": [AddTags(type="add_tags", tags=["vip", "eu"])]}
    users = {"u9": {"name": "Una", "email": "una@desk.example"}}
    current = ticket(assignee_id="u1")
    plan = plan_actions(list(definition.actions), current, context(), users, macros)
    update = plan.tickets.update
    assert (update.priority, update.tags, update.assignee_id) == ("high", ("vip",), None)
    assert plan.tickets.hand_to_router
    assert plan.tickets.comment is not None and plan.tickets.comment.body == "Hello Ann"
    assert [(e.channel, e.target, e.subject or e.body) for e in plan.effects] == [
        ("email", "ann@vip.example", "#7"),
        ("email", "una@desk.example", "FYI"),
        ("slack", "rule", "Refund please waits"),
    ]
    assert plan.describe(current)[:4] == [
        "set priority to high",
        "add tag vip",
        "remove tag eu",
        "hand to automatic assignment",
    ]
    with pytest.raises(ValidationFailed) as gone:
        plan_actions(list(definition.actions), current, context(), users, {})
    assert gone.value.errors == [{"field": "actions.1.macro_id", "message": "the macro is gone"}]
    nothing = plan_actions([definition.actions[2]], ticket(tags=()), context(), {}, {})
    assert not nothing.changes_ticket() and nothing.describe(ticket(tags=())) == []
    keep = plan_actions([definition.actions[0]], ticket(), context(), {}, {})
    assert keep.tickets.update.assignee_id is KEEP
