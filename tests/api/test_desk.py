"""The agent's desk through the API: bulk changes with per-ticket outcomes, queues, tag suggestions,
and sorting by the SLA deadline."""

from __future__ import annotations

from typing import Any

from tests.api.client import ApiClient, Workspace
from tests.api.streams import StreamPump
from tests.api.test_tickets import new_ticket, patch


def bulk(api: ApiClient, token: str, tickets: list[dict[str, Any]], **changes: Any) -> Any:
    refs = [{"id": t["id"], "version": t["version"]} for t in tickets]
    return api.post("/tickets/bulk", {"tickets": refs, "changes": changes}, token)


def current(api: ApiClient, token: str, ticket: dict[str, Any]) -> dict[str, Any]:
    reply = api.get(f"/tickets/{ticket['id']}", token)
    assert reply.status == 200, reply.body
    return reply.body["ticket"]  # type: ignore[no-any-return]


# --- bulk -----------------------------------------------------------------------------------------


def test_bulk_change_reports_each_ticket_and_applies_only_what_it_may(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN five tickets: two fresh, one changed by someone else since, one closed, one that does not exist
    lead = workspace.token("lead")
    fresh = [new_ticket(api, lead), new_ticket(api, lead)]
    stale = new_ticket(api, lead)
    assert patch(api, lead, stale, priority="high").status == 200
    closed = new_ticket(api, lead)
    solved = patch(api, lead, closed, status="solved").body
    closed = patch(api, lead, solved, status="closed").body
    missing = {"id": "0" * 32, "version": 1}

    # WHEN the lead puts them all on hold at once
    reply = bulk(api, lead, [*fresh, stale, closed, missing], status="on_hold")

    # THEN each ticket has its own outcome, in the order asked
    assert reply.status == 200, reply.body
    outcomes = [(r["outcome"], r["error"]) for r in reply.body["results"]]
    assert outcomes == [
        ("applied", None),
        ("applied", None),
        ("conflict", None),
        ("error", "invalid"),
        ("error", "not_found"),
    ]
    assert (reply.body["applied"], reply.body["conflicts"], reply.body["errors"]) == (2, 1, 2)
    # AND only the applied ones changed, each as its own versioned change with its history
    for ticket in fresh:
        now = current(api, lead, ticket)
        assert now["status"] == "on_hold" and now["version"] == ticket["version"] + 1
        history = api.get(f"/tickets/{ticket['id']}/history", lead).body["items"]
        assert any(c["field"] == "status" for h in history for c in h["changes"])
    assert current(api, lead, stale)["status"] == "new"
    assert reply.body["results"][2]["ticket"]["priority"] == "high"  # the conflict shows what is there now
    assert current(api, lead, closed)["status"] == "closed"


def test_an_agent_may_take_in_bulk_but_not_take_from_a_colleague(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN one unassigned ticket and one the lead gave to someone else
    agent, lead = workspace.members["agent"], workspace.token("lead")
    free = new_ticket(api, lead)
    theirs = new_ticket(api, lead, assignee_id=workspace.members["lead"].id)

    # WHEN the agent takes both
    reply = bulk(api, agent.token, [free, theirs], assignee_id=agent.id)

    # THEN the free one is theirs and the other is refused as forbidden, unchanged
    assert reply.status == 200, reply.body
    assert [(r["outcome"], r["error"]) for r in reply.body["results"]] == [("applied", None), ("error", "forbidden")]
    assert current(api, lead, free)["assignee_id"] == agent.id
    assert current(api, lead, theirs)["assignee_id"] == workspace.members["lead"].id


def test_a_change_that_changes_nothing_is_reported_unchanged(api: ApiClient, workspace: Workspace) -> None:
    ticket = new_ticket(api, workspace.token("agent"), priority="high")
    reply = bulk(api, workspace.token("agent"), [ticket], priority="high")
    assert reply.body["results"][0]["outcome"] == "unchanged"
    assert current(api, workspace.token("agent"), ticket)["version"] == ticket["version"]


def test_invalid_bulk_requests_are_refused_whole_naming_the_field(api: ApiClient, workspace: Workspace) -> None:
    token = workspace.token("agent")
    ticket = new_ticket(api, token)
    ref = {"id": ticket["id"], "version": ticket["version"]}
    cases = [
        ({"tickets": [ref] * 101, "changes": {"priority": "low"}}, "tickets"),
        ({"tickets": [], "changes": {"priority": "low"}}, "tickets"),
        ({"tickets": [ref, ref], "changes": {"priority": "low"}}, "tickets"),
        ({"tickets": [ref], "changes": {}}, "changes"),
        ({"tickets": [ref], "changes": {"priority": "asap"}}, "changes.priority"),
        ({"tickets": [{"id": ticket["id"]}], "changes": {"priority": "low"}}, "tickets.0.version"),
    ]
    for body, field in cases:
        reply = api.post("/tickets/bulk", body, token)
        assert reply.status == 422, (body, reply.body)
        assert field in [e["field"] for e in reply.body["errors"]], reply.body
    assert current(api, token, ticket)["version"] == ticket["version"]


def test_bulk_tags_are_added_to_and_removed_from_each_tickets_own_tags(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN three tickets with different tags
    lead = workspace.token("lead")
    tickets = [
        new_ticket(api, lead, tags=["billing"]),
        new_ticket(api, lead, tags=["vip", "legacy"]),
        new_ticket(api, lead, tags=[]),
    ]

    # WHEN "urgent-review" is added and "legacy" removed in bulk
    reply = bulk(api, lead, tickets, tags_add=["urgent-review"], tags_remove=["legacy"])

    # THEN each ticket keeps its own other tags
    assert reply.status == 200, reply.body
    assert [r["outcome"] for r in reply.body["results"]] == ["applied"] * 3
    assert [current(api, lead, t)["tags"] for t in tickets] == [
        ["billing", "urgent-review"],
        ["urgent-review", "vip"],
        ["urgent-review"],
    ]
    # AND adding a tag a ticket already has changes nothing for it (no new version)
    again = [current(api, lead, t) for t in tickets]
    repeat = bulk(api, lead, again, tags_add=["urgent-review"])
    assert [r["outcome"] for r in repeat.body["results"]] == ["unchanged"] * 3


def test_bulk_tags_add_and_replace_do_not_mix(api: ApiClient, workspace: Workspace) -> None:
    ticket = new_ticket(api, workspace.token("agent"), tags=["a"])
    cases = [
        ({"tags": ["x"], "tags_add": ["y"]}, "changes.tags"),
        ({"tags_add": ["y"], "tags_remove": ["y"]}, "changes.tags_remove"),
    ]
    for changes, field in cases:
        reply = bulk(api, workspace.token("agent"), [ticket], **changes)
        assert reply.status == 422 and reply.body["errors"][0]["field"] == field, reply.body
    assert current(api, workspace.token("agent"), ticket)["tags"] == ["a"]


def test_bulk_tags_past_the_limit_are_refused_for_that_ticket_only(api: ApiClient, workspace: Workspace) -> None:
    lead = workspace.token("lead")
    full = new_ticket(api, lead, tags=[f"t{i}" for i in range(19)])
    light = new_ticket(api, lead, tags=[])
    reply = bulk(api, lead, [full, light], tags_add=["x1", "x2"])
    outcomes = {r["id"]: (r["outcome"], r["error"]) for r in reply.body["results"]}
    assert outcomes == {full["id"]: ("error", "invalid"), light["id"]: ("applied", None)}
    assert len(current(api, lead, full)["tags"]) == 19


def test_a_viewer_cannot_bulk_change(api: ApiClient, workspace: Workspace) -> None:
    ticket = new_ticket(api, workspace.token("agent"))
    reply = bulk(api, workspace.token("viewer"), [ticket], priority="low")
    assert reply.status == 403


def test_other_workspaces_tickets_are_not_found_in_bulk(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    elsewhere = new_ticket(api, other_workspace.token("agent"))
    reply = bulk(api, workspace.token("lead"), [elsewhere], priority="low")
    assert reply.body["results"][0]["error"] == "not_found"
    assert current(api, other_workspace.token("agent"), elsewhere)["priority"] == "normal"


# --- queues ---------------------------------------------------------------------------------------


def test_admins_define_queues_everyone_reads_them(api: ApiClient, workspace: Workspace) -> None:
    admin = workspace.token("admin")
    agent_id = workspace.members["agent"].id
    created = api.post(
        "/queues", {"name": "billing", "description": "Invoices and refunds", "member_ids": [agent_id]}, admin
    )
    assert created.status == 201, created.body
    assert created.body["member_ids"] == [agent_id] and created.body["version"] == 1

    assert api.post("/queues", {"name": "billing"}, admin).status == 409
    listed = api.get("/queues", workspace.token("agent")).body["items"]
    assert [q["name"] for q in listed] == ["billing"]

    changed = api.patch("/queues/billing", {"description": "Money"}, admin)
    assert changed.status == 200 and changed.body["description"] == "Money"
    assert changed.body["member_ids"] == [agent_id]
    audit = api.get("/audit", admin).body["items"]
    assert {"queue.created", "queue.updated"} <= {e["action"] for e in audit}

    assert api.delete("/queues/billing", admin).status == 204
    assert api.get("/queues/billing", admin).status == 404


def test_queue_members_must_be_active_agents(api: ApiClient, workspace: Workspace) -> None:
    viewer_id = workspace.members["viewer"].id
    reply = api.post("/queues", {"name": "vip", "member_ids": [viewer_id]}, workspace.token("admin"))
    assert reply.status == 422 and reply.body["errors"][0]["field"] == "member_ids"
    bad_name = api.post("/queues", {"name": "Not a name!"}, workspace.token("admin"))
    assert bad_name.status == 422 and bad_name.body["errors"][0]["field"] == "name"
    assert api.get("/queues", workspace.token("admin")).body["items"] == []


def test_only_a_queues_members_may_be_given_its_tickets(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a queue only the agent may work
    agent_id, lead = workspace.members["agent"].id, workspace.token("lead")
    api.post("/queues", {"name": "billing", "member_ids": [agent_id]}, workspace.token("admin"))
    ticket = new_ticket(api, lead, queue="billing")

    # WHEN the lead gives it to themselves, then to the agent
    refused = patch(api, lead, ticket, assignee_id=workspace.members["lead"].id)
    given = patch(api, lead, ticket, assignee_id=agent_id)

    # THEN only the member may have it
    assert refused.status == 422 and refused.body["errors"][0]["field"] == "assignee_id"
    assert given.status == 200 and given.body["assignee_id"] == agent_id


def test_agents_cannot_define_queues(api: ApiClient, workspace: Workspace) -> None:
    assert api.post("/queues", {"name": "x"}, workspace.token("lead")).status == 403


# --- tags -----------------------------------------------------------------------------------------


def test_tags_in_use_are_suggested_most_used_first(api: ApiClient, workspace: Workspace, pump: StreamPump) -> None:
    # GIVEN tickets tagged vip (twice), refund (once), and one tag taken off again
    token = workspace.token("agent")
    new_ticket(api, token, tags=["vip", "refund"])
    new_ticket(api, token, tags=["vip"])
    dropped = new_ticket(api, token, tags=["typo"])
    patch(api, token, dropped, tags=[])

    # WHEN the stream is read (twice: a record delivered again must not count again)
    pump.pump()
    pump.pump()

    # THEN the suggestions count the tickets that carry each tag now
    reply = api.get("/tags", token)
    assert reply.status == 200, reply.body
    assert [(t["tag"], t["tickets"]) for t in reply.body["items"]] == [("vip", 2), ("refund", 1)]
    assert [t["tag"] for t in api.get("/tags?prefix=RE", token).body["items"]] == ["refund"]


def test_a_stream_record_counted_twice_counts_once(workspace: Workspace) -> None:
    from chalicelib.data.tags import count_tag_change, list_tag_counts
    from chalicelib.domain.clock import utcnow

    tenant = workspace.tenant_id
    assert count_tag_change(tenant, "t1", 2, {"vip"}, set(), utcnow()) is True
    assert count_tag_change(tenant, "t1", 2, {"vip"}, set(), utcnow()) is False
    assert count_tag_change(tenant, "t1", 1, {"vip"}, set(), utcnow()) is False
    assert [(t.tag, int(t.tickets)) for t in list_tag_counts(tenant)] == [("vip", 1)]


def test_a_recount_backfills_tags_from_tickets_and_the_stream_counts_on_from_there(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    from chalicelib.services.tag_recount import recount

    # GIVEN tickets tagged while nothing counted tags (their stream records not read yet)
    token = workspace.token("agent")
    new_ticket(api, token, tags=["vip", "refund"])
    later = new_ticket(api, token, tags=["vip"])
    assert api.get("/tags", token).body["items"] == []

    # WHEN the workspace's tags are recounted, twice (the job is idempotent)
    assert recount(workspace.tenant_id) == {"vip": 2, "refund": 1}
    assert recount(workspace.tenant_id) == {"vip": 2, "refund": 1}

    # THEN the suggestions count them
    counted = [(t["tag"], t["tickets"]) for t in api.get("/tags", token).body["items"]]
    assert counted == [("vip", 2), ("refund", 1)]
    # AND the old stream records, read now, count nothing again, while a new tag change counts once
    patch(api, token, later, tags=["vip", "refund"])
    pump.pump()
    pump.pump()
    counted = [(t["tag"], t["tickets"]) for t in api.get("/tags", token).body["items"]]
    assert counted == [("refund", 2), ("vip", 2)] or counted == [("vip", 2), ("refund", 2)]


# --- SLA order --------------------------------------------------------------------------------------


def test_sort_by_sla_due_lists_soonest_deadline_first(api: ApiClient, workspace: Workspace) -> None:
    token = workspace.token("agent")
    low = new_ticket(api, token, priority="low")
    urgent = new_ticket(api, token, priority="urgent")
    normal = new_ticket(api, token, priority="normal")
    paused = new_ticket(api, token, priority="urgent")
    patch(api, token, paused, status="pending")

    reply = api.get("/tickets?sort=sla_due_at", token)

    assert reply.status == 200, reply.body
    ids = [t["id"] for t in reply.body["items"]]
    assert ids == [urgent["id"], normal["id"], low["id"]]
    dues = [t["sla_due_at"] for t in reply.body["items"]]
    assert dues == sorted(dues)
