"""The local moto server's read of the mail sent from a point on (``infra/local/moto_app.py``): what the
mail relay and the outbox read instead of moto's whole state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local.moto_app import _sent_answer, sent_since

REGION = "us-east-1"
SENDER = "support@pulsedesk.local"


@pytest.fixture
def ses(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.delenv("AWS_ENDPOINT_URL_SES", raising=False)
    with mock_aws():
        client = boto3.client("ses", region_name=REGION)
        client.verify_email_identity(EmailAddress=SENDER)
        yield client


def _send_simple(ses: Any, to: str) -> None:
    ses.send_email(
        Source=SENDER,
        Destination={"ToAddresses": [to]},
        Message={"Subject": {"Data": "Hello"}, "Body": {"Text": {"Data": "Body"}}},
    )


def _send_raw(ses: Any, to: str) -> None:
    raw = f"From: {SENDER}\r\nTo: {to}\r\nSubject: Raw\r\n\r\nBody\r\n"
    ses.send_raw_email(Source=SENDER, Destinations=[to], RawMessage={"Data": raw})


def test_it_answers_only_what_was_sent_after_the_point_given_grouped_as_moto_groups_it(ses: Any) -> None:
    # GIVEN two messages sent
    _send_simple(ses, "a@example.com")
    _send_raw(ses, "b@example.com")
    # WHEN everything is asked for THEN both come, by kind, with the point to ask from next time
    everything = sent_since(REGION, 0)
    assert everything["next"] == 2
    assert [m["destinations"]["ToAddresses"] for m in everything["ses"]["Message"]] == [["a@example.com"]]
    assert [set(m["destinations"]) for m in everything["ses"]["RawMessage"]] == [{"b@example.com"}]
    assert "Subject: Raw" in everything["ses"]["RawMessage"][0]["raw_data"]
    # WHEN a third is sent and the reader asks from where it stopped THEN only the third comes
    _send_raw(ses, "c@example.com")
    later = sent_since(REGION, 2)
    assert later["next"] == 3
    assert list(later["ses"]) == ["RawMessage"]
    assert [set(m["destinations"]) for m in later["ses"]["RawMessage"]] == [{"c@example.com"}]
    # WHEN nothing new was sent THEN nothing comes and the point stays
    assert sent_since(REGION, 3) == {"next": 3, "ses": {}}


def test_a_point_that_is_no_whole_number_is_refused(ses: Any) -> None:
    statuses: list[str] = []
    body = _sent_answer({"QUERY_STRING": "after=soon"}, lambda status, headers: statuses.append(status))
    assert statuses == ["400 Bad Request"] and b"after" in b"".join(body)


def test_a_receive_reads_the_retention_period_without_counting_the_queue_per_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from moto.sqs.models import Queue, SQSBackend

    from infra.local.moto_app import keep_receives_linear

    name = "is_message_valid_based_on_retention_period"
    monkeypatch.setattr(SQSBackend, name, SQSBackend.__dict__[name])  # restored after the test
    keep_receives_linear()
    built = []
    attributes = Queue.attributes
    monkeypatch.setattr(Queue, "attributes", property(lambda queue: built.append(1) or attributes.fget(queue)))  # type: ignore[attr-defined]
    monkeypatch.delenv("AWS_ENDPOINT_URL_SQS", raising=False)
    with mock_aws():
        sqs = boto3.client("sqs", region_name=REGION)
        url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
        for start in range(0, 200, 10):
            sqs.send_message_batch(
                QueueUrl=url, Entries=[{"Id": str(n), "MessageBody": f"job {start + n}"} for n in range(10)]
            )
        built.clear()
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        # a receive of ten out of 200 builds the queue's attributes a few times, not once per message handed out
        assert len(received) == 10 and len(built) < 5
        # and a message older than the retention period is still never handed out
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.sqs.models import sqs_backends

        sqs.set_queue_attributes(QueueUrl=url, Attributes={"MessageRetentionPeriod": "60", "VisibilityTimeout": "0"})
        for message in sqs_backends[DEFAULT_ACCOUNT_ID][REGION].queues["jobs"]._messages:
            message.sent_timestamp = 0  # sent in 1970
        assert sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []) == []
