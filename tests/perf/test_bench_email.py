"""Email in (issue 13's benchmark): SMTP accepted -> ticket on a listening dashboard, and how many messages
one handler gets through.

The path: the local SMTP server answers 250 once the message is in the inbound bucket -> moto's S3
notification -> the event runner's long-polled queue -> the inbound_email handler (parse, thread, write the
ticket, store attachments) -> DynamoDB Local's stream -> the realtime handler -> the WebSocket. One runner
thread invokes the handler, like one Lambda concurrency slot; AWS would run S3 invocations in parallel."""

from __future__ import annotations

import smtplib
import time
import uuid
from typing import Any

import pytest
from websockets.sync.client import ClientConnection

from chalicelib.domain.inbound_message import Limits, parse_message
from infra.local.processes import LOOPBACK
from infra.local.stack import LocalStack
from tests.events.mail_corpus import CORPUS, raw
from tests.integration.http import Http, Team, new_team
from tests.integration.test_realtime import listening, receive
from tests.perf.figures import dynamo_calls, summary_ms, table

LATENCY_MESSAGES = 50
BURST_MESSAGES = 100
PARSE_ROUNDS = 200
TICKET_KINDS = [k for k in CORPUS if k not in {"out of office", "bounce"}]  # both are kept, but as machine mail
LIMITS = Limits(max_attachment_bytes=10 * 1024 * 1024, max_message_bytes=25 * 1024 * 1024, max_attachments=50)


@pytest.fixture(scope="module")
def team(bench_stack: LocalStack) -> Team:
    return new_team(Http.for_stack(bench_stack), roles=("agent",))


def send(stack: LocalStack, smtp: smtplib.SMTP, to: str, message: bytes, sender: str) -> float:
    """Sends one message on an open session; returns the moment the server's 250 arrived."""
    smtp.mail(sender)
    code, answer = smtp.rcpt(to)
    assert code == 250, answer
    code, answer = smtp.data(message)
    assert code == 250, answer
    return time.perf_counter()


def created_subjects(ws: ClientConnection) -> list[tuple[float, str]]:
    events = receive(ws)
    now = time.perf_counter()
    return [(now, e["ticket"]["subject"]) for e in events if e["type"] == "ticket.created"]


def test_smtp_accepted_to_ticket_on_the_dashboard(bench_stack: LocalStack, team: Team) -> None:
    to = f"{team.slug}@{bench_stack.inbound_domain}"
    samples: list[float] = []
    with (
        listening(bench_stack, team.tokens["agent"]) as ws,
        smtplib.SMTP(LOOPBACK, bench_stack.smtp_port) as smtp,
        dynamo_calls("events-inbound_email") as calls,  # the runner's thread for the S3 source
    ):
        smtp.ehlo("mx.customer.example")
        for number in range(LATENCY_MESSAGES + 1):
            kind = TICKET_KINDS[number % len(TICKET_KINDS)]
            sender = f"c{number}-{uuid.uuid4().hex[:6]}@customer.example"
            message = raw(kind, to, sender=f"Customer <{sender}>")
            accepted = send(bench_stack, smtp, to, message, sender)
            subjects: list[tuple[float, str]] = []
            while not subjects:
                subjects = created_subjects(ws)
            if number:  # the first warms the handler up (imports, connections)
                samples.append(subjects[0][0] - accepted)
    figures = summary_ms(samples)
    per_message = len(calls) / (LATENCY_MESSAGES + 1)
    table(
        "Email in: SMTP 250 -> ticket.created on a listening dashboard (50 messages, one at a time, mixed corpus)",
        ["messages", "p50 ms", "p95 ms", "max ms", "DynamoDB calls per message (handler)"],
        [[len(samples), figures["p50"], figures["p95"], figures["max"], per_message]],
    )
    print("  handler's operations:", {op: calls.count(op) for op in sorted(set(calls))}, flush=True)


def test_messages_one_handler_gets_through(bench_stack: LocalStack, team: Team) -> None:
    to = f"{team.slug}@{bench_stack.inbound_domain}"
    batch = []
    for number in range(BURST_MESSAGES):
        sender = f"b{number}-{uuid.uuid4().hex[:6]}@customer.example"
        batch.append((sender, raw(TICKET_KINDS[number % len(TICKET_KINDS)], to, sender=f"Customer <{sender}>")))
    seen: list[tuple[float, str]] = []
    with listening(bench_stack, team.tokens["agent"]) as ws, smtplib.SMTP(LOOPBACK, bench_stack.smtp_port) as smtp:
        smtp.ehlo("mx.customer.example")
        started = time.perf_counter()
        for sender, message in batch:
            send(bench_stack, smtp, to, message, sender)
        all_accepted = time.perf_counter()
        while len(seen) < BURST_MESSAGES:
            seen += created_subjects(ws)
    total = seen[-1][0] - started
    megabytes = sum(len(message) for _, message in batch) / 1e6
    table(
        f"Email in: a burst of {BURST_MESSAGES} messages (mixed corpus, {megabytes:.1f} MB) through one handler",
        ["SMTP accepted all, s", "last ticket on the dashboard, s", "messages/s end to end"],
        [[all_accepted - started, total, BURST_MESSAGES / total]],
    )


def test_messages_per_second_one_parser_reads() -> None:
    corpus = {kind: raw(kind, "demo@inbound.example") for kind in CORPUS}
    rows: list[list[Any]] = []
    for kind, message in corpus.items():
        started = time.perf_counter()
        for _ in range(PARSE_ROUNDS):
            parse_message(message, LIMITS)
        elapsed = time.perf_counter() - started
        rows.append([kind, f"{len(message):,}", PARSE_ROUNDS / elapsed, elapsed / PARSE_ROUNDS * 1000])
    started = time.perf_counter()
    for _ in range(PARSE_ROUNDS // 10):
        for message in corpus.values():
            parse_message(message, LIMITS)
    mixed = (PARSE_ROUNDS // 10) * len(corpus) / (time.perf_counter() - started)
    rows.append(["mixed (all of the above in turn)", "", mixed, 1000 / mixed])
    table(
        "Email in: parse_message, one process (stdlib email + mail-parser-reply + nh3)",
        ["message", "bytes", "messages/s", "ms each"],
        rows,
    )
