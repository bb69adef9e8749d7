"""Slack: the connection (never returned in full), urgent and waiting alerts as Block Kit, rate
limits honoured without duplicates, and the test call — against a local Slack API stand-in."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.client import ApiClient, Workspace, audit_events
from tests.api.notifications_support import QueuePump, overridden_settings
from tests.api.streams import StreamPump
from tests.api.test_notifications import deliver, open_ticket, patch
from tests.integration.fakes.slack_api import TOKEN, FakeSlack


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    slack = FakeSlack().start()
    yield slack
    slack.stop()


@pytest.fixture
def queue(api: ApiClient, fake_slack: FakeSlack) -> Iterator[QueuePump]:
    with overridden_settings(PULSEDESK_SLACK_API_URL=fake_slack.api_url, PULSEDESK_WEBHOOK_RETRY_DELAYS="0,0,0"):
        pump = QueuePump(api.chalice)
        pump.purge()
        yield pump


def connect(api: ApiClient, workspace: Workspace, **fields: Any) -> dict[str, Any]:
    body = {"mode": "bot", "bot_token": TOKEN, "channel": f"#{workspace.slug}", **fields}
    reply = api.put("/integrations/slack", body, workspace.token("admin"))
    assert reply.status == 200, reply.body
    return reply.body  # type: ignore[no-any-return]


def test_the_token_is_stored_but_never_returned(api: ApiClient, workspace: Workspace) -> None:
    token = workspace.token("admin")
    assert api.get("/integrations/slack", token).body == {"connected": False}

    connected = connect(api, workspace)
    shown = api.get("/integrations/slack", token).body
    assert connected == shown
    assert shown["bot_token"] == "xoxb-…oken" and TOKEN not in json.dumps(shown)
    assert TOKEN not in json.dumps(audit_events(api, workspace))
    assert audit_events(api, workspace)[0]["action"] == "integration.slack.connected"

    # a change of settings keeps the stored token
    kept = api.put("/integrations/slack", {"mode": "bot", "channel": "#other", "alert_urgent": False}, token)
    assert kept.status == 200 and kept.body["bot_token"] == "xoxb-…oken" and kept.body["channel"] == "#other"

    assert api.delete("/integrations/slack", token).status == 204
    assert api.get("/integrations/slack", token).body == {"connected": False}
    assert api.get("/integrations/slack", workspace.token("lead")).status == 403


def test_connection_input_is_validated(api: ApiClient, shared_workspace: Workspace) -> None:
    token = shared_workspace.token("admin")
    assert api.put("/integrations/slack", {"mode": "bot", "channel": "#x"}, token).status == 422
    assert api.put("/integrations/slack", {"mode": "bot", "bot_token": "not-a-token"}, token).status == 422
    hook = {"mode": "incoming_webhook", "webhook_url": "https://evil.example.com/x"}
    reply = api.put("/integrations/slack", hook, token)
    assert reply.status == 422 and "hooks.slack.com" in reply.body["detail"]
    masked = api.put(
        "/integrations/slack",
        {"mode": "incoming_webhook", "webhook_url": "https://hooks.slack.com/services/T0/B0/abcdefghijkl"},
        token,
    ).body
    assert masked["webhook_url"] == "https://hooks.slack.com/…ijkl"


def test_an_urgent_ticket_is_one_block_kit_message_even_after_a_429(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump, fake_slack: FakeSlack
) -> None:
    # GIVEN Slack connected, and Slack about to answer 429 once
    connect(api, workspace)
    fake_slack.rate_limit_next(1)
    subject = f"Site down {workspace.slug}"

    # WHEN an urgent ticket comes in (and a normal one)
    ticket = open_ticket(api, workspace, subject=subject, priority="urgent")
    open_ticket(api, workspace, subject=f"Question {workspace.slug}")
    deliver(pump, queue)
    time.sleep(fake_slack.retry_after_seconds)  # the retry waits for Retry-After on the queue
    deliver(pump, queue)

    # THEN exactly one message was posted, to the channel, with the link, priority and requester
    (message,) = fake_slack.messages_about(workspace.slug)
    assert message["channel"] == f"#{workspace.slug}"
    blocks = json.dumps(message["blocks"])
    assert subject in blocks and "urgent" in blocks and "Casey Customer" in blocks
    assert f"/tickets/{ticket['id']}" in blocks
    assert fake_slack.rate_limited


def test_a_ticket_becoming_urgent_alerts_once(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump, fake_slack: FakeSlack
) -> None:
    connect(api, workspace)
    ticket = open_ticket(api, workspace, subject=f"Slow {workspace.slug}")
    deliver(pump, queue)
    patch(api, workspace, ticket, priority="urgent")
    patch(api, workspace, ticket, tags=["vip"])
    deliver(pump, queue)
    assert len(fake_slack.messages_about(f"Slow {workspace.slug}")) == 1


def test_a_ticket_left_unassigned_alerts_after_the_wait(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump, fake_slack: FakeSlack
) -> None:
    connect(api, workspace, alert_urgent=False, unassigned_after_minutes=1)
    waiting = open_ticket(api, workspace, subject=f"Waiting {workspace.slug}")
    taken = open_ticket(api, workspace, subject=f"Taken {workspace.slug}")
    deliver(pump, queue)
    patch(api, workspace, taken, assignee_id=workspace.members["agent"].id)
    deliver(pump, queue)

    # the checks are on the queue for a minute; deliver them as if the minute had passed
    from chalicelib.domain.notifications import Job
    from chalicelib.services.notifications import enqueue

    checks = [Job.from_dict(j) for j in queue.take_delayed() if j["channel"] == "check_unassigned"]
    assert {job.target for job in checks if job.tenant_id == workspace.tenant_id} == {waiting["id"], taken["id"]}
    assert all(job.not_before > time.time() + 30 for job in checks)
    enqueue([job.later(0) for job in checks])
    queue.drain()

    (alert,) = fake_slack.messages_about(workspace.slug)
    assert f"Waiting {workspace.slug}" in alert["text"] and "waiting for an owner" in json.dumps(alert["blocks"])


def test_the_test_call_posts_a_sample_and_reports_errors(
    api: ApiClient, workspace: Workspace, queue: QueuePump, fake_slack: FakeSlack
) -> None:
    token = workspace.token("admin")
    assert api.post("/integrations/slack/test", None, token).status == 404

    connect(api, workspace)
    before = len(fake_slack.messages)
    reply = api.post("/integrations/slack/test", None, token)
    assert reply.status == 200 and reply.body["ok"] is True, reply.body
    assert len(fake_slack.messages) == before + 1

    connect(api, workspace, bot_token="xoxb-revoked-token")
    failed = api.post("/integrations/slack/test", None, token).body
    assert failed == {"ok": False, "error": "Slack answered invalid_auth", "latency_ms": failed["latency_ms"]}
