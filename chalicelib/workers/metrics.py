"""The metrics consumer of the main table's stream: every stored ticket change is folded into the
team's daily rollups (services/metrics_recording.py). A consumer of its own, so a slow or failing
rollup write never delays live events or notifications, and its retries never repeat theirs; a
record delivered twice counts once (the change's marker is written with its rollups)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from chalicelib.data.models import TicketItem
from chalicelib.services.metrics_recording import record_ticket_changes
from chalicelib.workers.stream import item_change


class _Changes:
    """The batch's ticket changes, decoded record by record (a record that cannot be read is reported
    alone) and applied together at the end."""

    def __init__(self) -> None:
        self.tickets: list[tuple[TicketItem | None, TicketItem]] = []

    def collect(self, record: DynamoDBRecord) -> None:
        change = item_change(record)
        if isinstance(change.new, TicketItem):
            old = change.old if isinstance(change.old, TicketItem) and change.event_name != "INSERT" else None
            self.tickets.append((old, change.new))


def handle_metrics_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    changes = _Changes()
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
    response = process_partial_response(
        event=event, record_handler=changes.collect, processor=processor, context=context
    )
    # A failed write fails the whole batch; it is delivered again and the markers count each change once.
    record_ticket_changes(changes.tickets)
    return dict(response)
