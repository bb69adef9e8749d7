"""A ticket's changes told again from its history, in the shape the stream tells them, so the rebuild
job folds exactly what the stream consumer folded. Pure code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain.actors import Actor, answers_as_agent
from chalicelib.domain.clock import from_text
from chalicelib.domain.metrics_fold import Happening, TicketFacts
from chalicelib.domain.ticket_change import FieldChange

PUBLIC_REPLY = "public reply"


@dataclass(frozen=True)
class Told:
    """One history entry: when, who, and the field changes it recorded."""

    at: datetime
    actor: Actor
    fields: tuple[FieldChange, ...]


def happening(at: datetime, actor: Actor, fields: tuple[FieldChange, ...]) -> Happening:
    """The same reading for a stream record's ``last_change`` and a history entry: a public reply
    counts as an agent's reply when a person wrote it."""
    public = any(f.field == "comment" and f.after == PUBLIC_REPLY for f in fields)
    return Happening(at, fields, agent_public_reply=public and answers_as_agent(actor))


def replayed(current: TicketFacts, history: Sequence[Told]) -> list[tuple[TicketFacts, Happening]]:
    """For each entry, oldest first: the ticket right after it, and what it did. The states are
    found by undoing the entries from the current ticket backwards (every tracked field change
    records its value before)."""
    states: list[TicketFacts] = []
    state = current
    for told in reversed(history):
        states.append(state)
        state = _undo(state, told.fields)
    states.reverse()
    return [(after, happening(told.at, told.actor, told.fields)) for after, told in zip(states, history, strict=True)]


def _undo(state: TicketFacts, fields: tuple[FieldChange, ...]) -> TicketFacts:
    for change in fields:
        value = change.before
        if change.field == "status" and value is not None:
            state = replace(state, status=str(value))
        elif change.field == "priority" and value is not None:
            state = replace(state, priority=str(value))
        elif change.field == "queue" and value is not None:
            state = replace(state, queue=str(value))
        elif change.field == "assignee_id":
            state = replace(state, assignee_id=value)
        elif change.field == "tags":
            state = replace(state, tags=tuple(value or ()))
        elif change.field == "first_response_at":
            state = replace(state, first_response_at=from_text(value) if value else None)
        # the SLA clock's deadlines, where history recorded them moving (a pause, a resume, a re-plan)
        elif change.field == "first_response_due_at":
            state = replace(state, first_response_due_at=from_text(value) if value else None)
        elif change.field == "resolution_due_at":
            state = replace(state, resolution_due_at=from_text(value) if value else None)
    return state
