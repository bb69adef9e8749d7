"""Random ticket lives built with the real rules (``decide``), for the metrics tests: each step is a
``TicketChange`` with the ticket before and after, its stream record and its history entry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from chalicelib.domain.actors import ROUTER, Actor, EmailRequester, Person
from chalicelib.domain.errors import DomainError
from chalicelib.domain.metrics_fold import TicketFacts
from chalicelib.domain.ticket_change import (
    AddComment,
    CreateTicket,
    Requester,
    Ticket,
    TicketChange,
    UpdateTicket,
    decide,
)

START = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
AGENTS = (Person("u1", "Ana"), Person("u2", "Bo"))
STATUSES = ("open", "pending", "on_hold", "solved", "closed")
PRIORITIES = ("urgent", "high", "normal", "low")
QUEUES = ("general", "billing")
TAGS = ("vip", "bug", "login")
SUBJECTS = ("Cannot login to the portal", "Refund for invoice", "Login broken again", "Export fails")


@dataclass(frozen=True)
class Step:
    """One thing done to a ticket, ``minutes`` after the step before."""

    minutes: int
    action: str  # status | priority | assign | queue | tags | reply | note | customer
    value: str | tuple[str, ...] | None = None
    actor: int = 0


steps = st.builds(
    Step,
    minutes=st.integers(min_value=0, max_value=36 * 60),
    action=st.sampled_from(("status", "priority", "assign", "queue", "tags", "reply", "note", "customer")),
    value=st.one_of(
        st.sampled_from(STATUSES + PRIORITIES + QUEUES),
        st.none(),
        st.lists(st.sampled_from(TAGS), max_size=2, unique=True).map(tuple),
    ),
    actor=st.integers(min_value=0, max_value=1),
)


@dataclass(frozen=True)
class Life:
    number: int
    subject: str
    priority: str
    queue: str
    tags: tuple[str, ...]
    assignee: int | None
    offset_minutes: int
    steps: tuple[Step, ...]


lives = st.builds(
    Life,
    number=st.integers(min_value=1, max_value=10**6),
    subject=st.sampled_from(SUBJECTS),
    priority=st.sampled_from(PRIORITIES),
    queue=st.sampled_from(QUEUES),
    tags=st.lists(st.sampled_from(TAGS), max_size=2, unique=True).map(tuple),
    assignee=st.one_of(st.none(), st.integers(min_value=0, max_value=1)),
    offset_minutes=st.integers(min_value=0, max_value=3 * 24 * 60),
    steps=st.lists(steps, max_size=8).map(tuple),
)


def live(life: Life, ticket_id: str | None = None) -> Iterator[TicketChange]:
    """The changes of one ticket's life, as the rules allow them (a refused step is skipped)."""
    now = START + timedelta(minutes=life.offset_minutes)
    create = CreateTicket(
        ticket_id=ticket_id or f"t{life.number}",
        number=life.number,
        subject=life.subject,
        description="",
        requester=Requester("c@example.com", "C"),
        priority=life.priority,
        queue=life.queue,
        tags=life.tags,
        assignee_id=AGENTS[life.assignee].user_id if life.assignee is not None else None,
    )
    change = decide(None, ROUTER, create, now)
    assert change is not None
    ticket = _stored(change.after, 1)
    yield change
    for index, step in enumerate(life.steps):
        now += timedelta(minutes=step.minutes)
        actor, request = _request(step, index)
        try:
            change = decide(ticket, actor, request, now)
        except DomainError:
            continue
        if change is None:
            continue
        ticket = _stored(change.after, (ticket.version or 0) + 1)
        yield change


def _stored(ticket: Ticket, version: int) -> Ticket:
    from dataclasses import replace

    return replace(ticket, version=version)


def _request(step: Step, index: int) -> tuple[Actor, CreateTicket | UpdateTicket | AddComment]:
    """Comment ids are unique per life: two steps may share a minute, and a comment is written once."""
    agent = AGENTS[step.actor]
    value = step.value
    if step.action == "status" and value in STATUSES:
        return agent, UpdateTicket(status=str(value))
    if step.action == "priority" and value in PRIORITIES:
        return agent, UpdateTicket(priority=str(value))
    if step.action == "queue" and value in QUEUES:
        return agent, UpdateTicket(queue=str(value))
    if step.action == "tags" and isinstance(value, tuple):
        return agent, UpdateTicket(tags=value)
    if step.action == "assign":
        return agent, UpdateTicket(assignee_id=None if value is None else agent.user_id)
    if step.action in ("reply", "note"):
        return agent, AddComment(f"c{index}", "text", public=step.action == "reply")
    return EmailRequester("c@example.com", "C"), AddComment(f"r{index}", "more", public=True)


def facts(ticket: Ticket) -> TicketFacts:
    return TicketFacts(
        ticket_id=ticket.ticket_id,
        status=ticket.status,
        priority=ticket.priority,
        assignee_id=ticket.assignee_id,
        queue=ticket.queue,
        tags=ticket.tags,
        channel=ticket.channel,
        subject=ticket.subject,
        created_at=ticket.created_at,
        first_response_at=ticket.first_response_at,
        first_response_due_at=ticket.clock.first_response_due_at,
        resolution_due_at=ticket.clock.resolution_due_at,
    )
