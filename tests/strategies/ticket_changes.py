"""Hypothesis strategies for sequences of ticket changes by any actor, shared by the pure property
tests (tests/unit) and the ones that commit through the data layer (tests/api)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from chalicelib.domain.actors import (
    ROUTER,
    Actor,
    ApiKeyActor,
    EmailRequester,
    Person,
    PortalRequester,
    RuleActor,
)
from chalicelib.domain.ticket_change import (
    KEEP,
    AddComment,
    AutoAssign,
    CreateTicket,
    Release,
    Request,
    Requester,
    SetWatching,
    Ticket,
    UpdateTicket,
    Watchers,
)
from chalicelib.domain.tickets import PRIORITIES, STATUSES

AGENTS = ("agent-a", "agent-b", "agent-c")
QUEUES = ("support", "billing")
TAGS = ("vip", "bug", "eu")
START = datetime(2026, 11, 1, 9, tzinfo=UTC)

actors: st.SearchStrategy[Actor] = st.one_of(
    st.sampled_from(AGENTS).map(lambda a: Person(a, a.title())),
    st.just(ApiKeyActor("key-1", "CI")),
    st.just(ROUTER),
    st.just(RuleActor("r1", "Escalate VIP")),
    st.just(EmailRequester("customer@example.com", "Cus Tomer")),
    st.just(PortalRequester("customer@example.com", "Cus Tomer")),
)
assignees = st.one_of(st.none(), st.sampled_from(AGENTS))


@dataclass(frozen=True)
class Creation:
    priority: str
    queue: str
    tags: tuple[str, ...]
    assignee_id: str | None


@dataclass(frozen=True)
class Step:
    """One thing someone asks of ticket number ``target`` (modulo how many there are)."""

    target: int
    actor: Actor
    action: str  # update | comment | watch | release | assign
    update: UpdateTicket
    public: bool = True
    user_id: str = AGENTS[0]
    watching: bool = True
    minutes: int = 1  # how long after the previous step it happens


creations = st.builds(
    Creation,
    priority=st.sampled_from(PRIORITIES),
    queue=st.sampled_from(QUEUES),
    tags=st.lists(st.sampled_from(TAGS), max_size=3).map(tuple),
    assignee_id=assignees,
)
updates = st.builds(
    UpdateTicket,
    status=st.one_of(st.none(), st.sampled_from(STATUSES)),
    priority=st.one_of(st.none(), st.sampled_from(PRIORITIES)),
    queue=st.one_of(st.none(), st.sampled_from(QUEUES)),
    tags=st.one_of(st.none(), st.lists(st.sampled_from(TAGS), max_size=3).map(tuple)),
    assignee_id=st.one_of(st.just(KEEP), assignees),
)
steps = st.builds(
    Step,
    target=st.integers(0, 5),
    actor=actors,
    action=st.sampled_from(("update", "update", "comment", "watch", "release", "assign")),
    update=updates,
    public=st.booleans(),
    user_id=st.sampled_from(AGENTS),
    watching=st.booleans(),
    minutes=st.integers(0, 600),
)


def create_request(n: int, creation: Creation) -> CreateTicket:
    return CreateTicket(
        ticket_id=f"t{n}",
        number=n + 1,
        subject=f"Problem {n}",
        description="It broke.",
        requester=Requester("Customer@Example.com", "Cus Tomer"),
        priority=creation.priority,
        queue=creation.queue,
        tags=creation.tags,
        assignee_id=creation.assignee_id,
    )


def request_for(step: Step, current: Ticket, watchers: Watchers, n: int) -> Request:
    """The request a step makes of the ticket as it is now (``n`` numbers new comments)."""
    if step.action == "update":
        return step.update
    if step.action == "comment":
        return AddComment(f"c{n}", "Thanks, looking into it.", step.public)
    if step.action == "watch":
        return SetWatching(step.user_id, step.watching, watchers)
    if step.action == "release":
        return Release("agent became unavailable")
    return AutoAssign(step.user_id, {"automatic": True, "chosen": step.user_id})


def clock(step_minutes: list[int]) -> list[datetime]:
    moments, now = [], START
    for minutes in step_minutes:
        now += timedelta(minutes=minutes)
        moments.append(now)
    return moments
