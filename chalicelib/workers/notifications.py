"""The notification pipeline's two consumers.

Stream side (``notify_change``, called by the workflows consumer): a ticket or comment change
becomes domain events whose ids derive from the stream record, planned into one queue message per
(event, channel target). A redelivered record plans the same messages again.

Queue side (``handle_notification_batch``, an SQS event source): each message is sent at most once
(Powertools idempotency on event id + target), failures go back on the queue with a growing,
jittered delay, and a spent retry schedule becomes a dead letter an admin can replay.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from chalicelib.data import integrations
from chalicelib.data import tickets as ticket_repo
from chalicelib.data.models import CommentItem, IdempotencyRecord, TicketItem
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.delivery import DeliveryFailed, Job, retry_delay
from chalicelib.domain.events import DomainEvent, comment_created, ticket_events
from chalicelib.domain.principal import SYSTEM_ACTOR
from chalicelib.domain.ticket_change import parse_stream_change
from chalicelib.domain.tickets import waiting_for_owner
from chalicelib.observability import BusinessEvent, count, logger, metrics
from chalicelib.services import email, slack, webhooks
from chalicelib.services.dead_letters import dead_letter
from chalicelib.services.delivery_queue import enqueue
from chalicelib.services.notification_planning import Planner, slack_job
from chalicelib.services.presenters import comment_snapshot, ticket_snapshot
from chalicelib.services.sla_checks import check_sla
from chalicelib.settings import get_settings
from chalicelib.workers.stream import ItemChange

# Longer than stream retention (24 h) plus the whole retry schedule: a late duplicate still finds
# the record of the first send.
IDEMPOTENCY_SECONDS = 4 * 24 * 3600


# --- stream side ---------------------------------------------------------------------------------


def notify_change(change: ItemChange, planner: Planner | None = None, outbox: list[Job] | None = None) -> int:
    """Queues the deliveries a change calls for (or adds them to a stream batch's ``outbox``, sent
    together by ``send_planned``); returns how many."""
    events = domain_events(change)
    if not events:
        return 0
    jobs = (planner or Planner()).jobs(events)
    if outbox is None:
        return enqueue(jobs)
    outbox += jobs
    return len(jobs)


def send_planned(outbox: list[Job]) -> int:
    """A batch's planned deliveries in SendMessageBatch calls of ten, not a call per record. A failure
    raises: the batch is planned again, with the same event ids, and the senders send each once."""
    jobs = list(outbox)
    outbox.clear()
    return enqueue(jobs) if jobs else 0


def read_watchers_ahead(changes: Iterable[ItemChange], planner: Planner) -> None:
    """Watchers hear of status changes and new comments: the watchers of every ticket the batch has
    such a change of are read in one BatchGetItem, not a GetItem per record."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for tenant_id, ticket_id in filter(None, map(_told_to_watchers, changes)):
        wanted[tenant_id].add(ticket_id)
    for tenant_id, ticket_ids in wanted.items():
        planner.read_watchers(tenant_id, ticket_ids)


def _told_to_watchers(change: ItemChange) -> tuple[str, str] | None:
    new, old = change.new, change.old
    if isinstance(new, CommentItem) and change.event_name == "INSERT":
        return new.tenant_id, new.ticket_id
    if isinstance(new, TicketItem) and isinstance(old, TicketItem) and new.status != old.status:
        return new.tenant_id, new.ticket_id
    return None


def domain_events(change: ItemChange) -> list[DomainEvent]:
    new, old = change.new, change.old
    if isinstance(new, TicketItem):
        before = _snapshot(old) if isinstance(old, TicketItem) and change.event_name != "INSERT" else None
        last = parse_stream_change(new.last_change)
        return ticket_events(
            change.event_id,
            before,
            _snapshot(new),
            last.actor.to_dict() if last else SYSTEM_ACTOR,
            last.at.isoformat() if last else to_text(new.updated_at),
            by_reply=last is not None and last.kind == "commented",
        )
    if isinstance(new, CommentItem) and change.event_name == "INSERT":
        ticket = ticket_repo.get_ticket(new.tenant_id, new.ticket_id)
        if ticket is None:
            return []
        return [comment_created(change.event_id, new.tenant_id, comment_snapshot(new, True), ticket_snapshot(ticket))]
    return []


