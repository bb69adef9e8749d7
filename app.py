"""Pulsedesk's composition root: the Chalice app, its routes and its event handlers."""

from __future__ import annotations

from typing import Any

from chalice.app import Chalice
from chalice.app import DynamoDBEvent

from chalicelib.api.registry import ROUTERS
from chalicelib.api.routing import register_routers
from chalicelib.settings import get_settings

app = Chalice(app_name="pulsedesk")
register_routers(app, ROUTERS)


@app.on_dynamodb_record(stream_arn=get_settings().main_stream_arn, batch_size=100, name="workflows")
def workflows(event: DynamoDBEvent) -> dict[str, Any]:
    from chalicelib.workers.workflows import handle_workflow_batch

    return handle_workflow_batch(event.to_dict(), event.context)
