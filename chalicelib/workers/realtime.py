"""The real-time consumer of the main table's stream: every ticket and comment change goes to
every open dashboard of its workspace, as far as each reader may see it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from chalicelib.data import connections
from chalicelib.data.models import AgentLoadItem, CommentItem, TicketItem, UserItem, WatchersItem
from chalicelib.domain.live_events import (
    agent_changed,
    agent_event,
    agent_load_event,
    comment_event,
    ticket_event,
    visible_to,
    watchers_event,
)
from chalicelib.domain.permissions import permissions_for_role, sees_internal_notes
from chalicelib.domain.ticket_change import parse_stream_change
from chalicelib.observability import logger, metrics
from chalicelib.services.portal_requests import request_public
from chalicelib.services.presenters import comment_snapshot, ticket_snapshot, user_snapshot
from chalicelib.services.push import push
from chalicelib.workers.stream import item_change


class _Outbox:
    def __init__(self) -> None:
        self.by_tenant: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.by_requester: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))

    def collect(self, record: DynamoDBRecord) -> None:
        change = item_change(record)
        new = change.new
        if isinstance(new, TicketItem):
            event = ticket_event(change.event_name, ticket_snapshot(new), parse_stream_change(new.last_change))
            self.by_tenant[new.tenant_id].append(event)
            old = change.old if isinstance(change.old, TicketItem) else None
            portal = portal_event(new, old)
            if portal is not None:
                email = str(new.requester.get("email", "")).lower()
                self.by_requester[new.tenant_id][email].append(portal)
        elif isinstance(new, CommentItem) and change.event_name == "INSERT":
            self.by_tenant[new.tenant_id].append(comment_event(comment_snapshot(new, True), None))
        elif isinstance(new, UserItem):
            before = user_snapshot(change.old) if isinstance(change.old, UserItem) else None
            if agent_changed(before, user_snapshot(new)):
                self.by_tenant[new.tenant_id].append(agent_event(user_snapshot(new)))
        elif isinstance(change.current, WatchersItem):  # following never changes the ticket itself
            watchers = change.current
            ids = list(new.user_ids or ()) if isinstance(new, WatchersItem) else []
            self.by_tenant[watchers.tenant_id].append(watchers_event(watchers.ticket_id, ids))
        elif isinstance(new, AgentLoadItem):
            self.by_tenant[new.tenant_id].append(agent_load_event(new.user_id, dict(new.open_by_priority or {})))


def handle_realtime_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    outbox = _Outbox()
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
    response = process_partial_response(
        event=event, record_handler=outbox.collect, processor=processor, context=context
    )
    for tenant_id, events in outbox.by_tenant.items():
        fan_out(tenant_id, events)
    for tenant_id, by_email in outbox.by_requester.items():
        fan_out_to_requesters(tenant_id, by_email)
    return dict(response)


def portal_event(new: TicketItem, old: TicketItem | None) -> dict[str, Any] | None:
    """What a requester's portal hears of a ticket change: a public message, or a change of what the
    portal shows of the request. An internal note, an assignment, a tag... is not heard at all."""
    change = parse_stream_change(new.last_change)
    public_message = change is not None and change.kind == "commented" and bool(change.public)
    shown = request_public(new).model_dump(exclude={"updated_at"})
    if not public_message and old is not None and request_public(old).model_dump(exclude={"updated_at"}) == shown:
        return None
    return {
        "type": "request.updated",
        "request": request_public(new).model_dump(mode="json"),
        "message_id": change.comment_id if public_message and change is not None else None,
    }


def fan_out_to_requesters(tenant_id: str, by_email: dict[str, list[dict[str, Any]]]) -> None:
    """One Query of the workspace's portal sockets per batch; each hears its own requester's tickets only."""
    deliveries = [
        (connection, by_email[connection.requester_email])
        for connection in connections.requester_connections(tenant_id)
        if connection.requester_email and connection.requester_email in by_email
    ]
    if deliveries:
        push(deliveries)


def fan_out(tenant_id: str, events: list[dict[str, Any]]) -> None:
    listeners = [c for c in connections.tenant_connections(tenant_id, for_push=True) if c.user_id]
    # two versions of the batch (with internal notes, without); every reader gets the very list of theirs, so
    # push encodes each once, not once per socket
    seen_by = {internal: [visible_to(e, internal) for e in events] for internal in (False, True)}
    deliveries = [
        (connection, seen_by[sees_internal_notes(permissions_for_role(connection.role or "viewer"))])
        for connection in listeners
    ]
    report = push(deliveries)
    metrics.add_metric(name="LiveEventsDelivered", unit="Count", value=report.delivered)
    logger.info(
        "fan-out",
        extra={
            "tenant_id": tenant_id,
            "events": len(events),
            "connections": len(listeners),
            "gone": report.gone,
            "failed": report.failed,
        },
    )
