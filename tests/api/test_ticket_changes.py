"""Every ticket change committed through the data layer (moto's DynamoDB): what is stored agrees
with itself whatever sequence of changes, by whichever actor, was committed."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.data import assignment as loads_repo
from chalicelib.data import audit as audit_repo
from chalicelib.data import ticket_changes
from chalicelib.data import tickets as repo
from chalicelib.data.store import TransactionConflict
from chalicelib.data.ticket_changes import commit, retrying, ticket_of, watchers_of
from chalicelib.domain.actors import ROUTER, Person, actor_from_dict
from chalicelib.domain.errors import Conflict, DomainError
from chalicelib.domain.ticket_change import (
    AutoAssign,
    FieldChange,
    HistoryEntry,
    SetWatching,
    Ticket,
    TicketChange,
    UpdateTicket,
    create,
    decide,
    parse_stream_change,
    replay,
    tracked,
)
from chalicelib.domain.tickets import is_open
from tests.api.client import ApiClient, Workspace
from tests.api.dynamo_calls import dynamo_calls
from tests.strategies.ticket_changes import START, Creation, Step, create_request, creations, request_for, steps

pytestmark = pytest.mark.usefixtures("aws")

# History sorts by time: steps here are at least a minute apart, as real writes are apart in time.
spaced_steps = steps.filter(lambda s: s.minutes > 0)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(st.lists(creations, min_size=1, max_size=2), st.lists(spaced_steps, min_size=1, max_size=10))
def test_committed_changes_keep_history_loads_audit_and_stream_consistent(
    creations_made: list[Creation], steps_made: list[Step]
) -> None:
    tenant_id = f"prop-{uuid.uuid4().hex}"
    committed: list[TicketChange] = []
    created: dict[str, Ticket] = {}
    for n, creation in enumerate(creations_made):
        change = create(steps_made[0].actor, create_request(n, creation), START)
        commit(tenant_id, change)
        committed.append(change)
        created[change.after.ticket_id] = change.after
    ids, now = list(created), START
    for n, step in enumerate(steps_made):
        now += timedelta(minutes=step.minutes)
        ticket_id = ids[step.target % len(ids)]
        item = repo.get_ticket(tenant_id, ticket_id)
        assert item is not None
        current = ticket_of(item)
        watchers = watchers_of(repo.get_watchers(tenant_id, ticket_id))
        try:
            change = decide(current, step.actor, request_for(step, current, watchers, n), now)
        except DomainError:
            continue
        if change is not None:
            commit(tenant_id, change)
            committed.append(change)

    stored = {t: repo.get_ticket(tenant_id, t) for t in ids}
    for ticket_id, item in stored.items():
        assert item is not None
        history = [
            HistoryEntry(h.at, actor_from_dict(h.actor), tuple(FieldChange.from_dict(c) for c in h.changes), h.note)  # type: ignore[arg-type]
            for h in repo.list_history(tenant_id, ticket_id, 1000, None)[0]
        ]
        assert replay(created[ticket_id], history[1:]) == tracked(ticket_of(item))
        last = next(c for c in reversed(committed) if c.after.ticket_id == ticket_id and c.stream is not None)
        assert parse_stream_change(item.last_change) == last.stream
        assert int(item.version) == sum(1 for c in committed if c.after.ticket_id == ticket_id and c.stream)

    expected = Counter(
        (t.assignee_id, t.priority)
        for t in (ticket_of(i) for i in stored.values() if i is not None)
        if t.assignee_id is not None and is_open(t.status)
    )
    counters = Counter(
        {
            (user, p): n
            for user, item in loads_repo.all_loads(tenant_id).items()
            for p, n in item.open_by_priority.items()
        }
    )
    assert +counters == expected

    events, _ = audit_repo.list_events(tenant_id, 1000, None)
    assert len(events) == len(committed)
    assert Counter(e.action for e in events) == Counter(c.audit.action for c in committed)


def test_a_lost_race_on_a_load_counter_writes_nothing_and_is_retried_from_fresh_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN two waiting tickets and an agent
    tenant_id = f"race-{uuid.uuid4().hex}"
    tickets = [create(ROUTER, create_request(n, Creation("high", "support", (), None)), START) for n in range(2)]
    for change in tickets:
        commit(tenant_id, change)

    def assign(n: int) -> TicketChange:
        item = repo.get_ticket(tenant_id, f"t{n}")
        assert item is not None
        change = decide(ticket_of(item), ROUTER, AutoAssign("agent-a", {"automatic": True}), START)
        assert change is not None
        return change

    # WHEN the second commit read the agent's counter before the first one saved it
    stale = loads_repo.load_item(tenant_id, "agent-a")
    commit(tenant_id, assign(0))
    with monkeypatch.context() as interleaved:
        interleaved.setattr(ticket_changes, "load_item", lambda tenant, user: stale)
        with pytest.raises(TransactionConflict):
            commit(tenant_id, assign(1))

    # THEN the loser wrote nothing, and retrying re-reads and lands on top of the winner
    assert ticket_of(repo.get_ticket(tenant_id, "t1")).assignee_id is None  # type: ignore[arg-type]
    assert len(audit_repo.list_events(tenant_id, 100, None)[0]) == 3
    retrying(lambda: commit(tenant_id, assign(1)), "gave up")
    assert loads_repo.load_item(tenant_id, "agent-a").open_by_priority == {"high": 2}
    assert len(audit_repo.list_events(tenant_id, 100, None)[0]) == 4


def test_retrying_gives_up_with_a_conflict_after_its_attempts() -> None:
    calls: list[int] = []

    def always_losing() -> None:
        calls.append(1)
        raise TransactionConflict(["ConditionalCheckFailed"])

    with pytest.raises(Conflict, match="too fast"):
        retrying(always_losing, "changing too fast", attempts=3)
    assert len(calls) == 3


def test_a_watcher_change_leaves_the_ticket_version_alone() -> None:
    tenant_id = f"watch-{uuid.uuid4().hex}"
    change = create(Person("u1", "Ann"), create_request(0, Creation("low", "support", (), None)), START)
    commit(tenant_id, change)
    item = repo.get_ticket(tenant_id, "t0")
    assert item is not None

    watching = decide(
        ticket_of(item),
        Person("u1", "Ann"),
        SetWatching("u1", True, watchers_of(repo.get_watchers(tenant_id, "t0"))),
        START,
    )
    assert watching is not None
    assert commit(tenant_id, watching).watcher_ids == ("u1",)
    after = repo.get_ticket(tenant_id, "t0")
    assert after is not None and after.version == item.version
    assert decide(ticket_of(after), ROUTER, UpdateTicket(), START) is None


def test_each_write_path_reads_what_it_writes_and_no_more(api: ApiClient, workspace: Workspace) -> None:
    """The unit of work costs what the hand-built paths cost (the same calls, counted before the
    change): one read of what is changed, one read per load counter that moves, one transaction."""
    admin = workspace.token("admin")
    api.put("/settings/routing", {"auto_assign_default": False}, admin)
    made: dict[str, list[str]] = {}
    for label, assignee in (("unassigned", None), ("assigned", workspace.members["agent"].id)):
        body = {"subject": "S", "description": "d", "requester": {"email": "m@example.com", "name": "M"}}
        with dynamo_calls() as calls:
            ticket = api.post("/tickets", {**body, "assignee_id": assignee}, admin).body
        made[f"create {label}"] = [c[0] for c in calls]
        with dynamo_calls() as calls:
            assert api.patch(f"/tickets/{ticket['id']}", {"priority": "high", "version": 1}, admin).status == 200
        made[f"patch {label}"] = [c[0] for c in calls]
        with dynamo_calls() as calls:
            assert api.post(f"/tickets/{ticket['id']}/comments", {"body": "hi", "public": True}, admin).status == 201
        made[f"comment {label}"] = [c[0] for c in calls]
        with dynamo_calls() as calls:
            assert api.put(f"/tickets/{ticket['id']}/watchers/me", None, admin).status == 200
        made[f"watch {label}"] = [c[0] for c in calls]
    write, get, number = "TransactWriteItems", "GetItem", "UpdateItem"
    assert made == {
        "create unassigned": [number, write],
        "patch unassigned": [get, write],
        "comment unassigned": [get, write],
        "watch unassigned": [get, get, write],
        # the assignee's user, the queue (who may work it), the number, their counter
        "create assigned": [get, get, number, get, write],
        "patch assigned": [get, get, write],  # the ticket, the assignee's counter
        "comment assigned": [get, write],
        "watch assigned": [get, get, write],  # the ticket, its watcher list
    }
