"""Rules through the API: CRUD and order, who may change them, validation that names the field and
changes nothing, "test this rule", and event rules run by the stream consumer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.clock import utcnow
from chalicelib.domain.csat import survey_token
from chalicelib.settings import get_settings
from tests.api.client import ApiClient, Workspace, audit_events
from tests.api.streams import StreamPump

VIP_RULE: dict[str, Any] = {
    "name": "Urgent VIP to tier 2",
    "kind": "event",
    "triggers": [{"event": "created"}],
    "conditions": {
        "all": [
            {"field": "priority", "op": "is", "value": "urgent"},
            {"field": "requester_domain", "op": "is", "value": "vip.example"},
        ]
    },
    "actions": [
        {"type": "set_queue", "queue": "tier-2"},
        {"type": "add_tags", "tags": ["vip"]},
        {"type": "add_note", "body": "Routed to tier 2 for {{ requester.email }}"},
    ],
}


def create(api: ApiClient, workspace: Workspace, body: dict[str, Any], role: str = "admin") -> dict[str, Any]:
    reply = api.post("/rules", body, workspace.token(role))
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]


def open_ticket(api: ApiClient, workspace: Workspace, **fields: Any) -> dict[str, Any]:
    body = {"subject": "Help", "description": "Please", "requester": {"email": "r@example.com"}, **fields}
    reply = api.post("/tickets", body, workspace.token("admin"))
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]


def rules_of(api: ApiClient, workspace: Workspace) -> list[dict[str, Any]]:
    reply = api.get("/rules", workspace.token("agent"))
    assert reply.status == 200, reply.body
    return reply.body["rules"]  # type: ignore[no-any-return]


def test_leads_create_change_reorder_and_delete_rules(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN two rules made by a lead and an admin
    first = create(api, workspace, VIP_RULE, role="lead")
    second = create(api, workspace, {**VIP_RULE, "name": "Second"})
    assert [r["name"] for r in rules_of(api, workspace)] == ["Urgent VIP to tier 2", "Second"]
    assert first["actions"][0] == {"type": "set_queue", "queue": "tier-2"}
    # WHEN the order is swapped, the first is disabled in one click and the second renamed
    reply = api.put("/rules/order", {"ids": [second["id"], first["id"]]}, workspace.token("lead"))
    assert reply.status == 200, reply.body
    second = reply.body["rules"][0]  # moving a rule is a change of it: its version moved on
    disabled = api.patch(f"/rules/{first['id']}", {"enabled": False}, workspace.token("lead"))
    assert disabled.status == 200, disabled.body
    renamed = api.patch(
        f"/rules/{second['id']}", {"name": "Renamed", "version": second["version"]}, workspace.token("admin")
    )
    assert renamed.status == 200, renamed.body
    # THEN the list shows it all, in the new order
    listed = rules_of(api, workspace)
    assert [(r["name"], r["enabled"], r["position"]) for r in listed] == [
        ("Renamed", True, 1),
        ("Urgent VIP to tier 2", False, 2),
    ]
    # a stale version is refused and changes nothing
    stale = api.patch(
        f"/rules/{second['id']}", {"name": "Lost", "version": second["version"]}, workspace.token("admin")
    )
    assert stale.status == 409, stale.body
    assert api.get(f"/rules/{second['id']}", workspace.token("viewer")).body["name"] == "Renamed"
    # AND deleting leaves the other; the audit log names each change
    assert api.delete(f"/rules/{second['id']}", workspace.token("admin")).status == 204
    assert [r["id"] for r in rules_of(api, workspace)] == [first["id"]]
    actions = {e["action"] for e in audit_events(api, workspace)}
    assert {"rule.created", "rule.updated", "rules.reordered", "rule.deleted"} <= actions


@pytest.mark.parametrize("role", ["agent", "viewer"])
def test_agents_and_viewers_read_rules_but_cannot_change_them(api: ApiClient, workspace: Workspace, role: str) -> None:
    rule = create(api, workspace, VIP_RULE)
    token = workspace.token(role)
    assert api.get("/rules", token).status == 200
    assert api.get(f"/rules/{rule['id']}/runs", token).status == 200
    assert api.post("/rules", VIP_RULE, token).status == 403
    assert api.patch(f"/rules/{rule['id']}", {"enabled": False}, token).status == 403
    assert api.put("/rules/order", {"ids": [rule["id"]]}, token).status == 403
    assert api.delete(f"/rules/{rule['id']}", token).status == 403
    assert rules_of(api, workspace)[0]["enabled"] is True


BAD_RULES = [
    ({"conditions": {"all": [{"field": "mood", "op": "is", "value": "x"}]}}, "conditions.all.0.field"),
    ({"conditions": {"all": [{"field": "status", "op": "contains", "value": "x"}]}}, "conditions.all.0.op"),
    ({"conditions": {"all": [{"field": "priority", "op": "is", "value": "huge"}]}}, "conditions.all.0.value"),
    ({"actions": [{"type": "add_note", "body": "Hi {{ ticket.secret }}"}]}, "actions.0.add_note.body"),
    ({"actions": [{"type": "add_note", "body": "{{ ''.__class__.__mro__ }}"}]}, "actions.0.add_note.body"),
    ({"actions": [{"type": "add_note", "body": "{{ cycler.__init__.__globals__ }}"}]}, "actions.0.add_note.body"),
    ({"actions": [{"type": "explode"}]}, "actions.0"),
    (
        {
            "conditions": {"all": [{"field": "status", "op": "is", "value": "closed"}]},
            "actions": [{"type": "set_status", "status": "open"}],
        },
        "actions.0.status",
    ),
    ({"actions": [{"type": "set_status", "status": "new"}]}, "actions.0.status"),
    ({"triggers": []}, "triggers"),
    (
        {"conditions": {"all": [{"field": "hours_since_created", "op": "at_least", "value": 3}]}},
        "conditions.all.0.field",
    ),
    ({"actions": [{"type": "set_assignee", "assignee": "0" * 32}]}, "actions.0.set_assignee.assignee"),
    ({"actions": [{"type": "send_webhook", "endpoint_id": "nope"}]}, "actions.0.send_webhook.endpoint_id"),
    ({"actions": [{"type": "apply_macro", "macro_id": "nope"}]}, "actions.0.apply_macro.macro_id"),
    (
        {"actions": [{"type": "add_note", "body": "a"}, {"type": "add_reply", "body": "b"}]},
        "actions.1",
    ),
    ({"actions": [{"type": "send_email", "to": "user", "subject": "Hi", "body": "x"}]}, "actions.0.send_email.user_id"),
]


@pytest.mark.parametrize(("change", "field"), BAD_RULES, ids=[f for _, f in BAD_RULES])
def test_a_bad_rule_is_refused_naming_the_field_and_nothing_is_saved(
    api: ApiClient, workspace: Workspace, change: dict[str, Any], field: str
) -> None:
    reply = api.post("/rules", {**VIP_RULE, **change}, workspace.token("admin"))
    assert reply.status == 422, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert field in [e["field"] for e in reply.body["errors"]], reply.body
    assert rules_of(api, workspace) == []
    # and the same change to a stored rule leaves it as it was
    rule = create(api, workspace, VIP_RULE)
    patched = api.patch(f"/rules/{rule['id']}", change, workspace.token("admin"))
    assert patched.status == 422, patched.body
    assert api.get(f"/rules/{rule['id']}", workspace.token("admin")).body == rule


def test_a_time_rule_needs_an_hours_condition(api: ApiClient, workspace: Workspace) -> None:
    body = {**VIP_RULE, "kind": "time", "triggers": []}
    reply = api.post("/rules", body, workspace.token("admin"))
    assert reply.status == 422
    assert [e["field"] for e in reply.body["errors"]] == ["conditions.all"]
    body["conditions"] = {"all": [{"field": "hours_since_solved", "op": "at_least", "value": 120}]}
    body["actions"] = [{"type": "set_status", "status": "closed"}]
    assert create(api, workspace, body)["kind"] == "time"


def test_testing_a_rule_shows_each_condition_and_the_actions_and_changes_nothing(
    api: ApiClient, workspace: Workspace
) -> None:
    rule = create(api, workspace, VIP_RULE)
    ticket = open_ticket(api, workspace, priority="urgent", requester={"email": "boss@VIP.example"})
    reply = api.post(f"/rules/{rule['id']}/test", {"number": ticket["number"]}, workspace.token("agent"))
    assert reply.status == 200, reply.body
    result = reply.body
    assert result["matched"] is True
    assert [(c["field"], c["actual"], c["matched"]) for c in result["conditions"]] == [
        ("priority", "urgent", True),
        ("requester_domain", "vip.example", True),
    ]
    assert result["actions"] == [
        "set queue to tier-2",
        "add tag vip",
        "internal note: Routed to tier 2 for boss@vip.example",
    ]
    after = api.get(f"/tickets/{ticket['id']}", workspace.token("admin")).body["ticket"]
    assert (after["queue"], after["tags"], after["version"]) == (ticket["queue"], [], ticket["version"])
    # a ticket that does not match says which condition failed
    other = open_ticket(api, workspace, priority="low")
    miss = api.post(f"/rules/{rule['id']}/test", {"ticket_id": other["id"]}, workspace.token("admin")).body
    assert miss["matched"] is False
    assert [c["matched"] for c in miss["conditions"]] == [False, False]
    assert api.get(f"/rules/{rule['id']}/runs", workspace.token("admin")).body["runs"] == []
    # naming no ticket, or both, is a 422; an unknown one a 404
    assert api.post(f"/rules/{rule['id']}/test", {}, workspace.token("admin")).status == 422
    assert api.post(f"/rules/{rule['id']}/test", {"number": 99999}, workspace.token("admin")).status == 404


def test_a_created_ticket_matching_an_event_rule_is_changed_by_it_in_the_stream(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    rule = create(api, workspace, VIP_RULE)
    vip = open_ticket(api, workspace, priority="urgent", requester={"email": "ceo@vip.example"})
    plain = open_ticket(api, workspace, priority="urgent")
    pump.pump()
    token = workspace.token("admin")
    changed = api.get(f"/tickets/{vip['id']}", token).body
    assert (changed["ticket"]["queue"], changed["ticket"]["tags"]) == ("tier-2", ["vip"])
    notes = [c for c in changed["comments"] if not c["public"]]
    assert [n["body"] for n in notes] == ["Routed to tier 2 for ceo@vip.example"]
    assert notes[0]["author"]["id"] == f"rule:{rule['id']}"
    history = api.get(f"/tickets/{vip['id']}/history", token).body["items"]
    by_rule = [h for h in history if h["actor"]["type"] == "rule"]
    assert by_rule and all(h["actor"]["name"] == "Urgent VIP to tier 2" for h in by_rule)
    assert api.get(f"/tickets/{plain['id']}", token).body["ticket"]["queue"] != "tier-2"
    runs = api.get(f"/rules/{rule['id']}/runs", token).body["runs"]
    assert [(r["ticket_number"], r["outcome"]) for r in runs] == [(vip["number"], "applied")]


def test_two_rules_that_would_ping_pong_stop_at_the_depth_limit(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    # GIVEN one rule that raises the priority of a ticket when it is lowered, and one that lowers it
    up = {
        "name": "Up",
        "kind": "event",
        "triggers": [{"event": "updated", "field": "priority", "changed_to": "low"}],
        "actions": [{"type": "set_priority", "priority": "high"}],
    }
    down = {
        "name": "Down",
        "kind": "event",
        "triggers": [{"event": "updated", "field": "priority", "changed_to": "high"}],
        "actions": [{"type": "set_priority", "priority": "low"}],
    }
    up_rule, down_rule = create(api, workspace, up), create(api, workspace, down)
    ticket = open_ticket(api, workspace, priority="normal")
    # WHEN a person lowers the priority
    reply = api.patch(
        f"/tickets/{ticket['id']}", {"priority": "low", "version": ticket["version"]}, workspace.token("admin")
    )
    assert reply.status == 200, reply.body
    pump.pump(rounds=40)
    # THEN the rules answer each other five times, then stop with a "stopped" run
    token = workspace.token("admin")
    history = api.get(f"/tickets/{ticket['id']}/history", token).body["items"]
    assert len([h for h in history if h["actor"]["type"] == "rule"]) == 5
    runs = [r for rule in (up_rule, down_rule) for r in api.get(f"/rules/{rule['id']}/runs", token).body["runs"]]
    assert [r["outcome"] for r in runs].count("stopped") == 1
    assert sorted(r["outcome"] for r in runs).count("applied") == 5


def later(monkeypatch: pytest.MonkeyPatch, by: timedelta) -> None:
    """The rules' clock moved on (the tickets keep their stored times)."""
    from chalicelib.services import rule_engine, time_rules

    moved = lambda: datetime.now(UTC) + by  # noqa: E731
    monkeypatch.setattr(time_rules, "utcnow", moved)
    monkeypatch.setattr(rule_engine, "utcnow", moved)


