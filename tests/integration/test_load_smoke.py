"""The load benchmark's locust file (``make bench-load``) against the real stack, at 2 agents for a few
seconds: every request type it sends is answered without an error. Nothing here is timed."""

from __future__ import annotations

import json
from pathlib import Path

from infra.local.stack import LocalStack
from tests.integration.http import PASSWORD, Http, new_team
from tests.perf.load import Target, run_locust

SECONDS = 4


def test_the_agent_mix_runs_without_errors(local_stack: LocalStack, tmp_path: Path) -> None:
    # GIVEN a workspace with two agents and a ticket, described as the seed describes its workspace
    http = Http.for_stack(local_stack)
    team = new_team(http, roles=("agent", "agent2"))
    ticket = http.ok(
        "POST",
        "/tickets",
        team.tokens["admin"],
        {"subject": "Urgent: smoke", "description": "x", "requester": {"email": "c@example.com"}, "priority": "urgent"},
    )
    manifest = tmp_path / "workspace.json"
    manifest.write_text(
        json.dumps(
            {
                "slug": team.slug,
                "password": PASSWORD,
                "agent_emails": [f"agent@{team.slug}.example.com", f"agent2@{team.slug}.example.com"],
                "ticket_ids": [ticket["id"]],
            }
        )
    )
    # WHEN locust runs the mix with two simulated agents
    target = Target("pulsedesk", local_stack.base_url, {"LOAD_MANIFEST": str(manifest)})
    rows, _, _ = run_locust(target, 2, SECONDS, tmp_path, stack_root=None, settle=0)
    # THEN both signed in, requests were made and none failed
    by_name = {row["Name"]: row for row in rows}
    assert int(by_name["Aggregated"]["Request Count"]) > 0, rows
    assert all(int(row["Failure Count"]) == 0 for row in rows), rows
    assert set(by_name) - {"Aggregated"} <= {"login", "filtered list", "ticket detail", "create"}
