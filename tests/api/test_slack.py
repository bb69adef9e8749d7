"""Slack: the connection (never returned in full), urgent and waiting alerts as Block Kit, rate
limits honoured without duplicates, and the test call — against a local Slack API stand-in."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from tests.api.client import ApiClient, Workspace, audit_events
from tests.api.notifications_support import QueuePump, overridden_settings
from tests.api.streams import StreamPump
from tests.api.test_notifications import deliver, open_ticket, patch
from tests.integration.fakes.slack_api import TOKEN, FakeSlack


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
    from chalicelib.domain.delivery import Job
    from chalicelib.services.delivery_queue import enqueue

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


# --- the "Take it" button ------------------------------------------------------------------------

SIGNING_SECRET = "8f742231b10e8888abcd991112225a5f"


def press(
    api: ApiClient, message: dict[str, Any], slack_user: str, response_url: str, secret: str = SIGNING_SECRET
) -> Any:
    """Slack's request when someone presses "Take it" on ``message``, signed as Slack signs it."""
    from slack_sdk.signature import SignatureVerifier

    take = next(
        e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "take_ticket"
    )
    payload = {
        "type": "block_actions",
        "user": {"id": slack_user},
        "response_url": response_url,
        "message": {"blocks": message["blocks"]},
        "actions": [{"action_id": "take_ticket", "value": take["value"]}],
    }
    body = urlencode({"payload": json.dumps(payload)})
    timestamp = str(int(time.time()))
    headers = {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body) or "",
    }
    return api.call("POST", "/integrations/slack/interactions", raw=body.encode(), headers=headers)


def test_take_it_assigns_the_ticket_to_the_agent_who_pressed_it(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump, fake_slack: FakeSlack
) -> None:
    # GIVEN Slack connected with a signing secret, and an urgent ticket alerted with a "Take it" button
    connect(api, workspace, signing_secret=SIGNING_SECRET)
    agent, lead = workspace.members["agent"], workspace.members["lead"]
    fake_slack.users.update({f"U-agent-{workspace.slug}": agent.email, f"U-lead-{workspace.slug}": lead.email})
    ticket = open_ticket(api, workspace, subject=f"Take me {workspace.slug}", priority="urgent")
    deliver(pump, queue)
    (alert,) = fake_slack.messages_about(f"Take me {workspace.slug}")
    fake_slack.responses.clear()

    # WHEN the agent presses it
    with overridden_settings(PULSEDESK_WEBHOOK_ALLOW_PRIVATE="true"):
        reply = press(api, alert, f"U-agent-{workspace.slug}", fake_slack.response_url)

    # THEN the ticket is the agent's, audited as the agent's action, and the alert says who took it
    assert reply.status == 200, reply.body
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("lead")).body["ticket"]["assignee_id"] == agent.id
    assert audit_events(api, workspace)[0]["actor"]["id"] == agent.id
    (update,) = fake_slack.responses
    assert update["replace_original"] is True and "Taken by" in json.dumps(update["blocks"])
    assert "take_ticket" not in json.dumps(update["blocks"])

    # AND a colleague pressing it later is told privately that it is taken
    with overridden_settings(PULSEDESK_WEBHOOK_ALLOW_PRIVATE="true"):
        assert press(api, alert, f"U-lead-{workspace.slug}", fake_slack.response_url).status == 200
    assert (
        fake_slack.responses[-1]["response_type"] == "ephemeral" and "already taken" in fake_slack.responses[-1]["text"]
    )


def test_take_it_refuses_forged_requests_and_strangers(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump, fake_slack: FakeSlack
) -> None:
    connect(api, workspace, signing_secret=SIGNING_SECRET)
    assert connect(api, workspace)["signing_secret"].endswith(SIGNING_SECRET[-4:])  # kept, masked
    ticket = open_ticket(api, workspace, subject=f"Forged {workspace.slug}", priority="urgent")
    deliver(pump, queue)
    (alert,) = fake_slack.messages_about(f"Forged {workspace.slug}")
    fake_slack.users[f"U-agent-{workspace.slug}"] = workspace.members["agent"].email

    with overridden_settings(PULSEDESK_WEBHOOK_ALLOW_PRIVATE="true"):
        forged = press(api, alert, f"U-agent-{workspace.slug}", fake_slack.response_url, secret="0" * 32)
        assert forged.status == 401
        assert api.get(f"/tickets/{ticket['id']}", workspace.token("lead")).body["ticket"]["assignee_id"] is None

        fake_slack.responses.clear()
        assert press(api, alert, "U-nobody", fake_slack.response_url).status == 200
        (answer,) = fake_slack.responses
        assert answer["response_type"] == "ephemeral" and "Could not match" in answer["text"]
    assert api.get(f"/tickets/{ticket['id']}", workspace.token("lead")).body["ticket"]["assignee_id"] is None

    def interaction(payload: Any) -> int:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        form = {"content-type": "application/x-www-form-urlencoded"}
        return int(api.call("POST", "/integrations/slack/interactions", raw=body, headers=form).status)

    take = {"action_id": "take_ticket", "value": "a:b"}
    assert interaction("not an object") == 400
    assert interaction({"type": "block_actions", "actions": ["x"], "user": "u"}) == 200  # not a take: ignored
    assert interaction({"type": "block_actions", "actions": [take], "user": "u"}) == 400  # no user id, no URL


def test_no_take_it_button_without_a_signing_secret(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump, fake_slack: FakeSlack
) -> None:
    connect(api, workspace)
    open_ticket(api, workspace, subject=f"Plain {workspace.slug}", priority="urgent")
    deliver(pump, queue)
    (alert,) = fake_slack.messages_about(f"Plain {workspace.slug}")
    assert "take_ticket" not in json.dumps(alert["blocks"])