def _snapshot(ticket: TicketItem) -> dict[str, Any]:
    return {**ticket_snapshot(ticket), "tenant_id": ticket.tenant_id}


# --- queue side ----------------------------------------------------------------------------------

_processor = BatchProcessor(event_type=EventType.SQS)
_SENDERS: dict[str, Callable[[Job], dict[str, Any]]] = {
    "email": email.send_job,
    "slack": slack.send_job,
    "webhook": webhooks.send_job,
}


def handle_notification_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    _, config = _once()
    if context is not None:
        config.register_lambda_context(context)  # an interrupted send may be retried after the timeout
    response = process_partial_response(
        event=event, record_handler=_handle_message, processor=_processor, context=context
    )
    return dict(response)


def _handle_message(record: SQSRecord) -> None:
    job = Job.from_dict(json.loads(record.body))
    now = time.time()
    if job.not_before > now + 0.5:  # a wait longer than one queue hop: send it on
        enqueue([job], now)
        return
    if job.channel == "check_unassigned":
        _check_unassigned(job)
        return
    if job.channel == "check_sla":
        check_sla(job, utcnow())
        return
    try:
        deliver_once(job)
    except DeliveryFailed as failure:
        _after_failure(job, failure, now)


def deliver_once(job: Job) -> dict[str, Any]:
    """Sends the job unless a job with the same key was sent already (then answers what it answered)."""
    send, _ = _once()
    result: dict[str, Any] = send(job=job.to_dict())
    return result


def _send(job: dict[str, Any]) -> dict[str, Any]:
    parsed = Job.from_dict(job)
    result = _SENDERS[parsed.channel](parsed)
    metrics.add_metric(name="NotificationsDelivered", unit="Count", value=1)
    logger.info(
        "notification delivered",
        extra={
            "tenant_id": parsed.tenant_id,
            "channel": parsed.channel,
            "event_id": parsed.event.get("id"),
            "attempt": parsed.attempt,
        },
    )
    return result


@lru_cache(maxsize=4)
def _idempotent_sender(endpoint: str | None, table: str) -> tuple[Callable[..., Any], IdempotencyConfig]:
    """Built on first use (never at import) and again if the DynamoDB endpoint changes."""
    persistence = DynamoDBPersistenceLayer(table_name=table)
    config = IdempotencyConfig(
        event_key_jmespath="idempotency_key",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=IDEMPOTENCY_SECONDS,
    )
    sender = idempotent_function(data_keyword_argument="job", persistence_store=persistence, config=config)(_send)
    return sender, config


def _once() -> tuple[Callable[..., Any], IdempotencyConfig]:
    return _idempotent_sender(os.environ.get("AWS_ENDPOINT_URL_DYNAMODB"), IdempotencyRecord.Meta.table_name)


def _after_failure(job: Job, failure: DeliveryFailed, now: float) -> None:
    count(BusinessEvent.DELIVERY_FAILED)
    logger.info(
        "notification failed",
        extra={
            "tenant_id": job.tenant_id,
            "channel": job.channel,
            "event_id": job.event.get("id"),
            "attempt": job.attempt,
            "reason": failure.reason,
        },
    )
    if job.channel == "webhook" and not failure.permanent:
        webhooks.disable_if_failing_too_long(job.tenant_id, job.target, failure.reason)
    delay = None if failure.permanent else retry_delay(job.attempt, get_settings().webhook_retry_delays_seconds)
    if delay is None:
        dead_letter(job, f"{failure.reason} (after {job.attempt} attempt(s))")
        return
    if failure.retry_after is not None:
        delay = failure.retry_after  # the peer said when; waiting longer only delays the alert
    enqueue([job.next_attempt(now + delay)], now)


def _check_unassigned(job: Job) -> None:
    """The wait is over: alert Slack if the ticket still has no owner."""
    ticket = ticket_repo.get_ticket(job.tenant_id, job.target)
    if ticket is None or not waiting_for_owner(ticket.status, ticket.assignee_id):
        return
    if integrations.get_slack(job.tenant_id) is None:
        return
    event = {**job.event, "ticket": ticket_snapshot(ticket)}
    enqueue([slack_job(job.tenant_id, event, "unassigned", str(job.extra.get("workspace")))])
