"""One definition of a ticket waiting for an owner, and the old notification modules still answering
with the very objects that moved."""

from __future__ import annotations

import importlib
import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.tickets import OPEN_STATUSES, STATUSES
from chalicelib.domain.waiting import waits_for_owner


@given(st.sampled_from(STATUSES), st.one_of(st.none(), st.just(""), st.text(min_size=1, max_size=8)))
def test_a_ticket_waits_when_open_and_nobodys(status: str, assignee_id: str | None) -> None:
    assert waits_for_owner(assignee_id, status) == (status in OPEN_STATUSES and not assignee_id)


def test_solved_and_closed_tickets_never_wait() -> None:
    assert not waits_for_owner(None, "solved")
    assert not waits_for_owner(None, "closed")
    assert waits_for_owner(None, "pending")


@pytest.mark.parametrize("module", ["chalicelib.domain.notifications", "chalicelib.services.notifications"])
def test_the_transitional_modules_alias_the_moved_names(module: str) -> None:
    aliases = importlib.import_module(module)

    for name in aliases.__all__:
        value = getattr(aliases, name)
        if inspect.isfunction(value) or inspect.isclass(value):
            home = value.__module__
            assert home != module, f"{name} is defined in {module} again; it lives in its own module now"
            assert getattr(importlib.import_module(home), name) is value
