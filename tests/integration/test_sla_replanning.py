"""SLA policies on the local stack: a policy change made over HTTP re-plans an open ticket through
DynamoDB Local's real stream and the event runner, never inside the request."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from chalicelib.domain.clock import from_text
from infra.local.stack import LocalStack
from tests.integration.http import Http, new_team


def eventually(condition: Callable[[], bool], what: str, timeout_seconds: float = 60) -> None:
    """Polls until the stream has done its work; the deadline bounds a hang, it measures nothing."""
    deadline = time.monotonic() + timeout_seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def http(local_stack: LocalStack) -> Http:
    return Http.for_stack(local_stack)


def test_a_policy_change_re_plans_open_tickets_and_pauses_are_kept(http: Http) -> None:
    team = new_team(http)
    admin = team.tokens["admin"]
    requester = {"email": "casey@example.com", "name": "Casey"}
    http.ok("PUT", "/settings/routing", admin, {"auto_assign_default": False})  # no version bumps by the router
    # GIVEN an open ticket in the billing queue, on the built-in default (4 h to answer a high ticket),
    # that waited on the customer once
    ticket = http.ok(
        "POST",
        "/tickets",
        admin,
        {
            "subject": "Invoice wrong",
            "description": "x",
            "requester": requester,
            "queue": "billing",
            "priority": "high",
        },
    )
    assert ticket["sla"]["policy_id"] == "default"
    paused = http.ok("PATCH", f"/tickets/{ticket['id']}", admin, {"status": "pending", "version": ticket["version"]})
    assert paused["sla"]["paused"] is True and paused["sla_due_at"] is None
    resumed = http.ok("PATCH", f"/tickets/{ticket['id']}", admin, {"status": "open", "version": paused["version"]})
    waited = from_text(resumed["sla"]["first_response_due_at"]) - from_text(ticket["sla"]["first_response_due_at"])
    assert waited > timedelta(0)

    # WHEN an admin adds a stricter policy for billing
    policy = http.ok(
        "POST",
        "/sla-policies",
        admin,
        {"name": "Billing", "queue": "billing", "targets": {"high": {"first_response_minutes": 30}}},
    )
    assert policy["position"] == 0

    # THEN the stream re-plans the ticket: 30 minutes from creation, plus the time it waited
    def replanned() -> dict[str, object]:
        return dict(http.ok("GET", f"/tickets/{ticket['id']}", admin)["ticket"])

    eventually(lambda: replanned()["sla"]["policy_id"] == policy["id"], "the re-plan")  # type: ignore[index]
    now = replanned()
    created = from_text(str(now["created_at"]))
    assert from_text(now["sla"]["first_response_due_at"]) == created + timedelta(minutes=30) + waited  # type: ignore[index]
    assert now["sla_due_at"] == now["sla"]["first_response_due_at"]  # type: ignore[index]
    history = http.ok("GET", f"/tickets/{ticket['id']}/history", admin)["items"]
    last = history[-1]
    assert last["actor"]["type"] == "system" and last["note"]["reason"] == "sla policies changed"
    paused_fields = [c for h in history for c in h["changes"] if c["field"] == "sla_paused_at"]
    assert len(paused_fields) == 2  # the pause and the resume

    # AND removing the policy puts the default back, again from the stream
    http.call("DELETE", f"/sla-policies/{policy['id']}", admin)
    eventually(lambda: replanned()["sla"]["policy_id"] == "default", "the re-plan after the delete")  # type: ignore[index]
    assert replanned()["sla"]["first_response_due_at"] == resumed["sla"]["first_response_due_at"]  # type: ignore[index]
