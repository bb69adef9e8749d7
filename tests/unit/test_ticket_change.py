"""The unit of work of every ticket write, as pure code: any sequence of changes by any actor keeps
history, audit, load counters and the stream contract consistent with the tickets themselves."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.actors import (
    ROUTER,
    Anonymous,
    ApiKeyActor,
    EmailRequester,
    Person,
    PortalRequester,
    RuleActor,
    actor_from_dict,
)
from chalicelib.domain.errors import DomainError, InvalidTransition, ValidationFailed
from chalicelib.domain.ticket_change import (
    MAX_WATCHERS,
    AddComment,
    HistoryEntry,
    Release,
    SetWatching,
    Ticket,
    TicketChange,
    UpdateTicket,
    Watchers,
    create,
    decide,
    parse_stream_change,
    replay,
    tracked,
)
from chalicelib.domain.tickets import is_open
from tests.strategies.ticket_changes import (
    START,
    Creation,
    Step,
    clock,
    create_request,
    creations,
    request_for,
    steps,
)


@dataclass
class Desk:
    """What the data layer would hold after committing each change: the tickets, their history and
    watchers, the audit log and the agents' load counters."""

    created: dict[str, Ticket] = field(default_factory=dict)
    tickets: dict[str, Ticket] = field(default_factory=dict)
    history: dict[str, list[HistoryEntry]] = field(default_factory=dict)
    watchers: dict[str, Watchers] = field(default_factory=dict)
    loads: Counter[tuple[str, str]] = field(default_factory=Counter)
    changes: list[TicketChange] = field(default_factory=list)

    def commit(self, change: TicketChange) -> None:
        ticket_id = change.after.ticket_id
        if change.before is None:
            self.created[ticket_id] = change.after
            self.history[ticket_id] = []
            self.watchers[ticket_id] = Watchers()
        else:
            assert self.tickets[ticket_id] == change.before  # decided on what is stored
        self.tickets[ticket_id] = change.after
        self.history[ticket_id].append(change.history)
        if change.watchers is not None:
            self.watchers[ticket_id] = change.watchers
        for delta in change.load_deltas:
            for priority, moved in delta.by_priority.items():
                self.loads[(delta.user_id, priority)] += moved
        self.changes.append(change)


def run(creations_made: list[Creation], steps_made: list[Step]) -> Desk:
    desk = Desk()
    moments = clock([s.minutes for s in steps_made])
    for n, creation in enumerate(creations_made):
        desk.commit(create(ROUTER if n % 2 else steps_made[0].actor, create_request(n, creation), START))
    ids = list(desk.tickets)
    for n, (step, now) in enumerate(zip(steps_made, moments, strict=True)):
        ticket_id = ids[step.target % len(ids)]
        current = desk.tickets[ticket_id]
        try:
            change = decide(current, step.actor, request_for(step, current, desk.watchers[ticket_id], n), now)
        except DomainError:
            continue  # refused by the rules: nothing is written
        if change is not None:
            desk.commit(change)
    return desk


changes_by_anyone = st.tuples(st.lists(creations, min_size=1, max_size=3), st.lists(steps, min_size=1, max_size=25))


@settings(max_examples=150, deadline=None)
@given(changes_by_anyone)
def test_replaying_the_history_gives_the_ticket(scenario: tuple[list[Creation], list[Step]]) -> None:
    desk = run(*scenario)
    for ticket_id, ticket in desk.tickets.items():
        # the first entry is the creation ("created": status), the rest replay onto it
        assert replay(desk.created[ticket_id], desk.history[ticket_id][1:]) == tracked(ticket)
        watched: list[str] = []
        for entry in desk.history[ticket_id]:
            watched = next((c.after for c in entry.changes if c.field == "watchers"), watched)
        assert watched == list(desk.watchers[ticket_id].user_ids)


@settings(max_examples=150, deadline=None)
@given(changes_by_anyone)
def test_load_counters_are_the_open_assigned_tickets(scenario: tuple[list[Creation], list[Step]]) -> None:
    desk = run(*scenario)
    expected = Counter(
        (t.assignee_id, t.priority) for t in desk.tickets.values() if t.assignee_id is not None and is_open(t.status)
    )
    assert +desk.loads == expected  # (+ drops the zeros)
    assert all(n >= 0 for n in desk.loads.values())


