"""Issue 14 on the local stack: tickets created, replied to, paused, solved and reopened over HTTP reach
the metrics consumer through DynamoDB Local's real stream; GET /metrics shows what the reference
predicts; rebuilding the day from history gives the same rollups."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.domain.clock import utcnow
from infra.local.stack import LocalStack
from tests.integration.http import Http, Team, new_team


def eventually(condition: Callable[[], bool], what: str, timeout_seconds: float = 60) -> None:
    """Polls until the stream has done its work; the deadline bounds a hang, it measures nothing."""
    deadline = time.monotonic() + timeout_seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def http(local_stack: LocalStack) -> Http:
    return Http.for_stack(local_stack)


def ticket(http: Http, team: Team, subject: str, priority: str = "high") -> dict[str, Any]:
    body = {"subject": subject, "description": "d", "requester": {"email": "c@example.com"}, "priority": priority}
    return http.ok("POST", "/tickets", team.tokens["lead"], body)  # type: ignore[no-any-return]


def patch(http: Http, team: Team, ticket_id: str, body: dict[str, Any]) -> None:
    current = http.ok("GET", f"/tickets/{ticket_id}", team.tokens["agent"])
    version = current.get("version", current.get("ticket", {}).get("version"))
    http.ok("PATCH", f"/tickets/{ticket_id}", team.tokens["agent"], body, headers={"If-Match": str(version)})


def reply(http: Http, team: Team, ticket_id: str) -> None:
    http.ok("POST", f"/tickets/{ticket_id}/comments", team.tokens["agent"], {"body": "On it", "public": True})


def test_worked_tickets_give_the_figures_the_reference_predicts_and_rebuild_equals_incremental(http: Http) -> None:
    # GIVEN tickets worked through the API
    team = new_team(http, roles=("lead", "agent"))
    first_day = utcnow().date()  # the writes may straddle midnight (UTC, the team's zone): ask for both days
    a = ticket(http, team, "Login loop on the portal")
    b = ticket(http, team, "Refund for the login outage", priority="normal")
    ticket(http, team, "Export is slow", priority="low")
    reply(http, team, a["id"])  # first response
    patch(http, team, a["id"], {"status": "pending"})  # waiting on the customer
    patch(http, team, a["id"], {"status": "solved"})
    reply(http, team, a["id"])  # a public reply reopens the solved ticket
    reply(http, team, b["id"])
    patch(http, team, b["id"], {"status": "solved"})
    last_day = utcnow().date()
    period = f"from={first_day.isoformat()}&to={last_day.isoformat()}"

    def figures() -> dict[str, Any]:
        return http.ok("GET", f"/metrics?{period}", team.tokens["lead"])  # type: ignore[no-any-return]

    # THEN, once the stream has been read, GET /metrics says what was done
    expected = {"created": 3, "solved": 2, "reopened": 1}
    eventually(lambda: {k: figures()[k] for k in expected} == expected, "the rollups to catch up")
    got = figures()
    assert got["first_response"]["count"] == 2
    assert got["replies_per_solved"] == 1.5  # three public agent replies, two solved
    assert got["resolved_24h_share"] == 1.0
    assert {s["target"]: (s["met"], s["breached"]) for s in got["sla"]} == {
        "first_response": (2, 0),
        "next_reply": (0, 0),  # the default policy sets no next-reply target
        "resolution": (2, 0),
    }
    assert got["backlog_now"]["open"] == 2 and got["backlog_now"]["unassigned"] == 2
    assert {t["term"]: t["count"] for t in got["top_words"]}["login"] == 2
    by_priority = {p["priority"]: p["count"] for p in got["first_response_by_priority"]}
    assert by_priority == {"urgent": 0, "high": 1, "normal": 1, "low": 0}
    behind = http.ok("GET", f"/metrics/tickets?measure=solved&{period}", team.tokens["lead"])
    assert {t["id"] for t in behind["items"]} == {a["id"], b["id"]}

    # AND rebuilding the day from the tickets' history gives the rollups the stream kept
    from chalicelib.data import metrics as rollups
    from chalicelib.domain.metrics_fold import STORED_DIMENSIONS
    from chalicelib.services.metrics_rebuild import rebuild_day

    tenant_id = http.ok("GET", "/me", team.tokens["lead"])["workspace"]["id"]
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]

    def snapshot() -> dict[tuple[str, str], Any]:
        return {
            (row.dimension, row.value): row.totals
            for dimension in STORED_DIMENSIONS
            for row in rollups.read_period(tenant_id, dimension, first_day, last_day)
        }

    kept = snapshot()
    assert sum(rebuild_day(tenant_id, day) for day in days) == len(kept)
    assert snapshot() == kept
    assert figures()["solved"] == 2
    # AND recounting the backlog from the open tickets gives the counters the stream kept
    from chalicelib.services.metrics_rebuild import recount_backlog

    kept_backlog = {k: figures()["backlog_now"][k] for k in ("open", "unassigned")}
    recount_backlog(tenant_id)
    recounted = {k: figures()["backlog_now"][k] for k in ("open", "unassigned")}
    assert recounted == kept_backlog == {"open": 2, "unassigned": 2}
