"""The first-run checklist (issue 17, item 7): each step ticked from the workspace's own state or
marked by an admin, dismissible, and sample tickets that come through the one write path and go away
again (solved and closed, never deleted)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.client import ApiClient, Workspace, audit_events
from tests.api.inbound_mail import deliver, message, support_address
from tests.api.test_slack import connect


def steps(api: ApiClient, workspace: Workspace) -> dict[str, dict[str, Any]]:
    answer = api.get("/onboarding", workspace.token("admin"))
    assert answer.status == 200, answer.body
    return {step["id"]: step for step in answer.body["steps"]}


def test_a_new_workspace_starts_with_nothing_ticked_but_its_team(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN the test workspace: an admin plus one member of every other role, nothing else set up
    checklist = api.get("/onboarding", workspace.token("admin")).body

    # THEN the team step is ticked (people are in it), the rest wait, each with a link to where it is done
    assert [s["id"] for s in checklist["steps"]] == [
        "invite_team",
        "tickets_arrive",
        "connect_slack",
        "review_routing",
        "review_sla",
    ]
    done = {s["id"]: s["done"] for s in checklist["steps"]}
    assert done == {
        "invite_team": True,
        "tickets_arrive": False,
        "connect_slack": False,
        "review_routing": False,
        "review_sla": False,
    }
    assert checklist["done"] == 1 and checklist["total"] == 5 and checklist["dismissed"] is False
    assert all(s["link"].startswith("/") for s in checklist["steps"])


def test_the_steps_tick_from_what_the_workspace_does(api: ApiClient, workspace: Workspace) -> None:
    # WHEN an email reaches the support address
    deliver(api, message(support_address(workspace.slug)))
    # AND Slack is connected
    connect(api, workspace)

    # THEN both steps are ticked, saying why
    now = steps(api, workspace)
    assert now["tickets_arrive"]["done"] and "email" in now["tickets_arrive"]["done_because"]
    assert now["connect_slack"]["done"] and now["connect_slack"]["done_because"] == "Slack is connected."
    # AND Slack disconnected unticks it: it is read from the state, not remembered
    assert api.delete("/integrations/slack", workspace.token("admin")).status == 204
    assert steps(api, workspace)["connect_slack"]["done"] is False


def test_review_steps_are_marked_and_unmarked_with_an_audit_entry(api: ApiClient, workspace: Workspace) -> None:
    token = workspace.token("admin")
    marked = api.put("/onboarding/steps/review_routing", {"done": True}, token)
    assert marked.status == 200, marked.body
    assert {s["id"]: s["done"] for s in marked.body["steps"]}["review_routing"] is True
    assert api.put("/onboarding/steps/review_sla", {"done": True}, token).status == 200
    # both marks land (each is its own attribute)
    assert steps(api, workspace)["review_routing"]["done"] and steps(api, workspace)["review_sla"]["done"]

    unmarked = api.put("/onboarding/steps/review_routing", {"done": False}, token)
    assert {s["id"]: s["done"] for s in unmarked.body["steps"]}["review_routing"] is False
    actions = [e["action"] for e in audit_events(api, workspace)]
    assert "onboarding.step_marked" in actions and "onboarding.step_unmarked" in actions


@pytest.mark.parametrize(
    ("step", "body", "field"),
    [
        ("connect_slack", {"done": True}, "step"),  # ticked by the state only
        ("make_coffee", {"done": True}, "step"),
        ("review_sla", {"done": "yes"}, "done"),
        ("review_sla", {}, "done"),
    ],
)
def test_a_step_that_cannot_be_marked_is_refused_and_changes_nothing(
    api: ApiClient, workspace: Workspace, step: str, body: dict[str, Any], field: str
) -> None:
    before = api.get("/onboarding", workspace.token("admin")).body
    refused = api.put(f"/onboarding/steps/{step}", body, workspace.token("admin"))
    assert refused.status == 422 and refused.headers["Content-Type"] == "application/problem+json"
    assert refused.body["errors"][0]["field"] == field
    assert api.get("/onboarding", workspace.token("admin")).body == before


def test_the_checklist_is_dismissed_for_the_workspace_and_brought_back(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    dismissed = api.put("/onboarding/dismissed", {"dismissed": True}, workspace.token("admin"))
    assert dismissed.status == 200 and dismissed.body["dismissed"] is True
    assert api.get("/onboarding", workspace.token("admin")).body["dismissed"] is True
    # another workspace is not touched
    assert api.get("/onboarding", other_workspace.token("admin")).body["dismissed"] is False

    restored = api.put("/onboarding/dismissed", {"dismissed": False}, workspace.token("admin"))
    assert restored.body["dismissed"] is False


def test_only_admins_see_the_checklist(api: ApiClient, workspace: Workspace) -> None:
    for role in ("lead", "agent", "viewer"):
        assert api.get("/onboarding", workspace.token(role)).status == 403


def sample_tickets(api: ApiClient, workspace: Workspace, status: str = "") -> list[dict[str, Any]]:
    query = f"?tag=sample&status={status}" if status else "?tag=sample"
    listed = api.get(f"/tickets{query}&limit=50", workspace.token("admin"))
    assert listed.status == 200, listed.body
    return list(listed.body["items"])


def test_sample_tickets_come_through_the_write_path_and_leave_every_working_view(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    # WHEN the admin adds three sample tickets
    added = api.post("/onboarding/sample-tickets", {"count": 3}, workspace.token("admin"))

    # THEN three realistic tickets exist, tagged sample, each with its history and audit entry
    assert added.status == 201, added.body
    assert added.body["sample_ticket_count"] == 3
    samples = sample_tickets(api, workspace)
    assert len(samples) == 3 and all("sample" in t["tags"] for t in samples)
    assert all(t["requester"]["email"].endswith("@example.com") for t in samples)
    history = api.get(f"/tickets/{samples[0]['id']}/history", workspace.token("admin")).body["items"]
    assert history and history[0]["actor"]["id"] == workspace.members["admin"].id
    created = [e for e in audit_events(api, workspace) if e["action"] == "ticket.created"]
    assert {e["target"]["id"] for e in created} >= {t["id"] for t in samples}
    # AND another workspace sees none of it
    assert api.get("/onboarding", other_workspace.token("admin")).body["sample_ticket_count"] == 0

    # AND adding again while they are there is refused, adding nothing
    again = api.post("/onboarding/sample-tickets", {"count": 3}, workspace.token("admin"))
    assert again.status == 409 and len(sample_tickets(api, workspace)) == 3

    # WHEN the admin removes the sample data
    removed = api.delete("/onboarding/sample-tickets", workspace.token("admin"))

    # THEN each sample is closed by a typed change (its number and history stay), none is open
    assert removed.status == 200 and removed.body["sample_ticket_count"] == 0
    assert {t["status"] for t in sample_tickets(api, workspace, "closed")} == {"closed"}
    assert len(sample_tickets(api, workspace, "closed")) == 3
    assert sample_tickets(api, workspace, "new") == []
    # AND samples can be added again
    assert api.post("/onboarding/sample-tickets", {"count": 1}, workspace.token("admin")).status == 201


@pytest.mark.parametrize("body", [{}, {"count": 0}, {"count": 6}, {"count": 2.5}])
def test_a_bad_sample_count_is_refused(api: ApiClient, workspace: Workspace, body: dict[str, Any]) -> None:
    refused = api.post("/onboarding/sample-tickets", body, workspace.token("admin"))
    assert refused.status == 422 and refused.body["errors"][0]["field"] == "count"
    assert api.get("/onboarding", workspace.token("admin")).body["sample_ticket_count"] == 0
