from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.clock import to_text
from chalicelib.domain.sla import CHECK_AHEAD, missed_deadline, needs_early_check

CREATED = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def test_a_deadline_is_missed_only_if_still_the_same_and_past() -> None:
    due = to_text(CREATED)
    ticket = {"status": "open", "sla_due_at": due}
    assert missed_deadline(ticket, due, CREATED)
    assert not missed_deadline(ticket, due, CREATED - timedelta(seconds=1))
    assert not missed_deadline({"status": "solved", "sla_due_at": None}, due, CREATED)
    assert not missed_deadline({**ticket, "sla_due_at": to_text(CREATED + timedelta(hours=1))}, due, CREATED)


def test_a_change_needs_an_early_check_only_for_a_deadline_the_sweep_may_have_passed() -> None:
    soon = {"status": "open", "sla_due_at": to_text(CREATED + CHECK_AHEAD)}
    assert needs_early_check(soon, CREATED)
    assert needs_early_check({**soon, "sla_due_at": to_text(CREATED - timedelta(days=1))}, CREATED)
    assert not needs_early_check({**soon, "sla_due_at": to_text(CREATED + 2 * CHECK_AHEAD)}, CREATED)
    assert not needs_early_check({"status": "open", "sla_due_at": None}, CREATED)
