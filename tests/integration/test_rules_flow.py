"""Rules on the local stack: DynamoDB Local's real stream runs event rules; the sweep runs time rules
against DynamoDB Local's indexes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from infra.local.stack import LocalStack
from tests.integration.http import Http, Team, new_team
from tests.integration.test_assignment_flow import eventually


@pytest.fixture(scope="module")
def http(local_stack: LocalStack) -> Http:
    return Http.for_stack(local_stack)


def tenant_of(team: Team) -> str:
    return str(jwt.decode(team.tokens["admin"], options={"verify_signature": False})["tid"])


def new_ticket(http: Http, team: Team, **fields: Any) -> dict[str, Any]:
    body = {"subject": "Help", "description": "x", "requester": {"email": "r@example.com"}, **fields}
    return http.ok("POST", "/tickets", team.tokens["admin"], body)  # type: ignore[no-any-return]


def rule_history(http: Http, team: Team, ticket_id: str) -> list[dict[str, Any]]:
    items = http.ok("GET", f"/tickets/{ticket_id}/history", team.tokens["admin"])["items"]
    return [h for h in items if h["actor"]["type"] == "rule"]


def test_a_created_ticket_matching_a_rule_is_changed_through_the_real_stream(http: Http) -> None:
    team = new_team(http, roles=())
    rule = http.ok(
        "POST",
        "/rules",
        team.tokens["admin"],
        {
            "name": "VIP to tier 2",
            "kind": "event",
            "triggers": [{"event": "created"}],
            "conditions": {"all": [{"field": "requester_domain", "op": "is", "value": "vip.example"}]},
            "actions": [{"type": "set_queue", "queue": "tier-2"}, {"type": "set_priority", "priority": "urgent"}],
        },
    )
    ticket = new_ticket(http, team, requester={"email": "ceo@vip.example"})
    eventually(lambda: bool(rule_history(http, team, ticket["id"])), "the rule's change")
    changed = http.ok("GET", f"/tickets/{ticket['id']}", team.tokens["admin"])["ticket"]
    assert (changed["queue"], changed["priority"]) == ("tier-2", "urgent")
    (entry,) = rule_history(http, team, ticket["id"])
    assert entry["actor"] == {"type": "rule", "id": f"rule:{rule['id']}", "name": "VIP to tier 2"}
    audit = http.ok("GET", "/audit?limit=100", team.tokens["admin"])["items"]
    assert any(e["actor"].get("id") == f"rule:{rule['id']}" for e in audit)


def test_two_rules_that_would_ping_pong_stop_at_the_depth_limit(http: Http) -> None:
    team = new_team(http, roles=())
    for name, when, then in (("Up", "low", "high"), ("Down", "high", "low")):
        http.ok(
            "POST",
            "/rules",
            team.tokens["admin"],
            {
                "name": name,
                "kind": "event",
                "triggers": [{"event": "updated", "field": "priority", "changed_to": when}],
                "actions": [{"type": "set_priority", "priority": then}],
            },
        )
    ticket = new_ticket(http, team, priority="normal")
    http.ok(
        "PATCH", f"/tickets/{ticket['id']}", team.tokens["admin"], {"priority": "low", "version": ticket["version"]}
    )
    rules = http.ok("GET", "/rules", team.tokens["admin"])["rules"]

    def stopped() -> bool:
        runs = [r for rule in rules for r in http.ok("GET", f"/rules/{rule['id']}/runs", team.tokens["admin"])["runs"]]
        return any(r["outcome"] == "stopped" for r in runs)

    eventually(stopped, "the chain to stop")
    assert len(rule_history(http, team, ticket["id"])) == 5


def test_a_time_rule_fires_once_per_period(http: Http, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.services import rule_engine, time_rules

    team = new_team(http, roles=())
    rule = http.ok(
        "POST",
        "/rules",
        team.tokens["admin"],
        {
            "name": "Close after 5 days solved",
            "kind": "time",
            "conditions": {"all": [{"field": "hours_since_solved", "op": "at_least", "value": 120}]},
            "actions": [{"type": "set_status", "status": "closed"}],
        },
    )
    ticket = new_ticket(http, team)
    other = new_ticket(http, team)
    http.ok(
        "PATCH", f"/tickets/{ticket['id']}", team.tokens["admin"], {"status": "solved", "version": ticket["version"]}
    )
    tenant_id = tenant_of(team)
    assert time_rules.run_time_rules(tenant_id)["applied"] == 0  # not five days yet

    def in_six_days() -> datetime:
        return datetime.now(UTC) + timedelta(days=6)

    monkeypatch.setattr(time_rules, "utcnow", in_six_days)
    monkeypatch.setattr(rule_engine, "utcnow", in_six_days)
    # the status index is eventually consistent: the solved ticket shows up in it within moments
    eventually(lambda: time_rules.run_time_rules(tenant_id)["applied"] == 1, "the time rule to act")
    assert time_rules.run_time_rules(tenant_id)["applied"] == 0
    assert http.ok("GET", f"/tickets/{ticket['id']}", team.tokens["admin"])["ticket"]["status"] == "closed"
    assert http.ok("GET", f"/tickets/{other['id']}", team.tokens["admin"])["ticket"]["status"] == "new"
    runs = http.ok("GET", f"/rules/{rule['id']}/runs", team.tokens["admin"])["runs"]
    assert [(r["ticket_number"], r["outcome"]) for r in runs] == [(ticket["number"], "applied")]
