"""Observability on Lambda: every invocation flushes the metrics it added as one CloudWatch EMF
line on stdout (as Powertools' docs test it, by capturing stdout), business events are counted once
and where they are stored (ticket milestones by the stream consumer, not by the request), and the
tracer is a no-op here, where there is no X-Ray, while the app works."""

from __future__ import annotations

import json
import sys
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.observability import get_tracer, metrics
from tests.api.client import ApiClient, Workspace
from tests.api.notifications_support import QueuePump, overridden_settings
from tests.api.streams import StreamPump
from tests.api.test_notifications import deliver, open_ticket, patch


def emf_documents(stdout: str) -> list[dict[str, Any]]:
    """The EMF documents printed: one JSON object per line with CloudWatch's ``_aws`` metadata."""
    documents = []
    for line in stdout.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            documents.append(json.loads(line))
    return documents


def counted(documents: list[dict[str, Any]], name: str) -> list[float]:
    """The value of metric ``name`` in each document that has it, checked to be declared in the namespace."""
    values = []
    for document in documents:
        declared = [
            metric["Name"]
            for directive in document["_aws"]["CloudWatchMetrics"]
            if directive["Namespace"] == "Pulsedesk"
            for metric in directive["Metrics"]
        ]
        if name in declared:
            value = document[name]
            values.append(sum(value) if isinstance(value, list) else value)
    return values


@pytest.fixture
def stdout(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.CaptureFixture[str]]:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")  # tests/conftest.py keeps them quiet elsewhere
    metrics.clear_metrics()  # what earlier tests left behind while metrics were disabled
    capsys.readouterr()
    yield capsys


@pytest.fixture
def queue(api: ApiClient) -> Iterator[QueuePump]:
    with overridden_settings(PULSEDESK_WEBHOOK_RETRY_DELAYS="0"):
        pump = QueuePump(api.chalice)
        pump.purge()
        yield pump


def test_each_invocation_flushes_its_own_metrics(
    api: ApiClient, workspace: Workspace, stdout: pytest.CaptureFixture[str]
) -> None:
    address = f"2001:db8::{uuid.uuid4().hex[:4]}"
    sign_in = {"workspace": workspace.slug, "email": "nobody@example.com", "password": "wrong password!"}

    # WHEN a sign-in fails, twice
    assert api.post("/auth/login", sign_in, source_ip=address).status == 401
    first = emf_documents(stdout.readouterr().out)
    assert api.post("/auth/login", sign_in, source_ip=address).status == 401
    second = emf_documents(stdout.readouterr().out)

    # THEN each request printed its own EMF line counting one failure (nothing waits for a later flush)
    assert counted(first, "LoginsFailed") == [1]
    assert counted(second, "LoginsFailed") == [1]
    assert first[0]["service"] == "pulsedesk"


def test_ticket_milestones_are_counted_by_the_stream_consumer_not_the_request(
    api: ApiClient, workspace: Workspace, pump: StreamPump, stdout: pytest.CaptureFixture[str]
) -> None:
    # WHEN a ticket is created with an owner
    ticket = open_ticket(api, workspace, assignee_id=workspace.members["agent"].id)
    by_request = emf_documents(stdout.readouterr().out)
    pump.pump(handlers=("workflows",))
    by_stream = emf_documents(stdout.readouterr().out)

    # THEN the request counted nothing, and the workflows invocation counted one creation and one assignment
    assert counted(by_request, "TicketsCreated") == [] and counted(by_request, "AssignmentsMade") == []
    assert counted(by_stream, "TicketsCreated") == [1]
    assert counted(by_stream, "AssignmentsMade") == [1]
    assert counted(by_stream, "TicketsSolved") == []

    # WHEN it is solved, and then changed again while solved
    patch(api, workspace, ticket, status="solved")
    patch(api, workspace, ticket, priority="high")
    pump.pump(handlers=("workflows",))
    later = emf_documents(stdout.readouterr().out)

    # THEN one solve was counted, and no new creation or assignment
    assert counted(later, "TicketsSolved") == [1]
    assert counted(later, "TicketsCreated") == [] and counted(later, "AssignmentsMade") == []


def test_a_failed_delivery_is_counted_by_the_queue_consumer(
    api: ApiClient,
    workspace: Workspace,
    pump: StreamPump,
    queue: QueuePump,
    stdout: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from chalicelib.domain.delivery import DeliveryFailed
    from chalicelib.workers import notifications as worker

    def broken(job: Any) -> dict[str, Any]:
        raise DeliveryFailed("SES Throttling: slow down")

    # GIVEN SES failing, and one email to send (the assignee's), retried once
    monkeypatch.setitem(worker._SENDERS, "email", broken)
    ticket = open_ticket(api, workspace)
    patch(api, workspace, ticket, assignee_id=workspace.members["lead"].id)
    stdout.readouterr()

    # WHEN the pipeline runs
    deliver(pump, queue)

    # THEN each failed attempt was counted in the invocation that made it, then it was dead-lettered
    out = emf_documents(stdout.readouterr().out)
    assert sum(counted(out, "DeliveriesFailed")) == 2
    assert sum(counted(out, "NotificationsDeadLettered")) == 1


def test_a_rate_limited_request_is_counted(
    api: ApiClient, workspace: Workspace, stdout: pytest.CaptureFixture[str]
) -> None:
    with overridden_settings(PULSEDESK_RATE_LIMITS="api.workspace=3/60"):
        replies = [api.get("/tickets", workspace.token("agent")) for _ in range(4)]

    # THEN each refused request counted itself once, in its own invocation
    refused = [r for r in replies if r.status == 429]
    assert refused
    assert counted(emf_documents(stdout.readouterr().out), "RequestsRateLimited") == [1] * len(refused)


def test_the_tracer_is_off_without_xray_and_the_app_still_answers(api: ApiClient) -> None:
    # No Lambda runtime here (no LAMBDA_TASK_ROOT), so no X-Ray daemon is assumed: Powertools disables it
    assert get_tracer().disabled
    assert api.get("/health").status == 200


def test_handlers_running_side_by_side_flush_every_metric_once_and_never_fail(
    stdout: pytest.CaptureFixture[str],
) -> None:
    # GIVEN handlers invoked on threads of one process, as the local event runner invokes them,
    # switching as often as the interpreter can
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: Any) -> None:
        metrics.add_metric(name="SideBySide", unit="Count", value=1)

    failures: list[BaseException] = []

    def invoke_many() -> None:
        for _ in range(INVOCATIONS):
            try:
                handler({}, None)
            except Exception as error:  # a flush that read a set another thread was changing
                failures.append(error)

    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=invoke_many) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(previous)

    # THEN no invocation failed, and every metric added was printed exactly once
    assert failures == []
    assert sum(counted(emf_documents(stdout.readouterr().out), "SideBySide")) == THREADS * INVOCATIONS


THREADS, INVOCATIONS = 8, 300
