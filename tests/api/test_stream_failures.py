"""A stream batch a consumer gave up on: its records are read back from the stream (Lambda sends only a
pointer), saved with their data under their workspace's dead letters, and an admin replays one once."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from chalicelib.settings import get_settings
from chalicelib.workers import stream_failures
from tests.api.client import ApiClient, Workspace


@pytest.fixture
def failures_queue(aws: None) -> str:
    sqs = boto3.client("sqs", region_name="us-east-1")
    return str(sqs.create_queue(QueueName=get_settings().stream_failures_queue_name)["QueueUrl"])


def _sqs_event(*bodies: dict[str, Any]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"m{i}",
                "receiptHandle": "r",
                "body": json.dumps(body),
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
                "awsRegion": "us-east-1",
            }
            for i, body in enumerate(bodies)
        ]
    }


class ShardReader:
    """DynamoDB Streams' GetShardIterator and GetRecords over moto's real shard (moto's Streams HTTP API
    answers this botocore "Not yet implemented"), two records a page so paging is exercised."""

    class exceptions:
        class TrimmedDataAccessException(Exception):
            pass

    def __init__(self, table_name: str) -> None:
        self.table = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].get_table(table_name)
        self.arn = f"{self.table.table_arn}/stream/{self.table.latest_stream_label}"

    def records(self) -> list[dict[str, Any]]:
        return [item.to_json() for item in self.table.stream_shard.items]

    def get_shard_iterator(self, **call: Any) -> dict[str, Any]:
        assert call["ShardIteratorType"] == "AT_SEQUENCE_NUMBER" and call["StreamArn"] == self.arn
        sequence = [r["dynamodb"]["SequenceNumber"] for r in self.records()]
        return {"ShardIterator": str(sequence.index(call["SequenceNumber"]))}

    def get_records(self, ShardIterator: str) -> dict[str, Any]:
        start = int(ShardIterator)
        page = self.records()[start : start + 2]
        return {"Records": page, "NextShardIterator": str(start + len(page))}


@pytest.fixture
def shard(aws: None, monkeypatch: pytest.MonkeyPatch) -> ShardReader:
    reader = ShardReader(f"{get_settings().table_prefix}main")
    monkeypatch.setattr("chalicelib.data.stream_records._streams", lambda: reader)
    return reader


def _pointer_to_latest_records(shard: ShardReader, tenant_id: str) -> tuple[dict[str, Any], list[str]]:
    """A failure message like Lambda's, for the main stream's records of this workspace."""
    records = shard.records()
    mine = [r for r in records if (r["dynamodb"].get("NewImage") or {}).get("tenant_id", {}).get("S") == tenant_id]
    first, last = mine[0]["dynamodb"]["SequenceNumber"], mine[-1]["dynamodb"]["SequenceNumber"]
    message = {
        "requestContext": {
            "condition": "RetryAttemptsExhausted",
            "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:pulsedesk-prod-Workflows",
            "approximateInvokeCount": 6,
        },
        "DDBStreamBatchInfo": {
            "shardId": "shardId-1",
            "startSequenceNumber": first,
            "endSequenceNumber": last,
            "batchSize": len(mine),
            "streamArn": shard.arn,
        },
    }
    return message, [r["eventID"] for r in mine]


def test_failed_records_are_saved_with_their_data_and_replayed_once(
    api: ApiClient, workspace: Workspace, failures_queue: str, shard: ShardReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a ticket written, and Lambda's pointer to its batch after the workflow consumer gave up on it
    reply = api.post(
        "/tickets",
        {"subject": "lost", "description": "y", "requester": {"email": "r@example.com"}},
        workspace.token("admin"),
    )
    assert reply.status == 201
    message, event_ids = _pointer_to_latest_records(shard, workspace.tenant_id)

    # WHEN the stream-failures consumer gets the pointer
    answer = stream_failures.handle_stream_failure_batch(_sqs_event(message), None)

    # THEN each of the workspace's records is a dead letter with its data, seen by the admin only
    assert answer == {"batchItemFailures": []}
    letters = api.get("/notifications/dead-letters?limit=100", workspace.token("admin")).body["items"]
    saved = [letter for letter in letters if letter["channel"] == "stream"]
    assert {letter["event_id"] for letter in saved} >= set(event_ids)
    assert all(letter["target"] == "pulsedesk-prod-Workflows" and letter["attempts"] == 6 for letter in saved)
    assert api.get("/notifications/dead-letters", workspace.token("agent")).status == 403

    # WHEN the admin replays one THEN the record runs through the consumer that failed on it, once
    ran: list[dict[str, Any]] = []
    monkeypatch.setitem(stream_failures.CONSUMERS, "workflows", lambda event, _: ran.append(event) or {})
    letter = saved[0]
    assert api.post(f"/notifications/dead-letters/{letter['id']}/replay", None, workspace.token("admin")).status == 202
    assert api.post(f"/notifications/dead-letters/{letter['id']}/replay", None, workspace.token("admin")).status == 409
    sqs = boto3.client("sqs", region_name="us-east-1")
    (queued,) = sqs.receive_message(QueueUrl=failures_queue, MaxNumberOfMessages=10)["Messages"]
    assert stream_failures.handle_stream_failure_batch(_sqs_event(json.loads(queued["Body"])), None) == {
        "batchItemFailures": []
    }
    (event,) = ran
    (record,) = event["Records"]
    assert record["eventID"] == letter["event_id"]
    assert record["dynamodb"]["NewImage"]["tenant_id"]["S"] == workspace.tenant_id


def test_a_replay_that_fails_again_comes_back_to_the_queue(
    api: ApiClient, workspace: Workspace, failures_queue: str, shard: ShardReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.post(
        "/tickets",
        {"subject": "x", "description": "y", "requester": {"email": "r@example.com"}},
        workspace.token("admin"),
    )
    message, _ = _pointer_to_latest_records(shard, workspace.tenant_id)
    stream_failures.handle_stream_failure_batch(_sqs_event(message), None)
    letters = api.get("/notifications/dead-letters", workspace.token("admin")).body["items"]
    letter = next(letter for letter in letters if letter["channel"] == "stream")
    monkeypatch.setitem(
        stream_failures.CONSUMERS, "workflows", lambda event, _: {"batchItemFailures": [{"itemIdentifier": "x"}]}
    )
    replay = {"replay": {"tenant_id": workspace.tenant_id, "letter_id": letter["id"]}}
    # THEN the message is not deleted: a batch of one that failed whole makes the invocation fail
    with pytest.raises(BatchProcessingError, match="failed again on the replayed record"):
        stream_failures.handle_stream_failure_batch(_sqs_event(replay), None)


def test_records_already_expired_are_counted_as_lost(failures_queue: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("chalicelib.data.stream_records.read_range", lambda *args: [])
    message = {
        "requestContext": {},
        "DDBStreamBatchInfo": {
            "shardId": "s",
            "startSequenceNumber": "1",
            "endSequenceNumber": "2",
            "batchSize": 2,
            "streamArn": "arn",
        },
    }
    from chalicelib.services.stream_failures import save_failed_batch

    assert save_failed_batch(message) == 0
