"""Typed actions: strict parsing that names fields, and one plan per list of actions that matches a
plain reference fold of the same actions; applied as one change through ``decide``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.actors import Person
from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.templates import context_for
from chalicelib.domain.ticket_actions import (
    AddReply,
    SetStatus,
    TicketAction,
    dump_actions,
    parse_actions,
    plan_actions,
)
from chalicelib.domain.ticket_change import KEEP, AddComment, ApplyActions, Ticket, create, decide
from tests.strategies.ticket_changes import START, Creation, create_request

AGENT = Person("a" * 32, "Grace Hopper")
USER_ID = "b" * 32


def _ticket(status: str = "new", tags: tuple[str, ...] = ("billing",)) -> Ticket:
    ticket = create(AGENT, create_request(1, Creation("normal", "support", tags, None)), START).after
    if status != "new":
        from dataclasses import replace

        ticket = replace(ticket, status=status)
    return ticket


def _context(ticket: Ticket) -> Any:
    return context_for(
        number=ticket.number,
        subject=ticket.subject,
        status=ticket.status,
        priority=ticket.priority,
        queue=ticket.queue,
        channel=ticket.channel,
        tags=ticket.tags,
        requester_name=ticket.requester.name,
        requester_email=ticket.requester.email,
        agent_name=AGENT.name,
    )


def test_parses_each_kind_and_dumps_it_back() -> None:
    data = [
        {"type": "set_status", "status": "pending"},
        {"type": "set_priority", "priority": "high"},
        {"type": "set_queue", "queue": "tier-2"},
        {"type": "add_tags", "tags": ["VIP", "refund"]},
        {"type": "remove_tags", "tags": ["billing"]},
        {"type": "set_assignee", "assignee": "router"},
        {"type": "add_note", "body": "Checked by {{ agent.name }}"},
    ]
    actions = parse_actions(data)
    assert dump_actions(actions)[3] == {"type": "add_tags", "tags": ["vip", "refund"]}
    assert parse_actions(dump_actions(actions)) == actions


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([{"type": "explode"}], "actions.0"),
        ([{"status": "open"}], "actions.0"),
        ([{"type": "set_status", "status": "done"}], "actions.0.set_status.status"),
        ([{"type": "set_status", "status": "open", "extra": 1}], "actions.0.set_status.extra"),
        ([{"type": "set_priority", "priority": 3}], "actions.0.set_priority.priority"),
        ([{"type": "set_queue", "queue": "Tier 2"}], "actions.0.set_queue.queue"),
        ([{"type": "add_tags", "tags": []}], "actions.0.add_tags.tags"),
        ([{"type": "add_tags", "tags": "vip"}], "actions.0.add_tags.tags"),
        ([{"type": "set_assignee", "assignee": "bob"}], "actions.0.set_assignee.assignee"),
        ([{"type": "add_reply", "body": "Hi {{ customer.name }}"}], "actions.0.add_reply.body"),
        ([{"type": "add_note", "body": "{{ ''.__class__ }}"}], "actions.0.add_note.body"),
        ([{"type": "add_note", "body": "   "}], "actions.0.add_note.body"),
        ([{"type": "add_note", "body": "a\u202eb"}], "actions.0.add_note.body"),
        ("set_status", "actions"),
        ([{"type": "set_status", "status": "open"}] * 21, "actions"),
    ],
)
def test_bad_actions_name_the_field(data: Any, field: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_actions(data)
    assert field in [e["field"] for e in raised.value.errors]


def test_later_actions_win_and_tags_fold_in_order() -> None:
    ticket = _ticket(tags=("billing", "old"))
    actions = parse_actions(
        [
            {"type": "set_status", "status": "open"},
            {"type": "set_status", "status": "pending"},
            {"type": "add_tags", "tags": ["vip"]},
            {"type": "remove_tags", "tags": ["old", "vip"]},
            {"type": "add_tags", "tags": ["vip"]},
            {"type": "set_assignee", "assignee": USER_ID},
            {"type": "set_assignee", "assignee": "unassign"},
        ]
    )
    plan = plan_actions(actions, ticket, _context(ticket))
    assert plan.update.status == "pending"
    assert plan.update.tags == ("billing", "vip")
    assert plan.update.assignee_id is None
    assert not plan.hand_to_router and plan.comment is None


def test_router_unassigns_and_asks_for_routing() -> None:
    ticket = _ticket()
    plan = plan_actions(parse_actions([{"type": "set_assignee", "assignee": "router"}]), ticket, _context(ticket))
    assert plan.update.assignee_id is None and plan.hand_to_router


def test_reply_is_filled_in_and_only_one_comment_is_allowed() -> None:
    ticket = _ticket()
    reply = parse_actions([{"type": "add_reply", "body": "Hi {{ requester.first_name }}, #{{ ticket.number }}"}])
    plan = plan_actions(reply, ticket, _context(ticket))
    assert plan.comment is not None and plan.comment.public
    assert plan.comment.body == "Hi Cus, #2"
    with pytest.raises(ValidationFailed) as raised:
        plan_actions([*reply, *reply], ticket, _context(ticket))
    assert raised.value.errors[0]["field"] == "actions.1"


def test_reply_and_solve_as_one_change_leaves_it_solved() -> None:
    # GIVEN a new ticket WHEN a macro replies publicly and marks it solved
    ticket = _ticket()
    actions = parse_actions(
        [{"type": "add_reply", "body": "Fixed, {{ requester.name }}."}, {"type": "set_status", "status": "solved"}]
    )
    plan = plan_actions(actions, ticket, _context(ticket))
    assert plan.comment is not None
    request = ApplyActions(
        plan.update, AddComment("c1", plan.comment.body, plan.comment.public), {"macro": {"id": "m1", "name": "Fixed"}}
    )
    change = decide(ticket, AGENT, request, START + timedelta(minutes=5))
    # THEN one change: the reply, the first response, solved; history names the macro
    assert change is not None and change.after.status == "solved"
    assert change.comment is not None and change.comment.body == "Fixed, Cus Tomer."
    assert change.after.first_response_at is not None
    assert change.history.note == {"macro": {"id": "m1", "name": "Fixed"}}
    assert change.stream is not None and change.stream.kind == "commented" and change.stream.comment_id == "c1"
    assert change.audit.before is not None and change.audit.before["status"] == "new"
    assert change.audit.after is not None and change.audit.after["status"] == "solved"


def test_nothing_to_do_is_no_change() -> None:
    ticket = _ticket()
    plan = plan_actions(parse_actions([{"type": "add_tags", "tags": ["billing"]}]), ticket, _context(ticket))
    assert not plan.changes_fields()
    assert decide(ticket, AGENT, ApplyActions(plan.update, None, {}), START) is None


# --- property: the plan matches a plain reference fold --------------------------------------------

SOME_TAGS = st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=5)
field_actions = st.one_of(
    st.builds(lambda s: {"type": "set_status", "status": s}, st.sampled_from(["open", "pending", "solved"])),
    st.builds(lambda p: {"type": "set_priority", "priority": p}, st.sampled_from(["urgent", "high", "low"])),
    st.builds(lambda q: {"type": "set_queue", "queue": q}, st.sampled_from(["support", "tier-2"])),
    st.builds(lambda t: {"type": "add_tags", "tags": t}, SOME_TAGS),
    st.builds(lambda t: {"type": "remove_tags", "tags": t}, SOME_TAGS),
    st.builds(
        lambda a: {"type": "set_assignee", "assignee": a}, st.sampled_from(["unassign", "router", USER_ID, "c" * 32])
    ),
)


def _reference(data: list[dict[str, Any]], tags: tuple[str, ...]) -> dict[str, Any]:
    result: dict[str, Any] = {"status": None, "priority": None, "queue": None, "assignee": KEEP, "router": False}
    current = set(tags)
    for action in data:
        kind = action["type"]
        if kind in ("set_status", "set_priority", "set_queue"):
            name = kind.removeprefix("set_")
            result[name] = action[name]
        elif kind == "add_tags":
            current |= set(action["tags"])
        elif kind == "remove_tags":
            current -= set(action["tags"])
        else:
            result["router"] = action["assignee"] == "router"
            result["assignee"] = None if action["assignee"] in ("unassign", "router") else action["assignee"]
    result["tags"] = tuple(sorted(current)) if current != set(tags) else None
    return result


@given(st.lists(field_actions, max_size=20), st.lists(st.sampled_from(["a", "b", "x"]), unique=True))
def test_plan_matches_reference_fold(data: list[dict[str, Any]], tags: list[str]) -> None:
    ticket = _ticket(tags=tuple(tags))
    plan = plan_actions(parse_actions(data), ticket, _context(ticket))
    expected = _reference(data, ticket.tags)
    assert (plan.update.status, plan.update.priority, plan.update.queue) == (
        expected["status"],
        expected["priority"],
        expected["queue"],
    )
    assert plan.update.tags == expected["tags"]
    assert plan.update.assignee_id == expected["assignee"]
    assert plan.hand_to_router == expected["router"]


@given(st.lists(field_actions, max_size=20))
def test_parse_dump_round_trip(data: list[dict[str, Any]]) -> None:
    actions: list[TicketAction] = parse_actions(data)
    assert parse_actions(dump_actions(actions)) == actions
    assert all(not isinstance(a, AddReply | SetStatus) or a.type in ("add_reply", "set_status") for a in actions)
