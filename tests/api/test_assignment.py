"""Automatic assignment driven by the tickets stream, manual control, and the team load view."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.data import assignment as repo
from chalicelib.services import assignment
from tests.api.client import ApiClient, Workspace
from tests.api.streams import StreamPump


def make_available(api: ApiClient, workspace: Workspace, capacity: int, skills: list[str] | None = None) -> None:
    for role in ("agent", "lead"):
        body: dict[str, Any] = {"availability": "online", "capacity": capacity}
        if skills is not None:
            body["skills"] = skills
        reply = api.patch(f"/users/{workspace.members[role].id}", body, workspace.token("admin"))
        assert reply.status == 200, reply.body


def open_ticket(api: ApiClient, workspace: Workspace, **fields: Any) -> dict[str, Any]:
    body = {"subject": "Help", "description": "Please", "requester": {"email": "r@example.com"}, **fields}
    reply = api.post("/tickets", body, workspace.token("admin"))
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]


def assignee(api: ApiClient, workspace: Workspace, ticket: dict[str, Any]) -> str | None:
    return api.get(f"/tickets/{ticket['id']}", workspace.token("admin")).body["ticket"]["assignee_id"]  # type: ignore[no-any-return]


def test_new_tickets_are_balanced_and_explained(api: ApiClient, workspace: Workspace, pump: StreamPump) -> None:
    make_available(api, workspace, capacity=10)
    pump.pump()
    tickets = [open_ticket(api, workspace) for _ in range(6)]
    pump.pump()
    loads = {i["name"]: i["load"] for i in api.get("/agents/load", workspace.token("lead")).body["items"]}
    assert loads == {"Agent Person": 3, "Lead Person": 3}
    history = api.get(f"/tickets/{tickets[0]['id']}/history", workspace.token("admin")).body["items"]
    note = history[-1]["note"]
    assert history[-1]["actor"]["type"] == "system" and note["automatic"] is True
    assert {c["name"] for c in note["candidates"]} == {"Agent Person", "Lead Person"}


def test_nobody_with_room_means_waiting_then_oldest_most_urgent_first(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    make_available(api, workspace, capacity=1)
    pump.pump()
    first, second = open_ticket(api, workspace), open_ticket(api, workspace)
    low, normal = open_ticket(api, workspace, priority="low"), open_ticket(api, workspace, priority="normal")
    pump.pump()
    freed_agent = assignee(api, workspace, first)
    assert freed_agent and assignee(api, workspace, second) and freed_agent != assignee(api, workspace, second)
    assert assignee(api, workspace, low) is None and assignee(api, workspace, normal) is None
    solved = api.patch(
        f"/tickets/{first['id']}", {"status": "solved"}, workspace.token("admin"), headers={"if-match": "2"}
    )
    assert solved.status == 200, solved.body
    pump.pump()
    assert assignee(api, workspace, normal) == freed_agent
    assert assignee(api, workspace, low) is None


def test_unskilled_and_offline_agents_are_skipped(api: ApiClient, workspace: Workspace, pump: StreamPump) -> None:
    make_available(api, workspace, capacity=5, skills=["billing"])
    api.patch(f"/users/{workspace.members['lead'].id}", {"availability": "offline"}, workspace.token("admin"))
    pump.pump()
    billing, technical = open_ticket(api, workspace, queue="billing"), open_ticket(api, workspace, queue="technical")
    pump.pump()
    assert assignee(api, workspace, billing) == workspace.members["agent"].id
    assert assignee(api, workspace, technical) is None


def test_the_router_gives_a_queue_with_members_only_to_them(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    # GIVEN two agents with room, and a "vip" queue only the lead may work
    make_available(api, workspace, capacity=10)
    made = api.post("/queues", {"name": "vip", "member_ids": [workspace.members["lead"].id]}, workspace.token("admin"))
    assert made.status == 201, made.body
    pump.pump()

    # WHEN several vip tickets arrive (balanced alone, they would be shared)
    tickets = [open_ticket(api, workspace, queue="vip") for _ in range(3)]
    pump.pump()

    # THEN every one goes to the lead, and the agent is named as not a member
    assert {assignee(api, workspace, t) for t in tickets} == {workspace.members["lead"].id}
    note = api.get(f"/tickets/{tickets[0]['id']}/history", workspace.token("admin")).body["items"][-1]["note"]
    excluded = {c["name"]: c["excluded"] for c in note["candidates"]}
    assert excluded["Agent Person"] == "not a member of 'vip'"


def test_a_manual_assignment_beats_a_stale_automatic_one(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    make_available(api, workspace, capacity=5)
    pump.pump()
    ticket = open_ticket(api, workspace)
    manual = api.patch(
        f"/tickets/{ticket['id']}",
        {"assignee_id": workspace.members["lead"].id},
        workspace.token("lead"),
        headers={"if-match": "1"},
    )
    assert manual.status == 200
    pump.pump()  # the stream's automatic assignment sees an assigned ticket and does nothing
    history = api.get(f"/tickets/{ticket['id']}/history", workspace.token("admin")).body["items"]
    assignments = [h for h in history if any(c["field"] == "assignee_id" for c in h["changes"])]
    assert len(assignments) == 1 and assignments[0]["actor"]["id"] == workspace.members["lead"].id


def test_routing_settings_turn_a_queue_off_and_return_work_on_absence(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    admin = workspace.token("admin")
    settings = {"auto_assign_queues": {"vip": False}, "on_unavailable": "return", "weights": {"urgent": 3}}
    reply = api.call("PUT", "/settings/routing", admin, json_body=settings)
    assert reply.status == 200 and reply.body["weights"]["urgent"] == 3
    assert api.call("PUT", "/settings/routing", workspace.token("lead"), json_body=settings).status == 403
    make_available(api, workspace, capacity=5)
    api.patch(f"/users/{workspace.members['lead'].id}", {"availability": "offline"}, admin)
    pump.pump()
    vip, normal = open_ticket(api, workspace, queue="vip"), open_ticket(api, workspace)
    pump.pump()
    assert assignee(api, workspace, vip) is None
    assert assignee(api, workspace, normal) == workspace.members["agent"].id
    api.patch(f"/users/{workspace.members['agent'].id}", {"availability": "away"}, workspace.token("agent"))
    pump.pump()
    assert assignee(api, workspace, normal) is None


def test_keyword_search_is_prefix_ranked_and_tenant_isolated(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace, pump: StreamPump
) -> None:
    mine = open_ticket(api, workspace, subject="Refund for order 1042", description="duplicate charge")
    body_only = open_ticket(api, workspace, subject="Billing question", description="Can I get a refund?")
    open_ticket(api, other_workspace, subject="Refund elsewhere")
    api.post(f"/tickets/{mine['id']}/comments", {"body": "Escalated to finance"}, workspace.token("agent"))
    pump.pump()
    found = api.get("/tickets?q=REFU", workspace.token("viewer")).body["items"]
    assert [t["id"] for t in found] == [mine["id"], body_only["id"]]
    assert [t["id"] for t in api.get("/tickets?q=refund%20financ", workspace.token("agent")).body["items"]] == [
        mine["id"]
    ]
    assert api.get("/tickets?q=refund&priority=urgent", workspace.token("agent")).body["items"] == []


def test_search_pages_rank_subject_matches_then_newest_and_apply_filters(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    in_subject = [
        open_ticket(api, workspace, subject=f"Invoice {n}", priority=("high", "low")[n % 2]) for n in range(5)
    ]
    in_body = [open_ticket(api, workspace, subject="Question", description=f"about invoice {n}") for n in range(3)]
    pump.pump()

    def pages(query: str) -> list[str]:
        ids: list[str] = []
        cursor = ""
        for _ in range(10):
            reply = api.get(f"/tickets?{query}&limit=2{cursor}", workspace.token("agent")).body
            ids += [t["id"] for t in reply["items"]]
            if reply["next_cursor"] is None:
                return ids
            cursor = f"&cursor={reply['next_cursor']}"
        raise AssertionError("search pagination did not end")

    newest_first = [t["id"] for t in reversed(in_subject)] + [t["id"] for t in reversed(in_body)]
    assert pages("q=invoic") == newest_first
    assert pages("q=invoice&priority=high") == [t["id"] for t in reversed(in_subject) if t["priority"] == "high"]


def test_a_word_too_common_to_read_in_full_is_checked_on_the_ticket_instead(
    api: ApiClient, workspace: Workspace, pump: StreamPump, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.data import search

    tickets = [open_ticket(api, workspace, subject=f"Printer jam {n}", description=f"tray{n}") for n in range(6)]
    pump.pump()
    monkeypatch.setattr(search, "MAX_POSTINGS_PER_WORD", 3)  # "printer" and "jam" now read only in part
    for n, ticket in enumerate(tickets):
        found = api.get(f"/tickets?q=printer%20jam%20tray{n}", workspace.token("agent")).body["items"]
        assert [t["id"] for t in found] == [ticket["id"]]
    assert api.get("/tickets?q=printer%20tray99", workspace.token("agent")).body["items"] == []


def test_an_agent_who_went_away_unheard_gets_no_work_though_the_router_remembers_them(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    # GIVEN both online, and a router that has planned with the team (it keeps it a few seconds)
    make_available(api, workspace, capacity=10)
    pump.pump()
    open_ticket(api, workspace)
    pump.pump()
    # WHEN the lead goes offline and this router never hears of it (the record went to another container)
    away = api.patch(f"/users/{workspace.members['lead'].id}", {"availability": "offline"}, workspace.token("admin"))
    assert away.status == 200, away.body
    pump.read()
    tickets = [open_ticket(api, workspace) for _ in range(4)]
    pump.pump()
    # THEN the write that would give the lead a ticket is refused, the team is read again, and the agent gets all
    assert {assignee(api, workspace, t) for t in tickets} == {workspace.members["agent"].id}


real_loads = repo.all_loads


def test_two_routers_planning_from_the_same_loads_never_fill_an_agent_past_capacity(
    api: ApiClient, workspace: Workspace, pump: StreamPump, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN only the agent online, with room for one ticket, and two tickets waiting
    make_available(api, workspace, capacity=1)
    lead = workspace.members["lead"].id
    lead_away = api.patch(f"/users/{lead}", {"availability": "offline"}, workspace.token("admin"))
    assert lead_away.status == 200, lead_away.body
    pump.pump()
    tenant, agent = workspace.tenant_id, workspace.members["agent"].id
    loads_before = repo.all_loads(tenant)
    first = open_ticket(api, workspace)
    pump.pump()
    assert assignee(api, workspace, first) == agent
    second = open_ticket(api, workspace)

    # WHEN a second router serves the queue having read the loads before the first assignment (two batches
    # in parallel, or two containers: it planned while the other one committed)
    stale = [loads_before]
    monkeypatch.setattr(repo, "all_loads", lambda tenant_id: stale.pop() if stale else real_loads(tenant_id))
    assignment.assign_waiting(tenant)

    # THEN its write is refused, it plans again from the loads as they are, and the second ticket waits
    assert assignee(api, workspace, second) is None
    assert {user: sum(item.open_by_priority.values()) for user, item in real_loads(tenant).items()} == {agent: 1}


def test_a_serving_with_nobody_waiting_reads_no_loads(
    api: ApiClient, workspace: Workspace, pump: StreamPump, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN agents online and a router that counts its reads of the loads (one item per agent)
    make_available(api, workspace, capacity=5)
    pump.pump()
    reads: list[str] = []
    monkeypatch.setattr(repo, "all_loads", lambda tenant_id: reads.append(tenant_id) or real_loads(tenant_id))

    # WHEN the queue is served with nobody waiting (room freed by a solve, say), then with a ticket waiting
    assert assignment.assign_waiting(workspace.tenant_id) == {}
    nobody_waiting = len(reads)
    ticket = open_ticket(api, workspace)
    pump.pump()

    # THEN only the serving with a ticket to place read the loads, and placed it
    assert nobody_waiting == 0 and reads
    assert assignee(api, workspace, ticket) is not None
