"""Email notifications through the whole pipeline (stream → queue → SES in moto), per-user
preferences, idempotent redelivery and dead letters."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.services.email import reply_to_address
from tests.api.client import ApiClient, Workspace, audit_events
from tests.api.notifications_support import QueuePump, deliver, emails_to, overridden_settings, sent_emails
from tests.api.streams import StreamPump

REQUESTER = "customer@example.org"


@pytest.fixture
def queue(api: ApiClient) -> Iterator[QueuePump]:
    with overridden_settings(PULSEDESK_WEBHOOK_RETRY_DELAYS="0,0,0"):
        pump = QueuePump(api.chalice)
        pump.purge()
        yield pump


def open_ticket(api: ApiClient, workspace: Workspace, **fields: Any) -> dict[str, Any]:
    body = {
        "subject": "Printer on fire",
        "description": "Smoke everywhere",
        "requester": {"email": REQUESTER, "name": "Casey Customer"},
        **fields,
    }
    reply = api.post("/tickets", body, workspace.token("admin"))
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]


def patch(api: ApiClient, workspace: Workspace, ticket: dict[str, Any], role: str = "admin", **changes: Any) -> Any:
    current = api.get(f"/tickets/{ticket['id']}", workspace.token("admin")).body["ticket"]
    reply = api.patch(f"/tickets/{ticket['id']}", {**changes, "version": current["version"]}, workspace.token(role))
    assert reply.status == 200, reply.body
    return reply.body


def test_the_assignee_is_emailed_with_a_link_and_a_reply_to(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    # GIVEN a ticket
    ticket = open_ticket(api, workspace)
    deliver(pump, queue)
    agent = workspace.members["agent"]

    # WHEN the admin assigns it to the agent
    patch(api, workspace, ticket, assignee_id=agent.id)
    deliver(pump, queue)

    # THEN the agent gets one email naming the workspace, linking the ticket, with a ticket Reply-To
    mails = emails_to(agent.email)
    assert len(mails) == 1
    mail = mails[0]
    assert f"Team {workspace.slug}" in mail["subject"] and f"#{ticket['number']}" in mail["subject"]
    assert f"/tickets/{ticket['id']}" in mail["text"] and f"/tickets/{ticket['id']}" in mail["html"]
    assert "<h2>" in mail["html"]
    raw = email.message_from_string(next(m for m in _raw_messages() if agent.email in m), policy=email.policy.default)
    reply_to = str(raw["Reply-To"])
    assert reply_to == reply_to_address(workspace.tenant_id, ticket["number"])
    assert reply_to.startswith("reply+") and len(reply_to.split("@")[0]) <= 64


def test_a_public_reply_emails_the_requester_and_an_internal_note_does_not(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    requester = f"req-{workspace.slug}@example.org"
    ticket = open_ticket(api, workspace, requester={"email": requester, "name": "R"})
    deliver(pump, queue)

    note = api.post(
        f"/tickets/{ticket['id']}/comments", {"body": "secret note", "public": False}, workspace.token("agent")
    )
    assert note.status == 201, note.body
    deliver(pump, queue)
    assert emails_to(requester) == []

    reply = api.post(
        f"/tickets/{ticket['id']}/comments", {"body": "We are on it!", "public": True}, workspace.token("agent")
    )
    assert reply.status == 201, reply.body
    deliver(pump, queue)

    mails = emails_to(requester)
    assert len(mails) == 1
    assert "We are on it!" in mails[0]["text"] and "secret note" not in mails[0]["text"]
    assert not any("secret note" in (m["text"] or "") for m in sent_emails() if requester in m["to"])


def test_the_requester_hears_of_the_solve(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    requester = f"solve-{workspace.slug}@example.org"
    ticket = open_ticket(api, workspace, requester={"email": requester, "name": "S"})
    deliver(pump, queue)

    patch(api, workspace, ticket, status="solved")
    deliver(pump, queue)

    assert [m["subject"] for m in emails_to(requester)] == [
        f"[Team {workspace.slug}] Your request #{ticket['number']} was solved"
    ]


def test_preferences_are_per_user_audited_and_respected(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    token = workspace.token("agent")
    everything = {
        "email_ticket_assigned": True,
        "email_ticket_commented": True,
        "email_sla_breached": True,
        "email_watched_tickets": True,
    }
    assert api.get("/me/notifications", token).body == everything

    reply = api.put("/me/notifications", {"email_ticket_assigned": False}, token)
    assert reply.status == 200, reply.body
    assert reply.body == {**everything, "email_ticket_assigned": False}
    assert api.get("/me/notifications", token).body["email_ticket_assigned"] is False
    assert api.get("/me/notifications", workspace.token("lead")).body["email_ticket_assigned"] is True
    assert audit_events(api, workspace)[0]["action"] == "notification_prefs.updated"

    ticket = open_ticket(api, workspace)
    patch(api, workspace, ticket, assignee_id=workspace.members["agent"].id)
    deliver(pump, queue)
    assert emails_to(workspace.members["agent"].email) == []


def test_preferences_refuse_unknown_fields_and_api_keys(api: ApiClient, workspace: Workspace) -> None:
    assert api.put("/me/notifications", {"email_everything": True}, workspace.token("agent")).status == 422
    key = api.post("/api-keys", {"name": "k", "scopes": ["tickets.read"]}, workspace.token("admin")).body["secret"]
    reply = api.get("/me/notifications", key)
    assert reply.status == 400 and "API key" in reply.body["detail"]


def test_no_email_to_whoever_made_the_change(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    ticket = open_ticket(api, workspace)
    patch(api, workspace, ticket, role="agent", assignee_id=workspace.members["agent"].id)  # takes it
    deliver(pump, queue)
    assert emails_to(workspace.members["agent"].email) == []


def test_a_redelivered_stream_batch_sends_nothing_twice(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    # GIVEN an assignment whose email was sent
    ticket = open_ticket(api, workspace)
    deliver(pump, queue)
    start = pump._position
    patch(api, workspace, ticket, assignee_id=workspace.members["lead"].id)
    deliver(pump, queue)
    assert len(emails_to(workspace.members["lead"].email)) == 1

    # WHEN Lambda hands the workflows consumer the same stream records again
    pump._position = start
    deliver(pump, queue)

    # THEN the queue carried the same jobs again, and no second email went out
    keys = [job["idempotency_key"] for job in queue.jobs]
    assert len(keys) > len(set(keys))
    assert len(emails_to(workspace.members["lead"].email)) == 1
    assert queue.failures == []


def test_a_failing_delivery_retries_then_becomes_a_dead_letter_an_admin_replays(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.domain.delivery import DeliveryFailed
    from chalicelib.services import email as email_service
    from chalicelib.workers import notifications as worker

    calls: list[str] = []
    real_send = email_service.send_job

    def broken(job: Any) -> dict[str, Any]:
        calls.append(job.target)
        raise DeliveryFailed("SES Throttling: slow down")

    # GIVEN SES failing every time
    monkeypatch.setitem(worker._SENDERS, "email", broken)
    ticket = open_ticket(api, workspace)
    patch(api, workspace, ticket, assignee_id=workspace.members["lead"].id)
    deliver(pump, queue)

    # THEN it was tried once plus once per retry delay, then dead-lettered
    assert len(calls) == 4
    letters = api.get("/notifications/dead-letters", workspace.token("admin")).body["items"]
    assert len(letters) == 1
    letter = letters[0]
    assert letter["channel"] == "email" and letter["event_type"] == "ticket.assigned" and letter["attempts"] == 4
    assert "Throttling" in letter["error"]
    assert api.get("/notifications/dead-letters", workspace.token("lead")).status == 403

    # WHEN SES recovers and an admin replays the letter (twice)
    monkeypatch.setitem(worker._SENDERS, "email", real_send)
    replay = api.post(f"/notifications/dead-letters/{letter['id']}/replay", None, workspace.token("admin"))
    assert replay.status == 202, replay.body
    again = api.post(f"/notifications/dead-letters/{letter['id']}/replay", None, workspace.token("admin"))
    assert again.status == 409
    deliver(pump, queue)

    # THEN the email is sent once, and the replay is audited
    assert len(emails_to(workspace.members["lead"].email)) == 1
    assert api.get("/notifications/dead-letters", workspace.token("admin")).body["items"][0]["replayed_at"]
    assert any(e["action"] == "notification.replayed" for e in audit_events(api, workspace))


def _raw_messages() -> list[str]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return [m.raw_data for m in ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages if hasattr(m, "raw_data")]


def test_a_batch_of_solves_reads_the_watchers_once_and_queues_its_emails_together(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    from collections import Counter
    from unittest import mock

    from botocore.client import BaseClient

    # GIVEN twelve tickets of three requesters, each watched by the lead
    lead = workspace.members["lead"]
    requesters = [f"solve{n}-{workspace.slug}@example.org" for n in range(3)]
    tickets = [open_ticket(api, workspace, requester={"email": requesters[n % 3], "name": "S"}) for n in range(12)]
    for ticket in tickets:
        assert api.put(f"/tickets/{ticket['id']}/watchers/me", None, workspace.token("lead")).status == 200
    deliver(pump, queue)
    # AND all twelve solved, their stream records in one batch
    for ticket in tickets:
        patch(api, workspace, ticket, status="solved")
    calls: Counter[str] = Counter()
    underneath = BaseClient._make_api_call

    def counting(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        calls[f"{client.meta.service_model.service_name}:{operation}"] += 1
        return underneath(client, operation, params)

    # WHEN the workflows consumer handles the batch
    with mock.patch.object(BaseClient, "_make_api_call", counting):
        pump.pump(handlers=("workflows",))
    deliver(pump, queue)

    # THEN every requester and the watching lead heard of every solve
    assert [len(emails_to(r)) for r in requesters] == [4, 4, 4]
    assert len(emails_to(lead.email)) == 12
    # AND the watchers were read in one call (the watching lead and her preferences in another), and the 24 emails
    # queued ten at a time, not one call per record
    assert calls["dynamodb:BatchGetItem"] == 2, calls
    assert calls["dynamodb:GetItem"] == 2, calls  # the workspace's name and its Slack integration, once each
    assert calls["sqs:SendMessageBatch"] == 3, calls