def test_a_time_rule_acts_once_per_period(
    api: ApiClient, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.services.time_rules import run_time_rules

    # GIVEN a rule that nudges tickets pending for two days, and a pending and an open ticket
    rule = create(
        api,
        workspace,
        {
            "name": "Nudge after 48h pending",
            "kind": "time",
            "conditions": {"all": [{"field": "hours_since_pending", "op": "at_least", "value": 48}]},
            "actions": [
                {"type": "add_tags", "tags": ["nudged"]},
                {"type": "add_note", "body": "Still waiting on {{ requester.email }}"},
            ],
        },
    )
    token = workspace.token("admin")
    pending, still_open = open_ticket(api, workspace), open_ticket(api, workspace)
    moved = api.patch(f"/tickets/{pending['id']}", {"status": "pending", "version": pending["version"]}, token)
    assert moved.status == 200, moved.body
    # WHEN the sweep runs before the two days are up, nothing happens
    assert run_time_rules(workspace.tenant_id)["applied"] == 0
    # THEN after them it acts on the pending ticket once, however often it runs
    later(monkeypatch, timedelta(hours=49))
    assert run_time_rules(workspace.tenant_id)["applied"] == 1
    assert run_time_rules(workspace.tenant_id)["applied"] == 0
    first = api.get(f"/tickets/{pending['id']}", token).body
    assert first["ticket"]["tags"] == ["nudged"]
    assert [c["body"] for c in first["comments"] if not c["public"]] == ["Still waiting on r@example.com"]
    assert api.get(f"/tickets/{still_open['id']}", token).body["ticket"]["tags"] == []
    # AND a new period (pending again after a reply) is a new chance
    current = first["ticket"]
    reopened = api.patch(f"/tickets/{pending['id']}", {"status": "open", "version": current["version"]}, token).body
    api.patch(f"/tickets/{pending['id']}", {"status": "pending", "version": reopened["version"]}, token)
    monkeypatch.undo()
    later(monkeypatch, timedelta(hours=49))
    assert run_time_rules(workspace.tenant_id)["applied"] == 1
    runs = api.get(f"/rules/{rule['id']}/runs", token).body["runs"]
    assert [r["outcome"] for r in runs] == ["applied", "applied"]


def test_a_rule_applies_a_shared_macro_and_emails_the_requester(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    macro = api.post(
        "/macros",
        {"name": "Escalate", "actions": [{"type": "set_priority", "priority": "high"}], "shared": True},
        workspace.token("lead"),
    )
    assert macro.status == 201, macro.body
    rule = create(
        api,
        workspace,
        {
            "name": "Crash reports",
            "kind": "event",
            "triggers": [{"event": "created"}],
            "conditions": {"any": [{"field": "subject", "op": "contains", "value": "crash"}]},
            "actions": [
                {"type": "apply_macro", "macro_id": macro.body["id"]},
                {
                    "type": "send_email",
                    "to": "requester",
                    "subject": "We got #{{ ticket.number }}",
                    "body": "Hi {{ requester.first_name }}",
                },
            ],
        },
    )
    ticket = open_ticket(api, workspace, subject="App CRASH on start")
    pump.pump()
    after = api.get(f"/tickets/{ticket['id']}", workspace.token("admin")).body["ticket"]
    assert after["priority"] == "high"
    runs = api.get(f"/rules/{rule['id']}/runs", workspace.token("admin")).body["runs"]
    assert runs[0]["actions"] == ["set priority to high", f"email r@example.com: We got #{ticket['number']}"]


def test_a_lost_race_evaluates_the_rule_again_on_the_fresh_ticket(
    api: ApiClient, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.services import rule_engine

    # GIVEN an urgent ticket and a rule for urgent tickets
    rule = create(
        api, workspace, {**VIP_RULE, "conditions": {"all": [{"field": "priority", "op": "is", "value": "urgent"}]}}
    )
    ticket = open_ticket(api, workspace, priority="urgent")
    real_commit = rule_engine.commit
    raced: list[int] = []

    def commit_after_a_person(tenant_id: str, change: Any, markers: Any = ()) -> Any:
        if not raced:  # a person lowers the priority between the rule's read and its write
            raced.append(1)
            reply = api.patch(
                f"/tickets/{ticket['id']}", {"priority": "low", "version": ticket["version"]}, workspace.token("admin")
            )
            assert reply.status == 200, reply.body
        return real_commit(tenant_id, change, markers)

    monkeypatch.setattr(rule_engine, "commit", commit_after_a_person)
    loaded = rule_engine.loaded(rule_engine.repo.get_rule(workspace.tenant_id, rule["id"]))  # type: ignore[arg-type]
    # WHEN the rule runs, its first write loses the race
    result = rule_engine.run_rule(workspace.tenant_id, loaded, ticket["id"], depth=1, period="evt:race")
    # THEN it read the ticket again, saw it no longer matches, and changed nothing
    assert raced and result.outcome == "not_matched"
    after = api.get(f"/tickets/{ticket['id']}", workspace.token("admin")).body["ticket"]
    assert (after["priority"], after["queue"], after["tags"]) == ("low", ticket["queue"], [])


def test_a_rated_rule_acts_when_the_requester_answers_the_survey(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    # GIVEN a rule on "rated" that tags bad ratings for a lead to read
    create(
        api,
        workspace,
        {
            "name": "Bad rating to the lead",
            "kind": "event",
            "triggers": [{"event": "rated"}],
            "conditions": {"all": []},
            "actions": [{"type": "add_tags", "tags": ["rated"]}],
        },
    )
    ticket = open_ticket(api, workspace)
    admin = workspace.token("admin")
    assert api.patch(f"/tickets/{ticket['id']}", {"status": "solved", "version": 1}, admin).status == 200
    pump.pump()
    assert "rated" not in api.get(f"/tickets/{ticket['id']}", admin).body["ticket"]["tags"]

    # WHEN the requester answers through the signed survey link
    token = survey_token(get_settings().survey_token_key, workspace.tenant_id, ticket["id"], utcnow())
    assert api.post(f"/csat/{token}", {"rating": "bad"}).status == 200
    pump.pump()

    # THEN the rule has acted on the rated ticket
    assert "rated" in api.get(f"/tickets/{ticket['id']}", admin).body["ticket"]["tags"]
