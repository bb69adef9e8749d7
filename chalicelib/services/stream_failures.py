"""Stream batches a consumer gave up on: their records saved with their data, per workspace, as dead letters.

Lambda's on-failure destination gets only a pointer (shard and sequence range), and the stream keeps the
records for 24 hours. The stream-failures consumer reads them back at once and files each record under its
workspace's dead letters, next to the notifications given up on: an admin sees what failed and replays it
once (``dead_letters.replay_dead_letter`` sends it back here, and the consumer it failed in runs it again).
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib.data import integrations, stream_records
from chalicelib.domain.clock import utcnow
from chalicelib.observability import logger, metrics
from chalicelib.services.delivery_queue import send_to_queue
from chalicelib.settings import get_settings

CHANNEL = "stream"
PLATFORM = "platform"  # a record of no workspace (there should be none): kept where operators look


def save_failed_batch(message: dict[str, Any]) -> int:
    """Saves every record of the failed batch ``message`` points at; returns how many."""
    info = message["DDBStreamBatchInfo"]
    consumer = str(message.get("requestContext", {}).get("functionArn", "")).rsplit(":", 1)[-1]
    reason = str(message.get("requestContext", {}).get("condition", "RetryAttemptsExhausted"))
    attempts = int(message.get("requestContext", {}).get("approximateInvokeCount", 0))
    records = stream_records.read_range(
        info["streamArn"], info["shardId"], info["startSequenceNumber"], info["endSequenceNumber"]
    )
    if not records:
        metrics.add_metric(name="StreamRecordsLost", unit="Count", value=int(info.get("batchSize", 1)))
        logger.error("failed stream records had expired before they were read", extra={"batch": info})
        return 0
    now = utcnow()
    for record in records:
        integrations.add_dead_letter(
            _tenant_of(record),
            now,
            channel=CHANNEL,
            event_type=str(record.get("eventName", "")),
            target=consumer,
            error=f"{reason} in {consumer}",
            attempts=attempts,
            job={"event": {"id": record.get("eventID", "")}, "consumer": consumer, "stream_record": record},
        )
    metrics.add_metric(name="StreamRecordsDeadLettered", unit="Count", value=len(records))
    logger.warning("failed stream records saved", extra={"consumer": consumer, "records": len(records)})
    return len(records)


def is_stream_letter(job: dict[str, Any]) -> bool:
    return "stream_record" in job


def request_replay(tenant_id: str, letter_id: str) -> None:
    """The stream-failures consumer runs the record through its consumer again (the API cannot: the
    consumers are workers)."""
    settings = get_settings()
    body = json.dumps({"replay": {"tenant_id": tenant_id, "letter_id": letter_id}})
    send_to_queue(settings.stream_failures_queue_url, settings.stream_failures_queue_name, body)


def replay_target(tenant_id: str, letter_id: str) -> tuple[str, dict[str, Any]] | None:
    """(consumer, record) of a stream dead letter, or None if it is gone."""
    letter = integrations.get_dead_letter(tenant_id, letter_id)
    if letter is None or not is_stream_letter(letter.job):
        return None
    return str(letter.job["consumer"]), dict(letter.job["stream_record"])


def _tenant_of(record: dict[str, Any]) -> str:
    image = record.get("dynamodb", {}).get("NewImage") or record.get("dynamodb", {}).get("OldImage") or {}
    return str(image.get("tenant_id", {}).get("S") or PLATFORM)
