from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.sla import DEFAULT_TARGETS, sla_due_at, sla_state

CREATED = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def test_due_for_first_response_then_for_resolution_then_never() -> None:
    target = DEFAULT_TARGETS["high"]
    assert sla_due_at(priority="high", created_at=CREATED, first_response_at=None, done=False) == (
        CREATED + target.first_response
    )
    responded = sla_due_at(priority="high", created_at=CREATED, first_response_at=CREATED, done=False)
    assert responded == CREATED + target.resolution
    assert sla_due_at(priority="high", created_at=CREATED, first_response_at=CREATED, done=True) is None


def test_states_over_time() -> None:
    due = CREATED + timedelta(hours=1)
    assert sla_state("urgent", None, False, CREATED) == "none"
    assert sla_state("urgent", due, False, CREATED) == "ok"
    assert sla_state("urgent", due, False, due - timedelta(minutes=10)) == "at_risk"
    assert sla_state("urgent", due, False, due) == "breached"
