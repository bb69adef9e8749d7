"""Which business events a stored ticket change is, as the workflows consumer counts them."""

from __future__ import annotations

import pytest

from chalicelib.data.models import TicketItem, UserItem
from chalicelib.observability import BusinessEvent
from chalicelib.workers.business_metrics import ticket_milestones
from chalicelib.workers.stream import ItemChange

CREATED, SOLVED, ASSIGNED = BusinessEvent.TICKET_CREATED, BusinessEvent.TICKET_SOLVED, BusinessEvent.ASSIGNMENT_MADE


def ticket(status: str = "new", assignee_id: str | None = None) -> TicketItem:
    return TicketItem("T#t#TICKET#1", "#TICKET", status=status, assignee_id=assignee_id)


def change(old: TicketItem | None, new: TicketItem) -> ItemChange:
    return ItemChange("evt-1", "INSERT" if old is None else "MODIFY", old, new)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (None, ticket(), [CREATED]),
        (None, ticket(assignee_id="u1"), [CREATED, ASSIGNED]),
        (None, ticket("solved", "u1"), [CREATED, SOLVED, ASSIGNED]),  # a seeded, worked ticket
        (ticket(), ticket(assignee_id="u1"), [ASSIGNED]),
        (ticket(assignee_id="u1"), ticket(assignee_id="u2"), [ASSIGNED]),  # handed over: a new assignment
        (ticket(assignee_id="u1"), ticket(), []),  # released
        (ticket("open", "u1"), ticket("solved", "u1"), [SOLVED]),
        (ticket("solved", "u1"), ticket("solved", "u1"), []),  # a later change while solved
        (ticket("solved", "u1"), ticket("open", "u1"), []),  # reopened
    ],
)
def test_a_change_reaches_the_milestones_it_crosses(
    old: TicketItem | None, new: TicketItem, expected: list[BusinessEvent]
) -> None:
    assert ticket_milestones(change(old, new)) == expected


def test_other_items_and_removals_count_nothing() -> None:
    assert ticket_milestones(ItemChange("e", "INSERT", None, UserItem("T#t#USER", "u1"))) == []
    assert ticket_milestones(ItemChange("e", "REMOVE", ticket(), None)) == []
