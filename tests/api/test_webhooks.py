"""Webhook endpoints: management, SSRF refusals, signed delivery verified by a real receiver,
retries with the same webhook-id, the delivery log, redelivery, the test call and auto-disable."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.client import ApiClient, Workspace, audit_events
from tests.api.notifications_support import QueuePump, emails_to, overridden_settings
from tests.api.streams import StreamPump
from tests.api.test_notifications import deliver, open_ticket, patch
from tests.integration.fakes.webhook_receiver import WebhookReceiver

EVENTS = ["ticket.created", "ticket.assigned", "comment.created"]


@pytest.fixture
def local_targets(api: ApiClient) -> Iterator[QueuePump]:
    """As in ``make run``: loopback receivers allowed, retries without waiting."""
    with overridden_settings(PULSEDESK_WEBHOOK_ALLOW_PRIVATE="true", PULSEDESK_WEBHOOK_RETRY_DELAYS="0,0,0,0"):
        pump = QueuePump(api.chalice)
        pump.purge()
        yield pump


def add_endpoint(api: ApiClient, workspace: Workspace, url: str, events: list[str] | None = None) -> dict[str, Any]:
    reply = api.post("/webhooks", {"url": url, "event_types": events or EVENTS}, workspace.token("admin"))
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]


# --- management -----------------------------------------------------------------------------------


def test_the_secret_is_shown_once_and_changes_are_audited(api: ApiClient, workspace: Workspace) -> None:
    token = workspace.token("admin")
    created = add_endpoint(api, workspace, "https://hooks.example.com/pulsedesk")
    assert created["secret"].startswith("whsec_") and created["enabled"] is True

    listed = api.get("/webhooks", token).body["items"]
    assert [e["id"] for e in listed] == [created["id"]]
    assert "secret" not in listed[0] and created["secret"] not in str(listed)
    assert "secret" not in api.get(f"/webhooks/{created['id']}", token).body

    changed = api.patch(f"/webhooks/{created['id']}", {"event_types": ["*"], "description": "CRM"}, token)
    assert changed.status == 200 and changed.body["event_types"] == ["*"]
    assert api.delete(f"/webhooks/{created['id']}", token).status == 204
    assert api.get(f"/webhooks/{created['id']}", token).status == 404

    actions = [e["action"] for e in audit_events(api, workspace)[:3]]
    assert actions == ["webhook.deleted", "webhook.updated", "webhook.created"]
    assert created["secret"] not in str(audit_events(api, workspace))


def test_endpoints_belong_to_admins_and_their_workspace(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    created = add_endpoint(api, workspace, "https://hooks.example.com/a")
    assert api.get("/webhooks", workspace.token("lead")).status == 403
    assert api.get(f"/webhooks/{created['id']}", other_workspace.token("admin")).status == 404
    assert api.get("/webhooks", other_workspace.token("admin")).body["items"] == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/hook", "https"),
        ("https://127.0.0.1/hook", "loopback"),
        ("https://169.254.169.254/latest/meta-data/", "metadata"),
        ("https://10.0.0.1/hook", "private"),
        ("https://[::1]/hook", "loopback"),
        ("https://[::ffff:10.0.0.1]/hook", "private"),
        ("https://localhost/hook", "loopback"),
        ("https://user:pw@hooks.example.com/", "credentials"),
        ("ftp://hooks.example.com/", "https"),
    ],
)
def test_unsafe_urls_are_refused_with_a_clear_error(
    api: ApiClient, shared_workspace: Workspace, url: str, reason: str
) -> None:
    reply = api.post("/webhooks", {"url": url, "event_types": EVENTS}, shared_workspace.token("admin"))
    assert reply.status == 422, reply.body
    assert reply.body["errors"][0]["field"] == "url" and reason in reply.body["errors"][0]["message"]


def test_a_name_resolving_to_a_private_address_is_refused(
    api: ApiClient, shared_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = socket.getaddrinfo

    def resolve(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "intranet.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.20", 443))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    reply = api.post(
        "/webhooks",
        {"url": "https://intranet.example.com/hook", "event_types": EVENTS},
        shared_workspace.token("admin"),
    )
    assert reply.status == 422
    assert "intranet.example.com points at a private address (192.168.1.20)" in reply.body["errors"][0]["message"]


# --- delivery -------------------------------------------------------------------------------------


def test_events_are_signed_and_retried_with_the_same_id_until_delivered(
    api: ApiClient,
    workspace: Workspace,
    pump: StreamPump,
    local_targets: QueuePump,
    receiver: WebhookReceiver,
) -> None:
    # GIVEN a receiver that fails each message's first three attempts
    path = f"/hooks/{workspace.slug}/retry"
    endpoint = add_endpoint(api, workspace, receiver.url(path), ["ticket.created"])
    receiver.expect(path, endpoint["secret"], fail_first=3)

    # WHEN a ticket is created
    ticket = open_ticket(api, workspace)
    deliver(pump, local_targets)

    # THEN four attempts arrived, all verified, all with one webhook-id; the fourth was accepted
    attempts = receiver.at(path)
    assert [r.status for r in attempts] == [500, 500, 500, 200]
    assert all(r.verified for r in attempts)
    assert len({r.webhook_id for r in attempts}) == 1
    body = attempts[-1].json()
    assert body["type"] == "ticket.created" and body["data"]["ticket"]["id"] == ticket["id"]

    # AND the delivery log has the four attempts, newest first
    log = api.get(f"/webhooks/{endpoint['id']}/deliveries", workspace.token("admin")).body["items"]
    assert [(row["attempt"], row["outcome"], row["status_code"]) for row in log] == [
        (4, "delivered", 200),
        (3, "failed", 500),
        (2, "failed", 500),
        (1, "failed", 500),
    ]
    assert all(row["latency_ms"] is not None for row in log) and "HTTP 500" in log[1]["error"]

    # AND a manual redelivery sends it again, with the same webhook-id
    redelivered = api.post(
        f"/webhooks/{endpoint['id']}/deliveries/{log[0]['id']}/redeliver", None, workspace.token("admin")
    )
    assert redelivered.status == 202, redelivered.body
    local_targets.drain()
    assert len(receiver.accepted(path)) == 2
    assert receiver.accepted(path)[1].webhook_id == attempts[0].webhook_id


def test_a_redelivered_stream_batch_sends_no_second_webhook(
    api: ApiClient, workspace: Workspace, pump: StreamPump, local_targets: QueuePump, receiver: WebhookReceiver
) -> None:
    path = f"/hooks/{workspace.slug}/once"
    endpoint = add_endpoint(api, workspace, receiver.url(path))
    receiver.expect(path, endpoint["secret"])
    start = pump._position
    open_ticket(api, workspace)
    deliver(pump, local_targets)
    assert len(receiver.accepted(path)) == 1

    pump._position = start
    deliver(pump, local_targets)

    assert len(receiver.at(path)) == 1


def test_only_subscribed_events_are_sent(
    api: ApiClient, workspace: Workspace, pump: StreamPump, local_targets: QueuePump, receiver: WebhookReceiver
) -> None:
    path = f"/hooks/{workspace.slug}/comments"
    endpoint = add_endpoint(api, workspace, receiver.url(path), ["comment.created"])
    receiver.expect(path, endpoint["secret"])
    ticket = open_ticket(api, workspace)
    api.post(f"/tickets/{ticket['id']}/comments", {"body": "note", "public": False}, workspace.token("agent"))
    deliver(pump, local_targets)

    bodies = [r.json() for r in receiver.accepted(path)]
    assert [b["type"] for b in bodies] == ["comment.created"]
    assert bodies[0]["data"]["comment"]["public"] is False


def test_the_test_call_reports_the_receivers_answer(
    api: ApiClient, workspace: Workspace, local_targets: QueuePump, receiver: WebhookReceiver
) -> None:
    path = f"/hooks/{workspace.slug}/test"
    endpoint = add_endpoint(api, workspace, receiver.url(path))
    receiver.expect(path, endpoint["secret"])

    reply = api.post(f"/webhooks/{endpoint['id']}/test", None, workspace.token("admin"))
    assert reply.status == 200, reply.body
    assert reply.body["ok"] is True and reply.body["status_code"] == 200
    assert receiver.accepted(path)[0].json()["type"] == "webhook.test"

    receiver.expect(path, "whsec_" + "A" * 43)  # the receiver now expects another secret
    failed = api.post(f"/webhooks/{endpoint['id']}/test", None, workspace.token("admin")).body
    assert failed["ok"] is False and failed["status_code"] == 401


def test_ssrf_is_checked_again_at_delivery(
    api: ApiClient, workspace: Workspace, receiver: WebhookReceiver, local_targets: QueuePump
) -> None:
    path = f"/hooks/{workspace.slug}/later"
    endpoint = add_endpoint(api, workspace, receiver.url(path))  # allowed while private targets are
    with overridden_settings(PULSEDESK_WEBHOOK_ALLOW_PRIVATE="false"):
        result = api.post(f"/webhooks/{endpoint['id']}/test", None, workspace.token("admin")).body
    assert result["ok"] is False and "https" in result["error"]
    assert receiver.at(path) == []


def test_an_endpoint_failing_too_long_is_disabled_and_admins_are_emailed(
    api: ApiClient, workspace: Workspace, pump: StreamPump, receiver: WebhookReceiver
) -> None:
    path = f"/hooks/{workspace.slug}/down"
    with overridden_settings(
        PULSEDESK_WEBHOOK_ALLOW_PRIVATE="true",
        PULSEDESK_WEBHOOK_RETRY_DELAYS="0,0",
        PULSEDESK_WEBHOOK_DISABLE_AFTER_SECONDS="0",
    ):
        queue = QueuePump(api.chalice)
        endpoint = add_endpoint(api, workspace, receiver.url(path), ["ticket.created"])
        receiver.expect(path, endpoint["secret"], fail_first=100)
        open_ticket(api, workspace)
        deliver(pump, queue)

    current = api.get(f"/webhooks/{endpoint['id']}", workspace.token("admin")).body
    assert current["enabled"] is False and "HTTP 500" in current["disabled_reason"]
    mails = [
        m for m in emails_to(workspace.members["admin"].email) if not m["subject"].startswith("Confirm your email")
    ]
    assert len(mails) == 1 and "disabled" in mails[0]["subject"] and receiver.url(path) in mails[0]["text"]
    assert any(
        e["action"] == "webhook.disabled" and e["actor"]["type"] == "system" for e in audit_events(api, workspace)
    )
    letters = api.get("/notifications/dead-letters", workspace.token("admin")).body["items"]
    assert [letter["channel"] for letter in letters] == ["webhook"]

    enabled = api.patch(f"/webhooks/{endpoint['id']}", {"enabled": True}, workspace.token("admin")).body
    assert enabled["enabled"] is True and enabled["disabled_reason"] is None and enabled["failing_since"] is None


def test_assignment_goes_to_the_webhook_with_its_change(
    api: ApiClient, workspace: Workspace, pump: StreamPump, local_targets: QueuePump, receiver: WebhookReceiver
) -> None:
    path = f"/hooks/{workspace.slug}/assigned"
    endpoint = add_endpoint(api, workspace, receiver.url(path), ["ticket.assigned"])
    receiver.expect(path, endpoint["secret"])
    ticket = open_ticket(api, workspace)
    patch(api, workspace, ticket, assignee_id=workspace.members["agent"].id)
    deliver(pump, local_targets)

    (body,) = [r.json() for r in receiver.accepted(path)]
    assert body["data"]["changes"] == {"assignee_id": {"from": None, "to": workspace.members["agent"].id}}
    assert body["data"]["actor"]["id"] == workspace.members["admin"].id
