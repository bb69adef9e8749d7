"""Merging as pure code: the duplicate is closed from any open or solved status and points to the
target with a public notice; the target takes the copies with an internal note; bad merges name the field."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.actors import Person
from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.ticket_change import (
    MAX_CARRIED,
    MergeAway,
    MergeIn,
    MergeTarget,
    NewComment,
    Ticket,
    create,
    decide,
)
from tests.strategies.ticket_changes import START, Creation, create_request

AGENT = Person("a" * 32, "Grace")
LATER = START + timedelta(hours=1)


def _ticket(n: int, status: str = "new") -> Ticket:
    return replace(
        create(AGENT, create_request(n, Creation("normal", "support", (), None)), START).after, status=status, version=1
    )


@given(st.sampled_from(["new", "open", "pending", "on_hold", "solved"]))
def test_a_duplicate_in_any_status_but_closed_is_closed_and_points_to_the_target(status: str) -> None:
    duplicate, target = _ticket(1, status), _ticket(2)
    change = decide(duplicate, AGENT, MergeAway("c1", "Merged into #3", MergeTarget(target.ticket_id, 3)), LATER)
    assert change is not None
    assert change.after.status == "closed" and change.after.merged_into == MergeTarget(target.ticket_id, 3)
    assert change.comment is not None and change.comment.public and change.comment.body == "Merged into #3"
    assert change.stream is not None and change.stream.kind == "commented" and change.stream.public is True
    assert change.history.note == {"merged_into": {"id": target.ticket_id, "number": 3}}
    assert change.after.record()["merged_into"] == {"id": target.ticket_id, "number": 3}
    assert {"status", "merged_into"} <= {f.field for f in change.fields}


def test_the_target_takes_the_copies_with_an_internal_note() -> None:
    target = _ticket(2)
    copy = NewComment("k1", "Hello", True, AGENT, START)
    change = decide(target, AGENT, MergeIn("c2", "Merged #1", MergeTarget("t1", 1), (copy,)), LATER)
    assert change is not None and change.carried == (copy,)
    assert change.comment is not None and not change.comment.public
    assert change.after.status == target.status
    assert change.history.note == {"merged_from": {"id": "t1", "number": 1}, "carried": 1}
    assert change.audit.action == "ticket.merged_into"


@pytest.mark.parametrize(
    ("request_for", "field"),
    [
        (lambda d, t: (replace(d, status="closed"), MergeAway("c", "x", MergeTarget(t.ticket_id, 2))), "id"),
        (lambda d, t: (d, MergeAway("c", "x", MergeTarget(d.ticket_id, 1))), "into"),
        (lambda d, t: (replace(t, status="closed"), MergeIn("c", "x", MergeTarget(d.ticket_id, 1), ())), "into"),
        (
            lambda d, t: (replace(t, merged_into=MergeTarget("t9", 9)), MergeIn("c", "x", MergeTarget("t1", 1), ())),
            "into",
        ),
        (
            lambda d, t: (
                t,
                MergeIn(
                    "c", "x", MergeTarget("t1", 1), (NewComment("k", "b", True, AGENT, START),) * (MAX_CARRIED + 1)
                ),
            ),
            "id",
        ),
    ],
)
def test_bad_merges_name_the_field(request_for, field) -> None:  # type: ignore[no-untyped-def]
    current, request = request_for(_ticket(1), _ticket(2))
    with pytest.raises(ValidationFailed) as raised:
        decide(current, AGENT, request, LATER)
    assert raised.value.errors[0]["field"] == field
