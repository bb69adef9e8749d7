"""Pulsedesk's composition root: the Chalice app, its routes and its event handlers."""

from __future__ import annotations

import json
from typing import Any

from chalice.app import (
    Chalice,
    CloudWatchEvent,
    ConvertToMiddleware,
    DynamoDBEvent,
    Rate,
    S3Event,
    SNSEvent,
    SQSEvent,
    WebsocketEvent,
)

from chalicelib.api.registry import ROUTERS
from chalicelib.api.routing import register_routers
from chalicelib.observability import observed
from chalicelib.settings import get_settings

app = Chalice(app_name="pulsedesk")
app.experimental_feature_flags.update(["WEBSOCKETS"])
# Every handler, REST views included: Lambda context in the logs, an X-Ray segment, metrics flushed.
app.register_middleware(ConvertToMiddleware(observed))
register_routers(app, ROUTERS)


@app.on_dynamodb_record(stream_arn=get_settings().main_stream_arn, batch_size=100, name="workflows")
def workflows(event: DynamoDBEvent) -> dict[str, Any]:
    from chalicelib.workers.workflows import handle_workflow_batch

    return handle_workflow_batch(event.to_dict(), event.context)


@app.on_dynamodb_record(stream_arn=get_settings().main_stream_arn, batch_size=100, name="realtime")
def realtime(event: DynamoDBEvent) -> dict[str, Any]:
    from chalicelib.workers.realtime import handle_realtime_batch

    return handle_realtime_batch(event.to_dict(), event.context)


@app.on_dynamodb_record(stream_arn=get_settings().main_stream_arn, batch_size=100, name="metrics")
def metrics(event: DynamoDBEvent) -> dict[str, Any]:
    from chalicelib.workers.metrics import handle_metrics_batch

    return handle_metrics_batch(event.to_dict(), event.context)


@app.on_sqs_message(queue=get_settings().notifications_queue_name, batch_size=10, name="notifications")
def notifications(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.workers.notifications import handle_notification_batch

    return handle_notification_batch(event.to_dict(), event.context)


@app.on_s3_event(
    bucket=get_settings().inbound_bucket, events=["s3:ObjectCreated:*"], prefix="raw/", name="inbound_email"
)
def inbound_email(event: S3Event) -> dict[str, Any]:
    from chalicelib.workers.inbound_email import handle_inbound_records

    return handle_inbound_records(event.to_dict())


@app.on_sqs_message(queue=get_settings().stream_failures_queue_name, batch_size=1, name="stream_failures")
def stream_failures(event: SQSEvent) -> dict[str, Any]:
    from chalicelib.workers.stream_failures import handle_stream_failure_batch

    return handle_stream_failure_batch(event.to_dict(), event.context)


@app.on_sns_message(topic=get_settings().email_events_topic_name, name="email_feedback")
def email_feedback(event: SNSEvent) -> None:
    from chalicelib.services.email_feedback import record_feedback

    record_feedback(json.loads(event.message))


@app.on_ws_connect()
def ws_connect(event: WebsocketEvent) -> dict[str, Any]:
    from chalicelib.api.origin import came_through_the_edge
    from chalicelib.services.realtime import connect

    raw = event.to_dict()
    if not came_through_the_edge(raw.get("headers") or {}):
        return {"statusCode": 403}
    query = raw.get("queryStringParameters") or {}
    return {"statusCode": connect(event.connection_id, query.get("token"))}


@app.on_ws_message()
def ws_message(event: WebsocketEvent) -> None:
    from chalicelib.services.realtime import handle_message

    handle_message(event.connection_id, event.body)


@app.on_ws_disconnect()
def ws_disconnect(event: WebsocketEvent) -> None:
    from chalicelib.services.realtime import disconnect

    disconnect(event.connection_id)


@app.schedule(Rate(5, unit=Rate.MINUTES), name="housekeeping")
def housekeeping(event: CloudWatchEvent) -> dict[str, Any]:
    from chalicelib.services.housekeeping import run_housekeeping

    return run_housekeeping()
