"""The workflows consumer of the main table's stream: search indexing, automatic assignment,
notifications, SLA re-planning, event rules and the business metrics of ticket changes. Powertools
batch processing reports partial failures, so one bad record is retried alone instead of the whole batch."""

from __future__ import annotations

from functools import partial
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from chalicelib.data.concurrency import side_by_side
from chalicelib.data.search import SearchWrites
from chalicelib.domain.delivery import Job
from chalicelib.observability import logger
from chalicelib.services.notification_planning import Planner
from chalicelib.services.tags import TagChanges
from chalicelib.workers.business_metrics import count_ticket_milestones
from chalicelib.workers.contacts import ContactChanges, keep_contacts
from chalicelib.workers.notifications import notify_change, read_watchers_ahead, send_planned
from chalicelib.workers.routing import BatchRouting, route_change
from chalicelib.workers.rules import EventRules, run_event_rules
from chalicelib.workers.search_indexing import index_for_search
from chalicelib.workers.sla import check_moved_deadline, replan_on_settings_change
from chalicelib.workers.stream import ItemChange, item_change
from chalicelib.workers.tag_counts import count_ticket_tags


class NotRouted(Exception):
    """The record's routing failed in the first pass: the rest of its work waits for its retry."""


class BatchWrites:
    """What the batch's records add to derived items, written together once every record is handled:
    search postings (BatchWriteItem, each word's vocabulary entry once), tag counts and contacts (a
    transaction for the batch, not one per ticket), and the planned deliveries (SendMessageBatch). All
    of it is idempotent, so a batch whose writes fail is delivered again whole and changes nothing twice."""

    def __init__(self) -> None:
        self.search = SearchWrites()
        self.tags = TagChanges()
        self.contacts = ContactChanges()
        self.deliveries: list[Job] = []

    def write(self) -> None:
        """The kinds are independent: tag counts, contacts and deliveries are written side by side, then the
        search postings (several calls at a time themselves, from the same threads: never from inside one)."""
        side_by_side([self.tags.write, self.contacts.write, partial(send_planned, self.deliveries)])
        self.search.flush()


def _record_id(record: DynamoDBRecord) -> str:
    """How a partial batch failure names a stream record: its sequence number."""
    sequence = record.dynamodb.sequence_number if record.dynamodb is not None else None
    return str(sequence or record.event_id)


def handle_workflow_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    planner = Planner()  # workspace settings and recipients are read once per batch
    rules = EventRules()  # and the workspaces' event rules
    routing = BatchRouting()  # and their routing settings; each waiting queue is served once
    changes: dict[str, ItemChange] = {}  # each record decoded once, by sequence number

    def change_of(record: DynamoDBRecord) -> ItemChange:
        sequence = record.dynamodb.sequence_number if record.dynamodb is not None else None
        if sequence is None:
            return item_change(record)
        if sequence not in changes:
            changes[sequence] = item_change(record)
        return changes[sequence]

    def route_record(record: DynamoDBRecord) -> None:
        change = change_of(record)
        if change.current is not None:
            route_change(change, routing, _record_id(record))

    # Automatic assignment first, for the whole batch: a ticket waiting for an owner is placed before
    # the batch's slower work (search postings, notifications, rules) of it and of every record before
    # it. A record counts as done only when both passes did it (its milestones stay counted once).
    routed = process_partial_response(
        event=event,
        record_handler=route_record,
        processor=BatchProcessor(event_type=EventType.DynamoDBStreams),
        context=context,
    )
    not_routed = {str(failure["itemIdentifier"]) for failure in routed["batchItemFailures"]} | routing.serve()
    writes = BatchWrites()
    handled: list[ItemChange] = []
    read_watchers_ahead(changes.values(), planner)

    def handle_record(record: DynamoDBRecord) -> None:
        if record.dynamodb is not None and record.dynamodb.sequence_number in not_routed:
            raise NotRouted(record.dynamodb.sequence_number)
        change = change_of(record)
        if change.current is None:
            return
        logger.debug("stream record", extra={"event_id": change.event_id, "kind": change.current.kind})
        index_for_search(change, writes.search)
        notify_change(change, planner, writes.deliveries)
        replan_on_settings_change(change)
        check_moved_deadline(change)
        run_event_rules(change, rules)
        count_ticket_tags(change, writes.tags)
        keep_contacts(change, writes.contacts)
        handled.append(change)

    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
    response = process_partial_response(event=event, record_handler=handle_record, processor=processor, context=context)
    writes.write()  # raises: the whole batch is delivered again
    for change in handled:
        count_ticket_milestones(change)  # last: a record that failed above is counted on its retry
    return dict(response)
