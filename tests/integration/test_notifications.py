"""Notifications on the local stack, for real: DynamoDB Local's stream → the workflows handler →
moto server's SQS → the notifications handler (both run by the event-source runner) → moto's SES,
a local Slack API stand-in and a local webhook receiver that verifies with ``standardwebhooks``."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
import requests

from infra.local.lambda_events import lambda_context, lambda_record_from_get_records
from infra.local.queues import notification_queue_settings
from infra.local.stack import REGION, EnvOverrides, LocalStack
from tests.integration.fakes.slack_api import TOKEN, FakeSlack
from tests.integration.fakes.webhook_receiver import WebhookReceiver
from tests.integration.http import Http, Team, new_team

REQUESTER = "requester@customer.example.org"


def _reload_settings() -> None:
    from chalicelib.settings import get_settings

    get_settings.cache_clear()


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    slack = FakeSlack().start()
    yield slack
    slack.stop()


@pytest.fixture(scope="module")
def stack(local_stack: LocalStack, fake_slack: FakeSlack, receiver: WebhookReceiver) -> Iterator[LocalStack]:
    """The local stack with its notification queue and ``make run``'s notification settings."""
    env = EnvOverrides()
    settings = notification_queue_settings(local_stack.moto_endpoint, REGION)
    env.set({**settings, "PULSEDESK_SLACK_API_URL": fake_slack.api_url})
    _reload_settings()
    _wait_until_caught_up(local_stack, receiver)
    yield local_stack
    env.restore()
    _reload_settings()


@pytest.fixture
def http(stack: LocalStack) -> Http:
    return Http(stack.base_url)


@pytest.fixture
def team(http: Http) -> Team:
    return new_team(http, roles=("agent",))


