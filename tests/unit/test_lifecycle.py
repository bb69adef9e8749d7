"""The ticket state machine: every allowed and every forbidden transition, and the reply rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.errors import InvalidTransition
from chalicelib.domain.tickets import STATUSES, TRANSITIONS, TicketState, after_reply, change_status

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
ALLOWED = {
    ("new", "open"),
    ("new", "pending"),
    ("new", "on_hold"),
    ("new", "solved"),
    ("open", "pending"),
    ("open", "on_hold"),
    ("open", "solved"),
    ("pending", "open"),
    ("pending", "on_hold"),
    ("pending", "solved"),
    ("on_hold", "open"),
    ("on_hold", "pending"),
    ("on_hold", "solved"),
    ("solved", "open"),
    ("solved", "closed"),
}
PAIRS = [(a, b) for a in STATUSES for b in STATUSES if a != b]


def state(status: str, **kw: object) -> TicketState:
    return TicketState(status=status, priority="normal", created_at=NOW - timedelta(hours=1), **kw)  # type: ignore[arg-type]


def test_the_table_is_exactly_the_documented_lifecycle() -> None:
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(("current", "requested"), sorted(ALLOWED))
def test_allowed_transition_applies(current: str, requested: str) -> None:
    assert change_status(state(current), requested, NOW).status == requested


@pytest.mark.parametrize(("current", "requested"), [p for p in PAIRS if p not in ALLOWED])
def test_forbidden_transition_names_both_states(current: str, requested: str) -> None:
    with pytest.raises(InvalidTransition) as raised:
        change_status(state(current), requested, NOW)
    assert raised.value.extra == {"current": current, "requested": requested}
    assert current in raised.value.detail and requested in raised.value.detail


def test_closed_is_final() -> None:
    assert TRANSITIONS["closed"] == frozenset()


def test_solving_stamps_solved_at_and_reopening_clears_it() -> None:
    solved = change_status(state("open"), "solved", NOW)
    assert solved.solved_at == NOW
    reopened = change_status(solved, "open", NOW + timedelta(minutes=5))
    assert reopened.solved_at is None


def test_first_public_agent_reply_opens_a_new_ticket_and_stamps_first_response_once() -> None:
    first = after_reply(state("new"), public=True, by_agent=True, now=NOW)
    assert first.status == "open" and first.first_response_at == NOW
    second = after_reply(first, public=True, by_agent=True, now=NOW + timedelta(hours=1))
    assert second.first_response_at == NOW


def test_internal_note_changes_nothing() -> None:
    assert after_reply(state("new"), public=False, by_agent=True, now=NOW) == state("new")


def test_public_reply_reopens_a_solved_ticket() -> None:
    reopened = after_reply(state("solved", solved_at=NOW), public=True, by_agent=True, now=NOW)
    assert reopened.status == "open" and reopened.solved_at is None


def test_public_reply_on_closed_ticket_is_refused() -> None:
    with pytest.raises(InvalidTransition):
        after_reply(state("closed"), public=True, by_agent=True, now=NOW)


def test_reply_from_an_api_key_is_not_a_first_response() -> None:
    replied = after_reply(state("open"), public=True, by_agent=False, now=NOW)
    assert replied.first_response_at is None
