"""The stream-failures queue: Lambda's pointers to stream batches given up on, and replays asked for.

A pointer: the records are read back from the stream and saved as dead letters with their data. A replay
(an admin's, through the API): the record runs again through the consumer that failed on it; if it fails
again the message comes back, then goes to the queue's dead-letter queue (alarmed).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.observability import logger
from chalicelib.services.stream_failures import replay_target, save_failed_batch
from chalicelib.workers.realtime import handle_realtime_batch
from chalicelib.workers.workflows import handle_workflow_batch

# The stream consumers by the last part of their function's name (``pulsedesk-prod-Workflows``).
CONSUMERS: dict[str, Callable[[dict[str, Any], Any], dict[str, Any]]] = {
    "workflows": handle_workflow_batch,
    "realtime": handle_realtime_batch,
}


class ReplayFailed(RuntimeError):
    pass


def handle_stream_failure_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    processor = BatchProcessor(event_type=EventType.SQS)
    return dict(process_partial_response(event=event, record_handler=_handle, processor=processor, context=context))


def _handle(record: SQSRecord) -> None:
    message = json.loads(record.body)
    if "replay" in message:
        _replay(message["replay"]["tenant_id"], message["replay"]["letter_id"])
    else:
        save_failed_batch(message)


def _replay(tenant_id: str, letter_id: str) -> None:
    target = replay_target(tenant_id, letter_id)
    if target is None:
        logger.warning("replay of a stream dead letter that is gone", extra={"letter_id": letter_id})
        return
    consumer, stream_record = target
    handler = CONSUMERS.get(consumer.rsplit("-", 1)[-1].lower())
    if handler is None:
        raise ReplayFailed(f"no stream consumer named {consumer}")
    answer = handler({"Records": [stream_record]}, None)
    if answer.get("batchItemFailures"):
        raise ReplayFailed(f"{consumer} failed again on the replayed record")