def wait_for(what: str, check: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def outbox(stack: LocalStack) -> list[dict[str, Any]]:
    response = requests.get(f"{stack.private_url}/_local/outbox", timeout=30)  # a bound for a loaded machine
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def mail_to(stack: LocalStack, address: str) -> list[dict[str, Any]]:
    return [m for m in outbox(stack) if address.lower() in [a.lower() for a in m["to"]]]


def open_ticket(http: Http, team: Team, **fields: Any) -> dict[str, Any]:
    body = {"subject": "Cannot log in", "description": "Help", "requester": {"email": REQUESTER, "name": "Rae"}}
    return http.ok("POST", "/tickets", team.tokens["admin"], {**body, **fields})  # type: ignore[no-any-return]


def change(http: Http, team: Team, ticket: dict[str, Any], **fields: Any) -> dict[str, Any]:
    current = http.ok("GET", f"/tickets/{ticket['id']}", team.tokens["admin"])["ticket"]
    body = {**fields, "version": current["version"]}
    return http.ok("PATCH", f"/tickets/{ticket['id']}", team.tokens["admin"], body)  # type: ignore[no-any-return]


def agent_email(team: Team) -> str:
    return f"agent@{team.slug}.example.com"


def test_an_assigned_ticket_emails_the_assignee_with_a_link(stack: LocalStack, http: Http, team: Team) -> None:
    ticket = open_ticket(http, team)
    change(http, team, ticket, assignee_id=team.ids["agent"])

    (mail,) = wait_for("the assignment email", lambda: mail_to(stack, agent_email(team)))
    assert mail["subject"] == f"[Integration] Ticket #{ticket['number']} was assigned to you"
    link = f"{stack.base_url}/tickets/{ticket['id']}"
    assert link in mail["text"] and f'href="{link}"' in mail["html"]
    assert mail["from"] == "support@pulsedesk.local"


def test_a_public_reply_reaches_the_requester_and_an_internal_note_nobody_outside(
    stack: LocalStack, http: Http, team: Team
) -> None:
    requester = f"rae-{team.slug}@customer.example.org"
    ticket = open_ticket(http, team, requester={"email": requester, "name": "Rae"})
    http.ok("POST", f"/tickets/{ticket['id']}/comments", team.tokens["agent"], {"body": "INTERNAL", "public": False})
    http.ok("POST", f"/tickets/{ticket['id']}/comments", team.tokens["agent"], {"body": "Fixed it!", "public": True})

    mails = wait_for("the reply email", lambda: mail_to(stack, requester))
    time.sleep(1.0)  # anything the note could have caused has long been processed
    mails = mail_to(stack, requester)
    assert len(mails) == 1
    assert "Fixed it!" in mails[0]["text"] and "INTERNAL" not in json.dumps(outbox(stack))


def test_slack_gets_exactly_one_message_per_alert_despite_a_429(
    stack: LocalStack, http: Http, team: Team, fake_slack: FakeSlack
) -> None:
    http.ok(
        "PUT",
        "/integrations/slack",
        team.tokens["admin"],
        {"mode": "bot", "bot_token": TOKEN, "channel": f"#{team.slug}"},
    )
    fake_slack.rate_limit_next(1)
    limited_before = len(fake_slack.rate_limited)

    ticket = open_ticket(http, team, subject=f"Outage {team.slug}", priority="urgent")
    change(http, team, ticket, tags=["outage"])  # more changes to the same ticket raise no new alert

    (message,) = wait_for("the Slack alert", lambda: fake_slack.messages_about(team.slug))
    time.sleep(1.5)
    assert len(fake_slack.messages_about(team.slug)) == 1
    assert len(fake_slack.rate_limited) == limited_before + 1
    blocks = json.dumps(message["blocks"])
    assert f"/tickets/{ticket['id']}" in blocks and "urgent" in blocks and "Rae" in blocks


def test_a_missed_sla_deadline_is_found_on_the_index_and_announced_once(
    stack: LocalStack, http: Http, team: Team, fake_slack: FakeSlack
) -> None:
    from chalicelib.data.tickets import tickets_due_between
    from chalicelib.domain.clock import from_text
    from chalicelib.services.notifications import check_sla, queue_sla_checks, sla_check_job

    slack = {"mode": "bot", "bot_token": TOKEN, "channel": f"#{team.slug}", "alert_urgent": False}
    http.ok("PUT", "/integrations/slack", team.tokens["admin"], slack)
    tenant_id = http.ok("GET", "/me", team.tokens["admin"])["workspace"]["id"]
    ticket = open_ticket(http, team, subject=f"Late {team.slug}", priority="urgent", assignee_id=team.ids["agent"])
    wait_for("the assignment email", lambda: mail_to(stack, agent_email(team)))
    due = from_text(ticket["sla_due_at"])

    # the sweep's range query on DynamoDB Local finds the deadline (and only inside the window)
    window = [t.ticket_id for t in tickets_due_between(tenant_id, due - timedelta(minutes=5), due)]
    assert window == [ticket["id"]]
    assert list(tickets_due_between(tenant_id, due, due + timedelta(minutes=5))) == []
    assert queue_sla_checks(due - timedelta(minutes=5)) >= 1

    # at the deadline, the check (run twice, as a redelivery would) announces the breach once
    job = sla_check_job(tenant_id, ticket)
    assert check_sla(job, due + timedelta(seconds=1)) > 0
    check_sla(job, due + timedelta(seconds=2))
    (alert,) = wait_for("the breach alert", lambda: fake_slack.messages_about(f"Late {team.slug}"))
    assert "SLA breached" in json.dumps(alert["blocks"])
    wait_for("the breach email", lambda: [m for m in mail_to(stack, agent_email(team)) if "SLA" in m["subject"]])
    time.sleep(1.5)
    assert len(fake_slack.messages_about(f"Late {team.slug}")) == 1
    assert len([m for m in mail_to(stack, agent_email(team)) if "SLA" in m["subject"]]) == 1


def test_webhooks_are_verified_retried_and_logged(
    stack: LocalStack, http: Http, team: Team, receiver: WebhookReceiver
) -> None:
    # GIVEN an endpoint whose receiver fails each message's first three attempts
    path = f"/receiver/{team.slug}"
    endpoint = http.ok(
        "POST", "/webhooks", team.tokens["admin"], {"url": receiver.url(path), "event_types": ["ticket.created"]}
    )
    receiver.expect(path, endpoint["secret"], fail_first=3)

    # WHEN a ticket is created
    ticket = open_ticket(http, team)

    # THEN the fourth attempt is delivered; every attempt was signed and carried one webhook-id
    (delivered,) = wait_for("the webhook", lambda: receiver.accepted(path), timeout=45)
    attempts = receiver.at(path)
    assert [a.status for a in attempts] == [500, 500, 500, 200] and all(a.verified for a in attempts)
    assert {a.webhook_id for a in attempts} == {delivered.webhook_id}
    assert delivered.json()["data"]["ticket"]["id"] == ticket["id"]

    # AND the delivery log has four rows
    log = http.ok("GET", f"/webhooks/{endpoint['id']}/deliveries", team.tokens["admin"])["items"]
    assert [(r["attempt"], r["status_code"]) for r in log] == [(4, 200), (3, 500), (2, 500), (1, 500)]

    # AND a tampered copy of a real delivery is rejected by the receiver
    tampered = delivered.body.replace(ticket["id"].encode(), b"0" * 32)
    headers = {k: v for k, v in delivered.headers.items() if k.startswith("webhook-")}
    answer = requests.post(receiver.url(path), data=tampered, headers=headers, timeout=5)
    assert answer.status_code == 401
    assert receiver.at(path)[-1].verified is False


def test_a_redelivered_stream_batch_sends_nothing_twice(
    stack: LocalStack, http: Http, team: Team, fake_slack: FakeSlack, receiver: WebhookReceiver
) -> None:
    # GIVEN a workspace with Slack and a webhook, and a change that reached all three channels
    path = f"/receiver/{team.slug}/once"
    http.ok("PUT", "/integrations/slack", team.tokens["admin"], {"mode": "bot", "bot_token": TOKEN, "channel": "#x"})
    endpoint = http.ok("POST", "/webhooks", team.tokens["admin"], {"url": receiver.url(path), "event_types": ["*"]})
    receiver.expect(path, endpoint["secret"])
    ticket = open_ticket(http, team, subject=f"Again {team.slug}", priority="urgent")
    change(http, team, ticket, assignee_id=team.ids["agent"])
    wait_for("the email", lambda: mail_to(stack, agent_email(team)))
    wait_for("the Slack alert", lambda: fake_slack.messages_about(team.slug))
    wait_for("both webhooks", lambda: len(receiver.accepted(path)) >= 2)  # created, assigned
    time.sleep(1.0)
    counts = (len(mail_to(stack, agent_email(team))), len(fake_slack.messages_about(team.slug)), len(receiver.at(path)))

    # WHEN the workflows handler gets the ticket's stream records again, as after a Lambda retry
    records = _stream_records_of(stack, f"T#{_tenant(http, team)}#TICKET#{ticket['id']}")
    assert records
    result = stack.app.handler_map["workflows"]({"Records": records}, lambda_context("workflows"))  # type: ignore[union-attr]
    assert not result.get("batchItemFailures")
    time.sleep(2.0)

    # THEN no email, Slack message or webhook is sent twice
    after = (len(mail_to(stack, agent_email(team))), len(fake_slack.messages_about(team.slug)), len(receiver.at(path)))
    assert after == counts == (1, 1, counts[2])


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "https://127.0.0.1/hook",
        "http://169.254.169.254/",
        "https://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "https://10.0.0.1/",
        "https://internal.pulsedesk.test/hook",
    ],
)
def test_unsafe_webhook_urls_are_refused_when_ssrf_protection_is_on(
    stack: LocalStack, http: Http, team: Team, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = socket.getaddrinfo

    def resolve(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "internal.pulsedesk.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("172.16.5.4", 443))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setenv("PULSEDESK_WEBHOOK_ALLOW_PRIVATE", "false")
    _reload_settings()
    try:
        answer = http.call("POST", "/webhooks", team.tokens["admin"], {"url": url, "event_types": ["*"]})
    finally:
        monkeypatch.setenv("PULSEDESK_WEBHOOK_ALLOW_PRIVATE", "true")
        _reload_settings()
    assert answer.status_code == 422, answer.text
    message = answer.json()["errors"][0]["message"]
    assert any(word in message for word in ("https", "loopback", "metadata", "private")), message


def _wait_until_caught_up(stack: LocalStack, receiver: WebhookReceiver) -> None:
    """The stack is shared: earlier modules may leave thousands of stream records and deliveries
    behind, which one local consumer per source works through in order (Lambda would scale out).
    A webhook for a change made now arrives once the backlog before it is done."""
    http = Http(stack.base_url)
    team = new_team(http, roles=())
    path = f"/receiver/{team.slug}/barrier"
    endpoint = http.ok("POST", "/webhooks", team.tokens["admin"], {"url": receiver.url(path), "event_types": ["*"]})
    receiver.expect(path, endpoint["secret"])
    open_ticket(http, team)
    wait_for("the local stack to catch up", lambda: receiver.accepted(path), timeout=300)


def _tenant(http: Http, team: Team) -> str:
    return str(http.ok("GET", "/me", team.tokens["admin"])["workspace"]["id"])


def _stream_records_of(stack: LocalStack, partition: str) -> list[dict[str, Any]]:
    from chalicelib.settings import get_settings, physical_table_name

    dynamodb = boto3.client("dynamodb", endpoint_url=stack.dynamodb_endpoint, region_name=REGION)
    streams = boto3.client("dynamodbstreams", endpoint_url=stack.dynamodb_endpoint, region_name=REGION)
    arn = dynamodb.describe_table(TableName=physical_table_name("main"))["Table"]["LatestStreamArn"]
    found: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")
        position = iterator.get("ShardIterator")
        while position:
            answer = streams.get_records(ShardIterator=position, Limit=1000)
            found += [r for r in answer["Records"] if r["dynamodb"]["Keys"]["pk"]["S"] == partition]
            if not answer["Records"]:
                break
            position = answer.get("NextShardIterator")
    return [lambda_record_from_get_records(r, get_settings().main_stream_arn, REGION) for r in found]
