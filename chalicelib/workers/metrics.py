"""The metrics consumer of the main table's stream: every stored ticket change is folded into the
team's daily rollups (services/metrics_recording.py). A consumer of its own, so a slow or failing
rollup write never delays live events or notifications, and its retries never repeat theirs; a
record delivered twice counts once (the change's marker is written with its rollups)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from chalicelib.data.models import TicketItem
from chalicelib.services.metrics_recording import record_ticket_change
from chalicelib.workers.stream import item_change


def fold_record(record: DynamoDBRecord) -> None:
    change = item_change(record)
    if not isinstance(change.new, TicketItem):
        return
    old = change.old if isinstance(change.old, TicketItem) and change.event_name != "INSERT" else None
    record_ticket_change(old, change.new)


def handle_metrics_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
    response = process_partial_response(event=event, record_handler=fold_record, processor=processor, context=context)
    return dict(response)
