"""Tickets through the API: create, read with conversation, change with optimistic locking,
comments and notes, history, validation and roles."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.client import ApiClient, Workspace
from tests.api.dynamo_calls import dynamo_calls

REQUESTER = {"email": "Maya@Example.com", "name": "Maya"}


def new_ticket(api: ApiClient, token: str, **fields: Any) -> dict[str, Any]:
    body = {"subject": "Cannot log in", "description": "Since this morning.", "requester": REQUESTER, **fields}
    reply = api.post("/tickets", body, token)
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]


def patch(api: ApiClient, token: str, ticket: dict[str, Any], **changes: Any) -> Any:
    return api.patch(f"/tickets/{ticket['id']}", changes, token, headers={"if-match": str(ticket["version"])})


def test_create_returns_the_ticket_with_defaults(api: ApiClient, workspace: Workspace) -> None:
    ticket = new_ticket(api, workspace.token("agent"), tags=["VIP", "vip", "login"])
    assert ticket["status"] == "new" and ticket["priority"] == "normal" and ticket["queue"] == "support"
    assert ticket["tags"] == ["login", "vip"] and ticket["channel"] == "web" and ticket["version"] == 1
    assert ticket["requester"] == {"email": "maya@example.com", "name": "Maya"}
    assert ticket["sla_due_at"] > ticket["created_at"]


def test_numbers_increase_per_workspace(api: ApiClient, workspace: Workspace, other_workspace: Workspace) -> None:
    first = new_ticket(api, workspace.token("agent"))
    second = new_ticket(api, workspace.token("agent"))
    elsewhere = new_ticket(api, other_workspace.token("agent"))
    assert second["number"] == first["number"] + 1
    assert elsewhere["number"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": "   ", "description": "x", "requester": REQUESTER}, "subject"),
        ({"subject": "x", "description": "x", "requester": {"email": "nope"}}, "requester.email"),
        ({"subject": "x", "description": "x", "requester": REQUESTER, "priority": "asap"}, "priority"),
        ({"subject": "x", "description": "x", "requester": REQUESTER, "tags": ["t"] * 300}, "tags"),
        ({"subject": "x", "description": "x" * 70_000, "requester": REQUESTER}, "description"),
        ({"subject": "x", "description": "x", "requester": REQUESTER, "status": "open"}, "status"),
        ({"subject": 5, "description": "x", "requester": REQUESTER}, "subject"),
    ],
)
def test_invalid_tickets_are_refused_naming_the_field(
    api: ApiClient, workspace: Workspace, body: dict[str, Any], field: str
) -> None:
    before = api.get("/tickets", workspace.token("agent")).body["items"]
    reply = api.post("/tickets", body, workspace.token("agent"))
    assert reply.status == 422
    assert field in [e["field"] for e in reply.body["errors"]]
    assert api.get("/tickets", workspace.token("agent")).body["items"] == before


def test_a_ten_megabyte_description_is_too_large(api: ApiClient, workspace: Workspace) -> None:
    body = {"subject": "x", "description": "x" * 10_000_000, "requester": REQUESTER}
    assert api.post("/tickets", body, workspace.token("agent")).status == 413


def test_viewers_cannot_create(api: ApiClient, workspace: Workspace) -> None:
    reply = api.post(
        "/tickets", {"subject": "x", "description": "x", "requester": REQUESTER}, workspace.token("viewer")
    )
    assert reply.status == 403


def test_ticket_and_conversation_come_from_one_query(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.token("agent")
    ticket = new_ticket(api, agent)
    api.post(f"/tickets/{ticket['id']}/comments", {"body": "On it"}, agent)
    api.post(f"/tickets/{ticket['id']}/comments", {"body": "Known bug", "public": False}, agent)
    with dynamo_calls() as calls:
        reply = api.get(f"/tickets/{ticket['id']}", agent)
    assert reply.status == 200
    assert [c["body"] for c in reply.body["comments"]] == ["On it", "Known bug"]
    assert calls == [("Query", None)]


def test_internal_notes_are_hidden_from_viewers(api: ApiClient, workspace: Workspace) -> None:
    ticket = new_ticket(api, workspace.token("agent"))
    api.post(
        f"/tickets/{ticket['id']}/comments",
        {"body": "Customer is on legacy plan", "public": False},
        workspace.token("agent"),
    )
    seen = api.get(f"/tickets/{ticket['id']}", workspace.token("viewer")).body["comments"]
    assert seen[0]["public"] is False and seen[0]["body"] is None
    assert api.post(f"/tickets/{ticket['id']}/comments", {"body": "hi"}, workspace.token("viewer")).status == 403


def test_public_reply_opens_and_stamps_first_response(api: ApiClient, workspace: Workspace) -> None:
    ticket = new_ticket(api, workspace.token("agent"))
    reply = api.post(f"/tickets/{ticket['id']}/comments", {"body": "Hello Maya"}, workspace.token("agent"))
    assert reply.status == 201
    assert reply.body["ticket"]["status"] == "open" and reply.body["ticket"]["first_response_at"]
    note = api.post(f"/tickets/{ticket['id']}/comments", {"body": "fyi", "public": False}, workspace.token("agent"))
    assert note.body["ticket"]["first_response_at"] == reply.body["ticket"]["first_response_at"]


def test_stale_version_answers_409_with_the_current_ticket(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.token("agent")
    ticket = new_ticket(api, agent)
    assert patch(api, agent, ticket, priority="high").status == 200
    stale = patch(api, agent, ticket, priority="low")
    assert stale.status == 409
    assert stale.body["current"]["priority"] == "high" and stale.body["current"]["version"] == 2


def test_version_may_come_in_the_body_and_is_required(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.token("agent")
    ticket = new_ticket(api, agent)
    assert api.patch(f"/tickets/{ticket['id']}", {"priority": "high"}, agent).status == 428
    ok = api.patch(f"/tickets/{ticket['id']}", {"priority": "high", "version": 1}, agent)
    assert ok.status == 200 and ok.body["version"] == 2


def test_invalid_transition_names_both_states(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.token("agent")
    ticket = new_ticket(api, agent)
    solved = patch(api, agent, ticket, status="solved").body
    closed = patch(api, agent, solved, status="closed").body
    reply = patch(api, agent, closed, status="open")
    assert reply.status == 422 and reply.body["current"] == "closed" and reply.body["requested"] == "open"


def test_history_records_every_applied_change(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.token("agent")
    ticket = new_ticket(api, agent)
    changed = patch(api, agent, ticket, priority="urgent", tags=["vip"]).body
    patch(api, agent, changed, status="pending")
    items = api.get(f"/tickets/{ticket['id']}/history", agent).body["items"]
    changes = [(c["field"], c["from"], c["to"]) for entry in items for c in entry["changes"]]
    assert ("priority", "normal", "urgent") in changes and ("tags", [], ["vip"]) in changes
    assert ("status", "new", "pending") in changes
    assert all(entry["actor"]["id"] == workspace.members["agent"].id for entry in items)


def test_agents_take_and_release_but_only_leads_assign_others(api: ApiClient, workspace: Workspace) -> None:
    agent, lead = workspace.members["agent"], workspace.members["lead"]
    ticket = new_ticket(api, agent.token)
    assert patch(api, agent.token, ticket, assignee_id=lead.id).status == 403
    taken = patch(api, agent.token, ticket, assignee_id=agent.id)
    assert taken.status == 200 and taken.body["assignee_id"] == agent.id
    released = patch(api, agent.token, taken.body, assignee_id=None)
    assert released.status == 200 and released.body["assignee_id"] is None
    assigned = patch(api, lead.token, released.body, assignee_id=agent.id)
    assert assigned.status == 200


def test_assignee_must_be_an_agent_of_this_workspace(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    lead = workspace.token("lead")
    ticket = new_ticket(api, lead)
    for stranger in (other_workspace.members["agent"].id, workspace.members["viewer"].id):
        reply = patch(api, lead, ticket, assignee_id=stranger)
        assert reply.status == 422 and reply.body["errors"][0]["field"] == "assignee_id"


def test_other_workspaces_tickets_do_not_exist(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    ticket = new_ticket(api, workspace.token("agent"))
    intruder = other_workspace.token("admin")
    assert api.get(f"/tickets/{ticket['id']}", intruder).status == 404
    assert api.get(f"/tickets/{ticket['id']}/history", intruder).status == 404
    assert patch(api, intruder, ticket, priority="low").status == 404
    assert api.post(f"/tickets/{ticket['id']}/comments", {"body": "x"}, intruder).status == 404
    assert ticket["id"] not in [t["id"] for t in api.get("/tickets", intruder).body["items"]]


def test_api_keys_create_tickets_through_the_api_channel(api: ApiClient, workspace: Workspace) -> None:
    key = api.post(
        "/api-keys", {"name": "CRM", "scopes": ["tickets.write", "tickets.read"]}, workspace.token("admin")
    ).body["secret"]
    ticket = new_ticket(api, key)
    assert ticket["channel"] == "api"
    assert api.get("/tickets?assignee=me", key).status == 422


def test_saved_views_count_live_and_share_by_role(api: ApiClient, workspace: Workspace) -> None:
    agent, lead = workspace.token("agent"), workspace.token("lead")
    new_ticket(api, agent, priority="urgent")
    assert (
        api.post("/views", {"name": "Urgent", "filters": {"priority": ["urgent"]}, "shared": True}, agent).status == 403
    )
    view = api.post("/views", {"name": "Urgent", "filters": {"priority": ["urgent"]}, "shared": True}, lead)
    assert view.status == 201 and view.body["count"] == 1
    new_ticket(api, agent, priority="urgent")
    listed = api.get("/views", agent).body["items"]
    assert [(v["name"], v["count"]) for v in listed if not v["builtin"]] == [("Urgent", 2)]
    builtin = {v["name"]: v["count"] for v in listed if v["builtin"]}
    assert builtin["Urgent"] == 2 and builtin["All open"] == 2 and builtin["My open tickets"] == 0
    assert api.patch(f"/views/{view.body['id']}", {"name": "Mine now"}, agent).status == 403
    bad = api.post("/views", {"name": "Bad", "filters": {"status": ["later"]}}, agent)
    assert bad.status == 422
    assert api.delete(f"/views/{view.body['id']}", lead).status == 204
    assert [v for v in api.get("/views", agent).body["items"] if not v["builtin"]] == []


def test_a_count_stops_at_the_cap_and_says_so(
    api: ApiClient, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.data import tickets as repo

    agent = workspace.token("agent")
    for priority in ("urgent", "low", "urgent", "low", "urgent"):
        new_ticket(api, agent, priority=priority)
    monkeypatch.setattr(repo, "COUNT_CAP", 3)
    counts = {v["name"]: (v["count"], v["count_capped"]) for v in api.get("/views", agent).body["items"]}
    assert counts["All open"] == (3, True)  # at least three: it read three and stopped
    assert counts["My open tickets"] == (0, False)
    monkeypatch.setattr(repo, "COUNT_CAP", 1000)
    counts = {v["name"]: (v["count"], v["count_capped"]) for v in api.get("/views", agent).body["items"]}
    assert counts["All open"] == (5, False) and counts["Urgent"] == (3, False)
