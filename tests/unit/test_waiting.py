"""One definition of a ticket waiting for an owner (``domain/tickets.waiting_for_owner``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.tickets import OPEN_STATUSES, STATUSES, waiting_for_owner


@given(st.sampled_from(STATUSES), st.one_of(st.none(), st.just(""), st.text(min_size=1, max_size=8)))
def test_a_ticket_waits_when_open_and_nobodys(status: str, assignee_id: str | None) -> None:
    assert waiting_for_owner(status, assignee_id) == (status in OPEN_STATUSES and not assignee_id)


def test_solved_and_closed_tickets_never_wait() -> None:
    assert not waiting_for_owner("solved", None)
    assert not waiting_for_owner("closed", None)
    assert waiting_for_owner("pending", None)
