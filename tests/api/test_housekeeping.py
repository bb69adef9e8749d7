"""The scheduled upkeep: drifted load counters are repaired, agents whose dashboards are gone are
marked away, and waiting tickets are swept up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.client import ApiClient, Workspace
from tests.api.streams import StreamPump


def test_housekeeping_repairs_drift_marks_away_and_sweeps_the_queue(
    api: ApiClient, workspace: Workspace, pump: StreamPump, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.data import assignment as loads
    from chalicelib.data import identity
    from chalicelib.domain.clock import utcnow
    from chalicelib.services.housekeeping import run_housekeeping

    admin, agent, lead = workspace.token("admin"), workspace.members["agent"], workspace.members["lead"]
    api.patch(f"/users/{agent.id}", {"availability": "online", "capacity": 5}, admin)
    api.patch(f"/users/{lead.id}", {"availability": "online", "capacity": 5}, admin)
    pump.pump()
    ticket = api.post(
        "/tickets", {"subject": "x", "description": "y", "requester": {"email": "r@example.com"}}, admin
    ).body
    pump.pump()
    owner = api.get(f"/tickets/{ticket['id']}", admin).body["ticket"]["assignee_id"]
    # GIVEN a counter that drifted, a lead whose dashboard left long ago, and a ticket nobody routed
    drifted = loads.load_item(workspace.tenant_id, owner)
    drifted.open_by_priority = {"normal": 4}
    loads.save_loads(workspace.tenant_id, [drifted], audit=None)
    lead_item = identity.get_user(workspace.tenant_id, lead.id)
    assert lead_item is not None
    lead_item.update(actions=[type(lead_item).last_seen_at.set(utcnow() - timedelta(hours=1))])
    waiting = api.post(
        "/tickets", {"subject": "missed", "description": "y", "requester": {"email": "r@example.com"}}, admin
    ).body  # its stream record is never delivered, as if it had gone to the DLQ
    # WHEN the schedule runs (over this test's workspace only: the session's table holds many)
    monkeypatch.setattr(identity, "all_tenant_ids", lambda: [workspace.tenant_id])
    report = run_housekeeping()
    # THEN
    assert report["load_repairs"] >= 1 and report["marked_away"] >= 1 and report["assigned_from_queue"] >= 1
    assert loads.load_item(workspace.tenant_id, owner).open_by_priority.get("normal", 0) in (1, 2)
    assert api.get(f"/users/{lead.id}", admin).body["availability"] == "away"
    assert api.get(f"/tickets/{waiting['id']}", admin).body["ticket"]["assignee_id"] == agent.id


def test_a_dashboard_going_away_is_remembered_without_touching_the_users_version(
    api: ApiClient, workspace: Workspace
) -> None:
    from chalicelib.data import identity
    from chalicelib.services.housekeeping import note_disconnect

    # GIVEN an agent whose record was edited (its version moved on from 1)
    agent = workspace.members["agent"]
    api.patch(f"/users/{agent.id}", {"capacity": 7}, workspace.token("admin"))
    before = identity.get_user(workspace.tenant_id, agent.id)
    assert before is not None and before.last_seen_at is None
    # WHEN their last dashboard disconnects
    note_disconnect(workspace.tenant_id, agent.id)
    # THEN the moment is kept, and an edit made from the version read before still applies
    after = identity.get_user(workspace.tenant_id, agent.id)
    assert after is not None and after.last_seen_at is not None
    assert after.version == before.version
    reply = api.patch(f"/users/{agent.id}", {"capacity": 8}, workspace.token("admin"))
    assert reply.status == 200, reply.body
    # and a user who does not exist is not created by it
    note_disconnect(workspace.tenant_id, "0" * 32)
    assert identity.get_user(workspace.tenant_id, "0" * 32) is None
