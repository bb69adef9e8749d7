"""The audit log by who, what and when, and as CSV."""

from __future__ import annotations

import csv
import io

from tests.api.client import ApiClient, Workspace
from tests.api.test_tickets import new_ticket, patch


def test_filters_by_actor_action_and_period(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN the agent and the lead each changed a ticket
    admin = workspace.token("admin")
    agent, lead = workspace.members["agent"], workspace.members["lead"]
    ticket = new_ticket(api, agent.token)
    changed = patch(api, lead.token, ticket, priority="high").body
    everything = api.get("/audit?limit=100", admin).body["items"]

    # WHEN the log is read by actor, by action family, and by period
    by_lead = api.get(f"/audit?actor={lead.id}", admin).body["items"]
    tickets_only = api.get("/audit?action=ticket.", admin).body["items"]
    created = api.get("/audit?action=ticket.created", admin).body["items"]
    moment = next(e["at"] for e in everything if e["action"] == "ticket.created")
    since = api.get(f"/audit?after={moment.replace('Z', '%2B00:00')}", admin).body["items"]

    # THEN each holds exactly what matches, newest first
    assert by_lead and all(e["actor"]["id"] == lead.id for e in by_lead)
    assert {e["action"] for e in tickets_only} <= {
        a for a in (e["action"] for e in everything) if a.startswith("ticket.")
    }
    assert len(tickets_only) >= 2
    assert [e["target"]["number"] for e in created] == [str(ticket["number"])]
    assert all(e["at"] >= moment for e in since) and len(since) < len(everything)
    assert changed["priority"] == "high"


def test_a_sparse_filter_pages_with_a_cursor_and_reads_a_bounded_amount(
    api: ApiClient, workspace: Workspace, monkeypatch: object
) -> None:
    from chalicelib.data import audit_search

    admin = workspace.token("admin")
    for _ in range(3):
        new_ticket(api, workspace.token("agent"))
    lead_id = workspace.members["lead"].id  # has done nothing
    first = api.get(f"/audit?actor={lead_id}&action=ticket.&limit=5", admin)
    assert first.status == 200 and first.body["items"] == []
    # a small read cap leaves a cursor on a long log, which reads on from where it stopped
    items, cursor = audit_search.search_events(
        workspace.tenant_id, audit_search.AuditFilter(action="ticket.created"), 10, None, read_cap=2
    )
    assert cursor is not None and len(items) <= 2
    rest, _ = audit_search.search_events(
        workspace.tenant_id, audit_search.AuditFilter(action="ticket.created"), 10, cursor
    )
    assert len(items) + len(rest) == 3


def test_bad_filters_name_the_field(api: ApiClient, workspace: Workspace) -> None:
    admin = workspace.token("admin")
    for query, field in [
        ("actor=no%20spaces", "actor"),
        ("action=DROP%20TABLE", "action"),
        ("after=2026-01-02T00:00:00Z&before=2026-01-01T00:00:00Z", "before"),
        ("after=yesterday", "after"),
    ]:
        reply = api.get(f"/audit?{query}", admin)
        assert reply.status == 422, (query, reply.body)
        assert reply.body["errors"][0]["field"] == field


def test_csv_export_has_names_and_ticket_numbers(api: ApiClient, workspace: Workspace) -> None:
    # (every cell goes through the metrics export's CellWriter, whose formula escaping is tested there)
    admin = workspace.token("admin")
    ticket = new_ticket(api, workspace.token("agent"))

    text_rows = list(csv.DictReader(io.StringIO(_text(api, admin))))
    created = [r for r in text_rows if r["action"] == "ticket.created"]
    assert created[0]["target"] == f"#{ticket['number']}"
    assert created[0]["actor"]
    assert created[0]["actor_id"] == workspace.members["agent"].id


def _text(api: ApiClient, token: str) -> str:
    response = api.chalice.http.request(
        "GET", "/api/v1/audit", headers={"authorization": f"Bearer {token}", "accept": "text/csv"}, body=b""
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "audit.csv" in response.headers["Content-Disposition"]
    return response.body.decode()  # type: ignore[no-any-return]