@settings(max_examples=150, deadline=None)
@given(changes_by_anyone)
def test_every_change_has_one_audit_entry_one_history_entry_and_a_stream_record(
    scenario: tuple[list[Creation], list[Step]],
) -> None:
    desk = run(*scenario)
    assert sum(len(h) for h in desk.history.values()) == len(desk.changes)
    for change in desk.changes:
        ticket = change.after
        assert change.audit.actor == change.actor == change.history.actor
        assert change.audit.target.to_dict() == {"type": "ticket", "id": ticket.ticket_id, "number": str(ticket.number)}
        assert change.history.at == change.at
        if change.kind == "watchers":
            assert change.stream is None and change.after == change.before  # the version does not move
        else:
            assert change.stream is not None
            assert parse_stream_change(change.stream.to_dict()) == change.stream
            assert change.stream.fields == change.fields
            assert ticket.updated_at == change.at


def test_the_stream_contract_is_versioned_and_reads_records_written_before_it() -> None:
    change = create(Person("u1", "Ann"), create_request(0, Creation("high", "support", ("vip",), "u1")), START)
    assert change.stream is not None
    written = change.stream.to_dict()
    assert written == {
        "schema": 1,
        "kind": "created",
        "actor": {"type": "user", "id": "u1", "name": "Ann"},
        "fields": [],
        "at": START.isoformat(),
    }
    legacy = {k: v for k, v in written.items() if k != "schema"}
    assert parse_stream_change(legacy) == change.stream
    assert parse_stream_change(None) is None


@pytest.mark.parametrize(
    "actor",
    [
        Person("u1", "Ann"),
        ApiKeyActor("k1", "CI"),
        ROUTER,
        RuleActor("r7", "VIP first"),
        EmailRequester("c@example.com", "C"),
        PortalRequester("c@example.com", "C"),
        Anonymous(),
    ],
)
def test_every_actor_reads_back_as_itself(actor: object) -> None:
    assert actor_from_dict(actor.to_dict()) == actor  # type: ignore[attr-defined]


def test_actors_keep_their_stored_shapes() -> None:
    assert ROUTER.to_dict() == {"type": "system", "id": "system", "name": "Pulsedesk"}
    assert RuleActor("r7", "VIP first").to_dict()["id"] == "rule:r7"
    assert EmailRequester("c@example.com", "C").to_dict()["channel"] == "email"


def test_the_channel_a_ticket_arrives_by_follows_its_actor() -> None:
    request = create_request(0, Creation("normal", "support", (), None))
    assert create(ApiKeyActor("k", "CI"), request, START).after.channel == "api"
    assert create(EmailRequester("c@example.com", "C"), request, START).after.channel == "email"
    assert create(Person("u", "Ann"), request, START).after.channel == "web"


def test_only_a_persons_public_reply_is_the_first_response() -> None:
    ticket = create(ROUTER, create_request(0, Creation("normal", "support", (), None)), START).after
    later = START + timedelta(minutes=5)
    by_rule = decide(ticket, RuleActor("r", "R"), AddComment("c1", "hi", True), later)
    by_person = decide(ticket, Person("u", "Ann"), AddComment("c2", "hi", True), later)
    assert by_rule is not None and by_rule.after.first_response_at is None
    assert by_person is not None and by_person.after.first_response_at == later
    assert by_person.stream is not None and by_person.stream.comment_id == "c2"


def test_a_change_that_changes_nothing_writes_nothing() -> None:
    ticket = create(ROUTER, create_request(0, Creation("normal", "support", ("vip",), None)), START).after
    assert decide(ticket, ROUTER, UpdateTicket(priority="normal", tags=("vip",)), START) is None
    assert decide(ticket, ROUTER, Release("gone"), START) is None  # nobody to release
    assert decide(ticket, ROUTER, SetWatching("u", False, Watchers()), START) is None


def test_refusals_are_domain_errors() -> None:
    ticket = create(ROUTER, create_request(0, Creation("normal", "support", (), None)), START).after
    with pytest.raises(InvalidTransition):
        decide(ticket, ROUTER, UpdateTicket(status="closed"), START)
    full = Watchers(tuple(f"u{n:02}" for n in range(MAX_WATCHERS)), version=3)
    with pytest.raises(ValidationFailed):
        decide(ticket, ROUTER, SetWatching("another", True, full), START)
