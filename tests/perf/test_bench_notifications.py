"""Change -> webhook and change -> Slack latency, and the delivery rate of one notifications
consumer, on the local stack (issue 6's benchmark).

The path: the REST write commits -> DynamoDB Local's stream -> the workflows handler plans the jobs
onto moto's SQS -> the notifications handler (one local poller, like one Lambda concurrency slot)
sends them -> the local webhook receiver (verifies the Standard Webhooks signature) or the Slack
Web API stand-in. Times are the peer's receipt minus the moment the client sent the write."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from infra.local.stack import EnvOverrides, LocalStack
from tests.integration.fakes.slack_api import TOKEN, FakeSlack
from tests.integration.fakes.webhook_receiver import Received, WebhookReceiver
from tests.integration.http import Http, Team, new_team
from tests.perf.figures import dynamo_calls, summary_ms, table

SAMPLES = 40
BURST = 400
# The first write of each series waits out whatever backlog earlier benchmarks left on the
# shared stack (one local consumer per source works through it in order); it is not counted.
BACKLOG_SECONDS = 300.0


def _reload_settings() -> None:
    from chalicelib.settings import get_settings

    get_settings.cache_clear()


@pytest.fixture(scope="module")
def fake_slack(bench_stack: LocalStack) -> Iterator[FakeSlack]:
    slack = FakeSlack().start()
    env = EnvOverrides()
    env.set({"PULSEDESK_SLACK_API_URL": slack.api_url})
    _reload_settings()
    yield slack
    env.restore()
    _reload_settings()
    slack.stop()


def until(check: Callable[[], Any], timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, "the notification never arrived"
        time.sleep(0.005)
    return result


def add_endpoint(http: Http, team: Team, receiver: WebhookReceiver, event_types: list[str]) -> tuple[str, str]:
    path = f"/bench/{team.slug}"
    body = {"url": receiver.url(path), "event_types": event_types}
    endpoint = http.ok("POST", "/webhooks", team.tokens["admin"], body)
    receiver.expect(path, endpoint["secret"])
    return path, endpoint["id"]


def open_ticket(http: Http, team: Team, subject: str, priority: str = "normal") -> dict[str, Any]:
    body = {"subject": subject, "description": "x", "requester": {"email": "probe@example.com"}, "priority": priority}
    return http.ok("POST", "/tickets", team.tokens["admin"], body)  # type: ignore[no-any-return]


def webhook_latency(http: Http, team: Team, receiver: WebhookReceiver) -> list[float]:
    """PATCH priority of one ticket, one write at a time, until its signed webhook is accepted."""
    path, _ = add_endpoint(http, team, receiver, ["ticket.priority_changed"])
    ticket = open_ticket(http, team, "Webhook latency probe")
    version, samples = ticket["version"], []
    for n, priority in zip(range(SAMPLES + 1), itertools.cycle(["high", "low"]), strict=False):
        sent = time.time()
        headers = {"If-Match": str(version)}
        answer = http.ok("PATCH", f"/tickets/{ticket['id']}", team.tokens["admin"], {"priority": priority}, headers)
        version = answer["version"]
        delivered = until(lambda n=n: receiver.accepted(path)[n:], BACKLOG_SECONDS if n == 0 else 30)
        if n:
            samples.append(delivered[0].at - sent)
    assert all(r.verified for r in receiver.at(path))
    return samples


def slack_latency(http: Http, team: Team, slack: FakeSlack) -> list[float]:
    """POST an urgent ticket, one at a time, until the alert reaches chat.postMessage."""
    channel = {"mode": "bot", "bot_token": TOKEN, "channel": f"#{team.slug}"}
    http.ok("PUT", "/integrations/slack", team.tokens["admin"], channel)
    samples = []
    for n in range(SAMPLES + 1):
        subject = f"Outage {n} at {team.slug}"
        sent = time.time()
        open_ticket(http, team, subject, priority="urgent")
        (message,) = until(lambda s=subject: slack.messages_about(s), BACKLOG_SECONDS if n == 0 else 30)
        if n:
            samples.append(message["received_at"] - sent)
    return samples


def test_change_to_notification_latency(
    bench_stack: LocalStack, receiver: WebhookReceiver, fake_slack: FakeSlack
) -> None:
    http = Http.for_stack(bench_stack)
    team = new_team(http, roles=())
    rows = []
    for name, samples in [
        ("PATCH priority -> signed webhook accepted", webhook_latency(http, team, receiver)),
        ("POST urgent ticket -> Slack chat.postMessage", slack_latency(http, team, fake_slack)),
    ]:
        figures = summary_ms(samples)
        rows.append([name, len(samples), figures["p50"], figures["p95"], figures["max"]])
    table(
        "Change -> notification received on the local stack (client sends the write -> peer gets the request;"
        " one write at a time)",
        ["change -> receipt", "samples", "p50 ms", "p95 ms", "max ms"],
        rows,
    )


def test_delivery_rate_of_one_consumer(bench_stack: LocalStack, receiver: WebhookReceiver) -> None:
    from chalicelib.domain.delivery import Job
    from chalicelib.domain.events import DomainEvent
    from chalicelib.services.delivery_queue import enqueue

    # GIVEN a webhook endpoint and the payload a real change sent it
    http = Http.for_stack(bench_stack)
    team = new_team(http, roles=())
    path, endpoint_id = add_endpoint(http, team, receiver, ["ticket.created"])
    open_ticket(http, team, "Delivery rate probe")
    (real,) = until(lambda: receiver.accepted(path), BACKLOG_SECONDS)
    tenant_id = http.ok("GET", "/me", team.tokens["admin"])["workspace"]["id"]
    event = DomainEvent.from_payload(tenant_id, real.json())
    burst = uuid.uuid4().hex[:8]
    jobs = [
        Job(tenant_id, "webhook", endpoint_id, replace(event, id=f"evt_bench_{burst}_{n}").to_dict())
        for n in range(BURST)
    ]

    # WHEN the bench sends a burst of webhook jobs to the queue
    with dynamo_calls("events-notifications") as calls:
        started = time.time()
        enqueue(jobs)
        enqueued = time.time()
        until(lambda: len(receiver.accepted(path)) > BURST, 120)
    got: list[Received] = receiver.accepted(path)[1:]

    # THEN the one consumer works through it at a steady rate
    assert len({r.webhook_id for r in got}) == BURST and all(r.verified for r in receiver.at(path))
    last = got[-1].at
    after_enqueue = sum(r.at > enqueued for r in got)
    table(
        f"One notifications consumer (the local stack's single SQS poller, batches of 10): a burst of {BURST}"
        " webhook jobs sent to the queue by the bench, until the receiver accepted all of them",
        [
            "enqueue s",
            "first received ms",
            "all received s",
            "deliveries/s, whole burst",
            "deliveries/s once all were queued",
            "DynamoDB calls/delivery",
            "operations",
        ],
        [
            [
                enqueued - started,
                (got[0].at - started) * 1000,
                last - started,
                BURST / (last - started),
                after_enqueue / (last - enqueued),
                len(calls) / BURST,
                ", ".join(sorted(set(calls))),
            ]
        ],
    )
