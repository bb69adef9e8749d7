"""A stream batch serves each workspace's waiting queue once (chalicelib/workers/routing.py): records
only note what they ask of automatic assignment; a queue that fails fails the records that asked."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.data.models import QueueItem, TicketItem, UserItem
from chalicelib.domain.assignment import RoutingSettings
from chalicelib.services import assignment
from chalicelib.workers import routing
from chalicelib.workers.stream import ItemChange


def _ticket(tenant: str, ticket_id: str, status: str, assignee: str | None = None) -> TicketItem:
    return TicketItem(
        f"T#{tenant}#TICKET#{ticket_id}",
        "#TICKET",
        tenant_id=tenant,
        ticket_id=ticket_id,
        status=status,
        assignee_id=assignee,
        priority="normal",
        queue="general",
    )


def _change(new: TicketItem, old: TicketItem | None = None) -> ItemChange:
    return ItemChange(event_id="e", event_name="MODIFY" if old else "INSERT", old=old, new=new)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[str]]]:
    calls: list[tuple[str, list[str]]] = []

    def assign_waiting(tenant_id: str, include: Any = (), settings: Any = None) -> dict[str, str]:
        calls.append((tenant_id, sorted(t.ticket_id for t in include)))
        if tenant_id == "broken":
            raise RuntimeError("DynamoDB is down")
        return {}

    monkeypatch.setattr(assignment, "assign_waiting", assign_waiting)
    monkeypatch.setattr(assignment, "settings_for", lambda tenant_id: RoutingSettings.from_dict({}))
    return calls


def test_a_batch_serves_each_workspaces_queue_once_with_every_ticket_that_started_waiting(
    served: list[tuple[str, list[str]]],
) -> None:
    batch = routing.BatchRouting()
    # GIVEN two new tickets and a solved one (room freed) in workspace a, a new ticket in workspace b
    routing.route_change(_change(_ticket("a", "1", "new")), batch, "s1")
    routing.route_change(_change(_ticket("a", "2", "new")), batch, "s2")
    solved, was_open = _ticket("a", "3", "solved", "u1"), _ticket("a", "3", "open", "u1")
    routing.route_change(_change(solved, was_open), batch, "s3")
    routing.route_change(_change(_ticket("b", "4", "new")), batch, "s4")
    # AND a record that asks nothing (an open ticket's reply)
    routing.route_change(_change(_ticket("a", "5", "open", "u1"), _ticket("a", "5", "open", "u1")), batch, "s5")
    assert served == []  # nothing is served while records are read
    # WHEN the batch's queues are served THEN once per workspace, with its waiting tickets
    assert batch.serve() == set()
    assert served == [("a", ["1", "2"]), ("b", ["4"])]


def test_a_queue_that_fails_fails_only_the_records_that_asked_for_it(served: list[tuple[str, list[str]]]) -> None:
    batch = routing.BatchRouting()
    routing.route_change(_change(_ticket("broken", "1", "new")), batch, "s1")
    routing.route_change(_change(_ticket("ok", "2", "new")), batch, "s2")
    routing.route_change(_change(_ticket("broken", "3", "new")), batch, "s3")
    assert batch.serve() == {"s1", "s3"}
    assert [tenant for tenant, _ in served] == ["broken", "ok"]


def _user(tenant: str, **fields: Any) -> UserItem:
    defaults: dict[str, Any] = {"name": "Ann", "role": "agent", "availability": "online", "capacity": 5}
    return UserItem(f"T#{tenant}#USER", "u1", tenant_id=tenant, user_id="u1", **(defaults | fields))


@pytest.mark.parametrize(
    ("change", "forgotten"),
    [
        ({"availability": "away"}, True),
        ({"capacity": 9}, True),
        ({"skills": {"billing"}}, True),
        ({"active": False}, True),
        ({"last_seen_at": datetime(2026, 11, 30, tzinfo=UTC)}, False),
    ],
)
def test_the_router_forgets_a_team_whose_agents_change_what_it_plans_with(
    monkeypatch: pytest.MonkeyPatch, change: dict[str, Any], forgotten: bool
) -> None:
    forgot: list[str] = []
    monkeypatch.setattr(assignment, "forget_team", forgot.append)
    monkeypatch.setattr(assignment, "settings_for", lambda tenant_id: RoutingSettings.from_dict({}))
    old, new = _user("a"), _user("a", **change)
    routing.route_change(ItemChange(event_id="e", event_name="MODIFY", old=old, new=new), routing.BatchRouting(), "s")
    assert forgot == (["a"] if forgotten else [])


def test_a_queue_whose_members_change_or_a_new_user_is_forgotten_too(monkeypatch: pytest.MonkeyPatch) -> None:
    forgot: list[str] = []
    monkeypatch.setattr(assignment, "forget_team", forgot.append)
    queue = QueueItem("T#a#QUEUES", "vip", tenant_id="a", name="vip", member_ids=["u1"])
    moved = QueueItem("T#a#QUEUES", "vip", tenant_id="a", name="vip", member_ids=["u1", "u2"])
    routing.route_change(ItemChange("e", "MODIFY", old=queue, new=moved), routing.BatchRouting(), "s1")
    routing.route_change(ItemChange("e", "INSERT", old=None, new=_user("b")), routing.BatchRouting(), "s2")
    assert forgot == ["a", "b"]
