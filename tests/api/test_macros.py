"""Macros through the API: CRUD, personal vs shared by role, apply as one change with optimistic
locking, preview, and refusals that name the field and change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.client import ApiClient, Workspace, audit_events
from tests.api.test_tickets import new_ticket

SOLVE = {
    "name": "Solved, thanks",
    "actions": [
        {"type": "set_status", "status": "solved"},
        {"type": "add_tags", "tags": ["Answered"]},
        {"type": "set_priority", "priority": "low"},
    ],
    "reply": {"body": "Hi {{ requester.first_name }}, #{{ ticket.number }} is fixed. — {{ agent.name }}", "public": True},
}


def create(api: ApiClient, token: str, **fields: Any) -> dict[str, Any]:
    reply = api.post("/macros", {**SOLVE, **fields}, token)
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]


def apply(api: ApiClient, token: str, ticket: dict[str, Any], macro_id: str, version: int | None = None) -> Any:
    v = ticket["version"] if version is None else version
    return api.post(f"/tickets/{ticket['id']}/macros/{macro_id}", None, token, headers={"if-match": str(v)})


def test_agent_creates_a_personal_macro_only_they_see(api: ApiClient, workspace: Workspace) -> None:
    mine = create(api, workspace.token("agent"))
    assert mine["shared"] is False and mine["usage_count"] == 0 and mine["editable"] is True
    assert mine["actions"][1] == {"type": "add_tags", "tags": ["answered"]}
    assert [m["id"] for m in api.get("/macros", workspace.token("agent")).body["items"]] == [mine["id"]]
    assert api.get("/macros", workspace.token("lead")).body["items"] == []
    assert api.get(f"/macros/{mine['id']}", workspace.token("lead")).status == 404


def test_only_leads_and_admins_share_and_change_shared_ones(api: ApiClient, workspace: Workspace) -> None:
    refused = api.post("/macros", {**SOLVE, "shared": True}, workspace.token("agent"))
    assert refused.status == 403
    shared = create(api, workspace.token("lead"), shared=True, name="Team answer")
    seen = api.get("/macros", workspace.token("agent")).body["items"]
    assert [(m["name"], m["editable"]) for m in seen] == [("Team answer", False)]
    assert api.patch(f"/macros/{shared['id']}", {"name": "Mine now"}, workspace.token("agent")).status == 403
    assert api.delete(f"/macros/{shared['id']}", workspace.token("agent")).status == 403
    renamed = api.patch(f"/macros/{shared['id']}", {"name": "Team answer v2", "reply": None}, workspace.token("admin"))
    assert renamed.status == 200 and renamed.body["name"] == "Team answer v2" and renamed.body["reply"] is None
    assert api.delete(f"/macros/{shared['id']}", workspace.token("admin")).status == 204
    assert api.get(f"/macros/{shared['id']}", workspace.token("admin")).status == 404
    actions = [e["action"] for e in audit_events(api, workspace) if e["action"].startswith("macro.")]
    assert actions[:3] == ["macro.deleted", "macro.updated", "macro.created"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"actions": [{"type": "set_status", "status": "done"}]}, "actions.0.set_status.status"),
        ({"actions": [{"type": "explode"}]}, "actions.0"),
        ({"actions": [{"type": "add_note", "body": "x"}]}, "actions.0"),
        ({"reply": {"body": "Hi {{ customer.name }}", "public": True}}, "reply.body"),
        ({"reply": {"body": "{{ ''.__class__ }}", "public": True}}, "reply.body"),
        ({"reply": {"body": "{{ 'a' * 100000000 }}"}}, "reply.body"),
        ({"actions": [], "reply": None}, "actions"),
        ({"shared": "yes"}, "shared"),
    ],
)
def test_bad_macros_are_refused_naming_the_field(
    api: ApiClient, workspace: Workspace, body: dict[str, Any], field: str
) -> None:
    reply = api.post("/macros", {**SOLVE, **body}, workspace.token("agent"))
    assert reply.status == 422, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert field in [e["field"] for e in reply.body["errors"]], reply.body
    assert api.get("/macros", workspace.token("agent")).body["items"] == []


def test_apply_is_one_change_with_history_naming_the_macro(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a new ticket and a shared macro that replies, tags, lowers the priority and solves
    ticket = new_ticket(api, workspace.token("agent"), tags=["login"])
    macro = create(api, workspace.token("lead"), shared=True)
    # WHEN an agent applies it on the version they saw
    applied = apply(api, workspace.token("agent"), ticket, macro["id"])
    # THEN one new version: solved, tagged, low, with the reply filled in for this ticket
    assert applied.status == 200, applied.body
    after = applied.body["ticket"]
    assert after["version"] == ticket["version"] + 1
    assert (after["status"], after["priority"], after["tags"]) == ("solved", "low", ["answered", "login"])
    assert applied.body["comment"]["public"] is True
    assert applied.body["comment"]["body"] == f"Hi Maya, #{ticket['number']} is fixed. — Agent Person"
    history = api.get(f"/tickets/{ticket['id']}/history", workspace.token("agent")).body["items"]
    newest = history[-1]
    assert newest["note"] == {"macro": {"id": macro["id"], "name": "Solved, thanks"}}
    assert {"comment", "status", "priority", "tags"} <= {c["field"] for c in newest["changes"]}
    assert api.get(f"/macros/{macro['id']}", workspace.token("agent")).body["usage_count"] == 1
    assert "ticket.actions_applied" in [e["action"] for e in audit_events(api, workspace, 10)]


def test_a_stale_version_changes_nothing(api: ApiClient, workspace: Workspace) -> None:
    ticket = new_ticket(api, workspace.token("agent"))
    macro = create(api, workspace.token("agent"))
    stale = apply(api, workspace.token("agent"), ticket, macro["id"], version=ticket["version"] + 3)
    assert stale.status == 409 and stale.body["current"]["version"] == ticket["version"]
    missing = api.post(f"/tickets/{ticket['id']}/macros/{macro['id']}", None, workspace.token("agent"))
    assert missing.status == 428
    now = api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body
    assert now["ticket"]["version"] == ticket["version"] and now["comments"] == []
    assert api.get(f"/macros/{macro['id']}", workspace.token("agent")).body["usage_count"] == 0


def test_an_invalid_transition_is_refused_and_changes_nothing(api: ApiClient, workspace: Workspace) -> None:
    ticket = new_ticket(api, workspace.token("agent"))
    macro = create(api, workspace.token("agent"), actions=[{"type": "set_status", "status": "closed"}])
    refused = apply(api, workspace.token("agent"), ticket, macro["id"])
    assert refused.status == 422 and refused.body["requested"] == "closed"
    now = api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body
    assert now["ticket"]["version"] == ticket["version"] and now["comments"] == []


def test_assigning_others_needs_tickets_assign(api: ApiClient, workspace: Workspace) -> None:
    lead_id = workspace.members["lead"].id
    macro = create(api, workspace.token("agent"), actions=[{"type": "set_assignee", "assignee": lead_id}], reply=None)
    ticket = new_ticket(api, workspace.token("agent"))
    assert apply(api, workspace.token("agent"), ticket, macro["id"]).status == 403
    shared = create(api, workspace.token("lead"), shared=True, actions=macro["actions"], reply=None)
    done = apply(api, workspace.token("lead"), ticket, shared["id"])
    assert done.status == 200 and done.body["ticket"]["assignee_id"] == lead_id and done.body["comment"] is None


def test_other_workspaces_macros_and_tickets_do_not_exist(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    theirs = create(api, other_workspace.token("lead"), shared=True)
    ticket = new_ticket(api, workspace.token("agent"))
    assert apply(api, workspace.token("agent"), ticket, theirs["id"]).status == 404
    assert api.get(f"/macros/{theirs['id']}", workspace.token("admin")).status == 404
    assert api.patch(f"/macros/{theirs['id']}", {"name": "x"}, workspace.token("admin")).status == 404
    ours = create(api, workspace.token("lead"), shared=True)
    their_ticket = new_ticket(api, other_workspace.token("agent"))
    assert apply(api, workspace.token("lead"), their_ticket, ours["id"]).status == 404
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["ticket"]["version"] == ticket["version"]


def test_preview_fills_in_the_reply_and_changes_nothing(api: ApiClient, workspace: Workspace) -> None:
    ticket = new_ticket(api, workspace.token("agent"), tags=["login"])
    macro = create(api, workspace.token("agent"))
    preview = api.get(f"/macros/{macro['id']}/preview?ticket={ticket['id']}", workspace.token("agent"))
    assert preview.status == 200, preview.body
    assert preview.body["reply"] == {
        "body": f"Hi Maya, #{ticket['number']} is fixed. — Agent Person",
        "public": True,
    }
    assert preview.body["changes"] == [
        "status: new → solved",
        "priority: normal → low",
        "add tag answered",
        "public reply",
    ]
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["ticket"]["version"] == ticket["version"]
    bad = api.get(f"/macros/{macro['id']}/preview?ticket=nope", workspace.token("agent"))
    assert bad.status == 422 and bad.body["errors"][0]["field"] == "ticket"
