"""The local runner reads a queue as Lambda's pollers do: one long poll while it is quiet; with a backlog (a
full batch), more pollers join, up to SQS_MAX_CONCURRENCY batches at once, and leave once it is drained."""

from __future__ import annotations

import threading
from typing import Any

from chalice.app import Chalice, SQSEvent

from infra.local.events import SQS_MAX_CONCURRENCY, EventSourceRunner, RunnerConfig, SqsPoller


class FakeQueue:
    """ReceiveMessage and DeleteMessageBatch over ``count`` messages, as SQS answers them (thread-safe)."""

    def __init__(self, count: int) -> None:
        self.waiting = [f"m{n}" for n in range(count)]
        self.deleted: list[str] = []
        self.waits: list[int] = []
        self._lock = threading.Lock()

    def receive_message(self, MaxNumberOfMessages: int, WaitTimeSeconds: int, **_: Any) -> dict[str, Any]:
        with self._lock:
            self.waits.append(WaitTimeSeconds)
            taken, self.waiting = self.waiting[:MaxNumberOfMessages], self.waiting[MaxNumberOfMessages:]
        return {"Messages": [{"MessageId": m, "ReceiptHandle": m, "Body": m} for m in taken]}

    def delete_message_batch(self, Entries: list[dict[str, str]], **_: Any) -> None:
        with self._lock:
            self.deleted += [entry["ReceiptHandle"] for entry in Entries]


def test_a_backlog_is_handled_several_batches_at_once_and_every_message_once() -> None:
    # GIVEN 200 messages waiting, and a handler whose first batches wait until several are handled at once
    app = Chalice(app_name="queue")
    at_once = threading.Barrier(3, timeout=5)
    handled: list[str] = []
    in_flight = [0, 0]  # now, most ever
    counting = threading.Lock()

    @app.on_sqs_message(queue="jobs", batch_size=10, name="jobs")
    def jobs(event: SQSEvent) -> dict[str, Any]:
        with counting:
            in_flight[0] += 1
            in_flight[1] = max(in_flight)
        handled.extend(record.body for record in event)
        if len(handled) <= 30:  # the first three batches: each waits for the other two
            at_once.wait()
        with counting:
            in_flight[0] -= 1
        return {"batchItemFailures": []}

    runner = EventSourceRunner(
        app, RunnerConfig(dynamodb_endpoint="", sqs_endpoint="http://127.0.0.1:9", region="us-east-1")
    )
    poller = SqsPoller(app.event_sources[0], runner)  # type: ignore[arg-type]
    queue = FakeQueue(200)
    poller._sqs, poller._queue_url, poller._queue_arn = queue, "jobs", "arn:aws:sqs:us-east-1:000000000000:jobs"

    # WHEN the poller runs until the queue is empty
    thread = threading.Thread(target=poller.run, daemon=True)
    thread.start()
    for _ in range(500):
        if len(queue.deleted) == 200:
            break
        threading.Event().wait(0.01)
    runner.stopping.set()
    thread.join(timeout=10)

    # THEN three batches were handled at once (no more pollers than the most), each message once, and the
    # extra pollers never waited on an empty queue
    assert not at_once.broken
    assert sorted(handled) == sorted(queue.deleted) == sorted(f"m{n}" for n in range(200))
    assert len(poller._extra_pollers) < SQS_MAX_CONCURRENCY
    assert 3 <= in_flight[1] <= SQS_MAX_CONCURRENCY
    assert queue.waits.count(2) >= 1 and set(queue.waits) <= {0, 2}
