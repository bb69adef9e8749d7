"""What API tests of notifications need: the queue and the verified sender in moto, a pump that
delivers the queue's messages to the app's SQS handler (as Lambda's event source mapping would),
settings overrides, and readers for what SES was asked to send."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import boto3
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from infra.local.lambda_events import sqs_record
from infra.local.outbox import outbox_from_moto_data

if TYPE_CHECKING:
    from tests.api.streams import StreamPump

REGION = "us-east-1"


def create_notification_infra() -> None:
    """The notification queue and the verified SES sender, in moto (idempotent)."""
    from chalicelib.settings import get_settings

    settings = get_settings()
    boto3.client("sqs", region_name=REGION).create_queue(QueueName=settings.notifications_queue_name)
    boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=settings.email_sender)
    s3 = boto3.client("s3", region_name=REGION)
    for bucket in (settings.inbound_bucket, settings.attachments_bucket):  # inbound email's raw mail, attachments
        s3.create_bucket(Bucket=bucket)


@contextmanager
def overridden_settings(**values: str) -> Iterator[None]:
    """Environment settings for the duration of a test; settings are re-read on entry and exit."""
    from chalicelib.settings import get_settings

    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    get_settings.cache_clear()
    get_settings()  # read now: chalice.test's invoke swaps the environment while a handler runs
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()
        get_settings()


class QueuePump:
    """Delivers the notification queue's visible messages to the ``notifications`` handler until
    the queue is quiet; what succeeded is deleted, what failed stays for the next round."""

    def __init__(self, chalice_client: Any) -> None:
        from chalicelib.settings import get_settings

        self._lambda = chalice_client.lambda_
        self._sqs = boto3.client("sqs", region_name=REGION)
        self._url = self._sqs.get_queue_url(QueueName=get_settings().notifications_queue_name)["QueueUrl"]
        self._arn = self._sqs.get_queue_attributes(QueueUrl=self._url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        self.jobs: list[dict[str, Any]] = []
        self.failures: list[str] = []

    def purge(self) -> None:
        # _receive uses VisibilityTimeout=0, so a message received and not deleted comes straight back:
        # without the delete this loops forever once an earlier test left anything in the queue.
        while messages := self._receive():
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
            self._sqs.delete_message_batch(QueueUrl=self._url, Entries=entries)

    def drain(self, rounds: int = 30) -> int:
        handled = 0
        for _ in range(rounds):
            messages = self._receive()
            if not messages:
                return handled
            records = [sqs_record(m, self._arn, REGION) for m in messages]
            response = self._lambda.invoke("notifications", {"Records": records})
            failed = {f["itemIdentifier"] for f in (response.payload or {}).get("batchItemFailures", [])}
            self.failures += sorted(failed)
            done = [r for r in records if r["messageId"] not in failed]
            if done:
                entries = [{"Id": str(i), "ReceiptHandle": r["receiptHandle"]} for i, r in enumerate(done)]
                self._sqs.delete_message_batch(QueueUrl=self._url, Entries=entries)
            self.jobs += [json.loads(r["body"]) for r in records]
            handled += len(records)
        raise AssertionError("the notification queue never went quiet")

    def take_delayed(self) -> list[dict[str, Any]]:
        """Removes the messages still waiting out their delay and returns their jobs (for a test to
        send on as if the wait were over)."""
        from moto.sqs.models import sqs_backends

        queue = sqs_backends[DEFAULT_ACCOUNT_ID][REGION].queues[self._url.rsplit("/", 1)[-1]]
        delayed = [message for message in queue._messages if message.delayed]
        for message in delayed:
            queue._messages.remove(message)
        return [json.loads(message.body) for message in delayed]

    def _receive(self) -> list[dict[str, Any]]:
        answer = self._sqs.receive_message(
            QueueUrl=self._url, MaxNumberOfMessages=10, VisibilityTimeout=0, AttributeNames=["All"]
        )
        messages: list[dict[str, Any]] = answer.get("Messages", [])
        return messages


def sent_emails() -> list[dict[str, Any]]:
    """Every email moto's SES accepted, in the local outbox's shape."""
    backend = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
    raw = [
        {"id": m.id, "source": m.source, "destinations": m.destinations, "raw_data": m.raw_data}
        for m in backend.sent_messages
        if hasattr(m, "raw_data")
    ]
    return outbox_from_moto_data({"ses": {"RawMessage": raw}})


def emails_to(address: str) -> list[dict[str, Any]]:
    return [e for e in sent_emails() if address.lower() in [a.lower() for a in e["to"]]]


def deliver(pump: StreamPump, queue: QueuePump) -> None:
    """Stream → workflows → queue → notifications, until both are quiet."""
    for _ in range(5):
        pump.pump(handlers=("workflows",))
        if not queue.drain():
            return
