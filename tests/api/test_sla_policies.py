"""SLA policies and business hours through the API: who may read and change them, the 422s that
name the field, and tickets whose deadlines follow the policy, pause while pending and resume on
reopen, and are re-planned from the stream after a policy change."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chalicelib.domain.clock import from_text
from tests.api.client import ApiClient, Workspace, audit_events
from tests.api.notifications_support import QueuePump
from tests.api.streams import StreamPump
from tests.api.test_notifications import open_ticket, patch
from tests.api.test_watchers_and_sla import checks_for

NINE_TO_FIVE = [{"start": "09:00", "end": "17:00"}]
OFFICE_WEEK = {day: NINE_TO_FIVE for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}


def policy_body(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Billing",
        "queue": "billing",
        "targets": {"high": {"first_response_minutes": 30, "next_reply_minutes": 60, "resolution_minutes": 480}},
        **overrides,
    }


def add_policy(api: ApiClient, workspace: Workspace, **overrides: Any) -> dict[str, Any]:
    reply = api.post("/sla-policies", policy_body(**overrides), workspace.token("admin"))
    assert reply.status == 201, reply.body
    return dict(reply.body)


def field_of(reply: Any) -> str:
    assert reply.status == 422, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    return str(reply.body["errors"][0]["field"])


# --- policies: reading and changing ---------------------------------------------------------------


def test_a_new_workspace_has_only_the_builtin_default_with_todays_targets(api: ApiClient, workspace: Workspace) -> None:
    listing = api.get("/sla-policies", workspace.token("viewer"))
    assert listing.status == 200
    assert listing.body["items"] == []
    default = listing.body["default"]
    assert default["builtin"] is True and default["business_hours"] is False and default["position"] is None
    assert default["targets"]["urgent"] == {
        "first_response_minutes": 60,
        "next_reply_minutes": None,
        "resolution_minutes": 240,
    }
    assert default["targets"]["low"]["resolution_minutes"] == 5 * 24 * 60
    assert api.get("/sla-policies/default", workspace.token("agent")).body == default


def test_an_admin_adds_changes_orders_and_removes_policies(api: ApiClient, workspace: Workspace) -> None:
    admin = workspace.token("admin")
    billing = add_policy(api, workspace)
    vip = add_policy(api, workspace, name="VIP", queue=None, tag="vip", business_hours=True)
    assert (billing["position"], vip["position"]) == (0, 1)
    assert vip["targets"]["high"]["first_response_minutes"] == 30 and vip["builtin"] is False

    changed = api.patch(f"/sla-policies/{billing['id']}", {"name": "Billing desk", "queue": None}, admin)
    assert changed.status == 200, changed.body
    assert changed.body["name"] == "Billing desk" and changed.body["queue"] is None
    assert changed.body["targets"] == billing["targets"]  # left alone

    reordered = api.put("/sla-policies", {"ids": [vip["id"], billing["id"]]}, admin)
    assert reordered.status == 200, reordered.body
    assert [p["name"] for p in reordered.body["items"]] == ["VIP", "Billing desk"]
    assert api.get(f"/sla-policies/{billing['id']}", workspace.token("lead")).body["position"] == 1

    assert api.delete(f"/sla-policies/{vip['id']}", admin).status == 204
    assert api.get(f"/sla-policies/{vip['id']}", admin).status == 404
    assert [p["id"] for p in api.get("/sla-policies", admin).body["items"]] == [billing["id"]]

    actions = [e["action"] for e in audit_events(api, workspace)[:5]]
    assert actions == [
        "sla_policy.deleted",
        "sla_policies.reordered",
        "sla_policy.updated",
        "sla_policy.created",
        "sla_policy.created",
    ]


@pytest.mark.parametrize("role", ["lead", "agent", "viewer"])
def test_only_admins_change_policies_and_hours_while_everyone_reads_them(
    api: ApiClient, workspace: Workspace, role: str
) -> None:
    existing = add_policy(api, workspace)
    token = workspace.token(role)
    assert api.get("/sla-policies", token).status == 200
    assert api.get("/settings/business-hours", token).status == 200
    refused = [
        api.post("/sla-policies", policy_body(), token),
        api.patch(f"/sla-policies/{existing['id']}", {"name": "Mine"}, token),
        api.delete(f"/sla-policies/{existing['id']}", token),
        api.put("/sla-policies", {"ids": [existing["id"]]}, token),
        api.put("/settings/business-hours", {"time_zone": "UTC", "weekly_hours": OFFICE_WEEK}, token),
    ]
    assert [r.status for r in refused] == [403] * 5
    assert all("settings.manage" in r.body["detail"] for r in refused)
    assert api.get(f"/sla-policies/{existing['id']}", token).body["name"] == "Billing"


def test_the_builtin_default_cannot_be_changed_and_unknown_policies_are_404(
    api: ApiClient, workspace: Workspace
) -> None:
    admin = workspace.token("admin")
    assert api.patch("/sla-policies/default", {"name": "Mine"}, admin).status == 409
    assert api.delete("/sla-policies/default", admin).status == 409
    assert api.patch("/sla-policies/" + "0" * 32, {"name": "Mine"}, admin).status == 404
    assert api.delete("/sla-policies/" + "0" * 32, admin).status == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (policy_body(targets={"high": {"first_response_minutes": 0}}), "targets.high.first_response_minutes"),
        (policy_body(targets={"high": {"resolution_minutes": -30}}), "targets.high.resolution_minutes"),
        (policy_body(targets={"high": {"next_reply_minutes": 2.5}}), "targets.high.next_reply_minutes"),
        (policy_body(targets={}), "targets"),
        (policy_body(targets={"high": {}}), "targets.high"),
        (policy_body(targets={"critical": {"first_response_minutes": 5}}), "targets.critical.[key]"),
        (policy_body(name=""), "name"),
        (policy_body(queue="Not A Queue"), "queue"),
    ],
)
def test_a_bad_policy_is_a_422_naming_the_field_and_stores_nothing(
    api: ApiClient, workspace: Workspace, body: dict[str, Any], field: str
) -> None:
    assert field_of(api.post("/sla-policies", body, workspace.token("admin"))) == field
    assert api.get("/sla-policies", workspace.token("admin")).body["items"] == []


def test_a_bad_change_or_order_is_a_422_and_leaves_the_policy_alone(api: ApiClient, workspace: Workspace) -> None:
    admin = workspace.token("admin")
    policy = add_policy(api, workspace)
    zero = {"targets": {"high": {"first_response_minutes": 0}}}
    assert field_of(api.patch(f"/sla-policies/{policy['id']}", zero, admin)) == "targets.high.first_response_minutes"
    assert field_of(api.patch(f"/sla-policies/{policy['id']}", {"name": None}, admin)) == "name"
    assert field_of(api.put("/sla-policies", {"ids": []}, admin)) == "ids"
    assert field_of(api.put("/sla-policies", {"ids": [policy["id"], policy["id"]]}, admin)) == "ids"
    assert field_of(api.put("/sla-policies", {"ids": ["f" * 32]}, admin)) == "ids"
    assert api.get(f"/sla-policies/{policy['id']}", admin).body == policy


# --- business hours ------------------------------------------------------------------------------


def test_business_hours_default_to_weekdays_nine_to_five_utc_and_can_be_set(
    api: ApiClient, workspace: Workspace
) -> None:
    default = api.get("/settings/business-hours", workspace.token("agent")).body
    assert default["time_zone"] == "UTC" and default["weekly_hours"]["monday"] == NINE_TO_FIVE
    assert default["weekly_hours"]["sunday"] == [] and default["holidays"] == []

    body = {
        "time_zone": "Europe/Berlin",
        "weekly_hours": {
            **OFFICE_WEEK,
            "monday": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:30"}],
            "saturday": [{"start": "20:00", "end": "24:00"}],
        },
        "holiday_country": "DE",
        "holiday_subdivision": "BY",
        "holidays": [{"start": "2026-12-24", "end": "2026-12-31", "name": "Winter closing"}, {"start": "2027-02-01"}],
    }
    saved = api.put("/settings/business-hours", body, workspace.token("admin"))
    assert saved.status == 200, saved.body
    again = api.get("/settings/business-hours", workspace.token("viewer")).body
    assert again == saved.body
    assert again["weekly_hours"]["saturday"] == [{"start": "20:00", "end": "24:00"}]
    assert again["holidays"][1] == {"start": "2027-02-01", "end": "2027-02-01", "name": ""}
    assert audit_events(api, workspace)[0]["action"] == "settings.business_hours_changed"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"weekly_hours": {}}, "weekly_hours"),
        ({"weekly_hours": {"monday": [{"start": "09:00", "end": "09:00"}]}}, "weekly_hours.monday.0"),
        (
            {"weekly_hours": {"friday": [{"start": "09:00", "end": "13:00"}, {"start": "12:00", "end": "17:00"}]}},
            "weekly_hours.friday.1",
        ),
        ({"weekly_hours": {"monday": [{"start": "24:00", "end": "24:00"}]}}, "weekly_hours.monday.0.start"),
        ({"weekly_hours": {"monday": [{"start": "9am", "end": "17:00"}]}}, "weekly_hours.monday.0.start"),
        ({"holiday_country": "XX"}, "holiday_country"),
        ({"holiday_country": "DE", "holiday_subdivision": "ZZ"}, "holiday_subdivision"),
        ({"holiday_subdivision": "BY"}, "holiday_country"),
        ({"holidays": [{"start": "2026-12-24"}, {"start": "2026-12-24"}]}, "holidays.1"),
        ({"holidays": [{"start": "2026-12-20", "end": "2026-12-31"}, {"start": "2026-12-24"}]}, "holidays.1"),
        ({"holidays": [{"start": "2026-12-24", "end": "2026-12-01"}]}, "holidays.0.end"),
        ({"holidays": [{"start": "2026-02-30"}]}, "holidays.0.start"),
    ],
)
def test_bad_business_hours_are_a_422_naming_the_field_and_change_nothing(
    api: ApiClient, workspace: Workspace, changes: dict[str, Any], field: str
) -> None:
    body = {"time_zone": "UTC", "weekly_hours": OFFICE_WEEK, **changes}
    assert field_of(api.put("/settings/business-hours", body, workspace.token("admin"))) == field
    assert api.get("/settings/business-hours", workspace.token("admin")).body["time_zone"] == "UTC"


# --- tickets under policies ----------------------------------------------------------------------


def test_a_ticket_is_held_to_the_first_matching_policy(api: ApiClient, workspace: Workspace) -> None:
    add_policy(api, workspace)
    billing = open_ticket(api, workspace, queue="billing", priority="high")
    created = from_text(billing["created_at"])
    assert billing["sla"]["policy_name"] == "Billing"
    assert from_text(billing["sla"]["first_response_due_at"]) == created + timedelta(minutes=30)
    assert from_text(billing["sla"]["resolution_due_at"]) == created + timedelta(hours=8)
    assert billing["sla_due_at"] == billing["sla"]["first_response_due_at"]
    assert billing["sla"]["state"] == "ok" and billing["sla"]["paused"] is False
    # another queue, or a priority the policy does not set, keeps the default
    support = open_ticket(api, workspace, queue="support", priority="high")
    assert support["sla"]["policy_id"] == "default"
    assert from_text(support["sla_due_at"]) == from_text(support["created_at"]) + timedelta(hours=4)
    urgent = open_ticket(api, workspace, queue="billing", priority="urgent")
    assert urgent["sla"]["policy_id"] == "default"


def test_pending_pauses_the_clock_and_reopening_pushes_the_deadlines(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a ticket, first response due in 4 hours
    ticket = open_ticket(api, workspace, priority="high")
    due = from_text(ticket["sla"]["first_response_due_at"])
    # WHEN it waits on the customer
    pending = patch(api, workspace, ticket, status="pending")
    # THEN the clock stands still: nothing due, the deadlines kept
    assert pending["sla_due_at"] is None
    assert pending["sla"]["paused"] is True and pending["sla"]["paused_at"] is not None
    assert from_text(pending["sla"]["first_response_due_at"]) == due
    # WHEN it is opened again
    reopened = patch(api, workspace, pending, status="open")
    # THEN the deadlines moved by exactly the time it waited, and history shows both
    history = api.get(f"/tickets/{ticket['id']}/history", workspace.token("viewer")).body["items"]
    pause = next(h for h in history if any(c["field"] == "sla_paused_at" and c["from"] is None for c in h["changes"]))
    resume = next(h for h in history if any(c["field"] == "sla_paused_at" and c["to"] is None for c in h["changes"]))
    waited = from_text(resume["at"]) - from_text(pause["at"])
    assert reopened["sla"]["paused"] is False
    assert from_text(reopened["sla"]["first_response_due_at"]) == due + waited
    assert reopened["sla_due_at"] == reopened["sla"]["first_response_due_at"]
    moved = next(c for c in resume["changes"] if c["field"] == "first_response_due_at")
    assert from_text(moved["to"]) - from_text(moved["from"]) == waited


def test_on_hold_pauses_too_and_solving_ends_the_clock(api: ApiClient, workspace: Workspace) -> None:
    ticket = open_ticket(api, workspace)
    held = patch(api, workspace, ticket, status="on_hold")
    assert held["sla"]["paused"] is True and held["sla_due_at"] is None
    solved = patch(api, workspace, held, status="solved")
    assert solved["sla"]["paused"] is False and solved["sla_due_at"] is None and solved["sla"]["state"] == "none"
    reopened = patch(api, workspace, solved, status="open")
    assert reopened["sla_due_at"] is not None and reopened["sla"]["state"] == "ok"


def test_a_policy_change_re_plans_open_tickets_from_the_stream(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    # GIVEN an open ticket on the default policy, and a solved one
    ticket = open_ticket(api, workspace, queue="billing", priority="high")
    solved = patch(api, workspace, open_ticket(api, workspace, queue="billing", priority="high"), status="solved")
    pump.pump()
    # WHEN an admin adds a policy for its queue
    add_policy(api, workspace)
    # THEN the request itself re-planned nothing...
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["ticket"]["sla"]["policy_id"] == "default"
    # ...the stream did: new deadlines, a history entry by the system
    pump.pump()
    replanned = api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["ticket"]
    assert replanned["sla"]["policy_name"] == "Billing"
    created = from_text(replanned["created_at"])
    assert from_text(replanned["sla_due_at"]) == created + timedelta(minutes=30)
    entry = api.get(f"/tickets/{ticket['id']}/history", workspace.token("agent")).body["items"][-1]
    assert entry["actor"]["type"] == "system" and entry["note"]["reason"] == "sla policies changed"
    assert {c["field"] for c in entry["changes"]} >= {"sla_policy_id", "first_response_due_at"}
    # a solved ticket keeps the deadline it was solved against
    unchanged = api.get(f"/tickets/{solved['id']}", workspace.token("agent")).body["ticket"]
    assert unchanged["version"] == solved["version"] and unchanged["sla"]["policy_id"] == "default"
    # and delivering the change again moves nothing
    version = replanned["version"]
    pump.pump()
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["ticket"]["version"] == version


def test_ticket_writes_read_the_sla_settings_at_most_every_few_seconds(
    api: ApiClient, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.services import sla_context

    reads: list[str] = []
    fresh = sla_context.fresh_sla_context
    monkeypatch.setattr(sla_context, "fresh_sla_context", lambda tenant: reads.append(tenant) or fresh(tenant))
    sla_context.forget(workspace.tenant_id)
    ticket = open_ticket(api, workspace)
    patch(api, workspace, ticket, priority="low")
    assert reads == [workspace.tenant_id]  # once for both writes
    # the container that changes the settings forgets them at once
    add_policy(api, workspace, queue="support", targets={"low": {"first_response_minutes": 5}})
    assert patch(api, workspace, ticket, status="open")["sla"]["policy_name"] == "Billing"
    assert reads == [workspace.tenant_id] * 2
    # and another container reads them again within a few seconds
    monkeypatch.setattr(sla_context, "REMEMBER_SECONDS", 0.0)
    patch(api, workspace, ticket, status="pending")
    assert reads == [workspace.tenant_id] * 3


def test_a_re_plan_that_brings_a_deadline_near_queues_its_breach_check_at_once(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    # GIVEN an open high ticket (4 h to answer), its stream work done
    ticket = open_ticket(api, workspace, queue="billing", priority="high")
    pump.pump()
    queue.drain()
    # WHEN a policy gives billing 5 minutes, inside what the scheduled sweep has already covered
    add_policy(api, workspace, targets={"high": {"first_response_minutes": 5}})
    pump.pump()
    # THEN the re-plan queued the check for the new deadline, due when it falls
    replanned = api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body["ticket"]
    (check,) = checks_for(queue, ticket["id"])
    assert check.extra["due_at"] == replanned["sla_due_at"]
    assert check.not_before == from_text(replanned["sla_due_at"]).timestamp()
