"""Posting events to WebSocket connections through API Gateway's management API.

Connections are served in parallel (bounded), each in order, so one slow or dead socket never
delays the others. A connection API Gateway reports gone is forgotten on the spot.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.data import connections
from chalicelib.data.models import ConnectionItem
from chalicelib.observability import logger
from chalicelib.settings import get_settings

MAX_PARALLEL_POSTS = 32
MAX_MESSAGE_BYTES = 96 * 1024  # API Gateway allows 128 KB per WebSocket message


@dataclass
class PushReport:
    delivered: int = 0
    gone: int = 0
    failed: int = 0


def _client() -> Any:
    return _client_for(get_settings().ws_management_endpoint or None)


@lru_cache(maxsize=4)  # one per endpoint the settings name (local stacks in one process name several)
def _client_for(endpoint: str | None) -> Any:
    config = Config(
        connect_timeout=1,
        read_timeout=2,
        retries={"max_attempts": 2, "mode": "standard"},
        max_pool_connections=MAX_PARALLEL_POSTS,
    )
    import boto3  # loaded with the first client: most requests never make one

    return boto3.client("apigatewaymanagementapi", endpoint_url=endpoint, config=config)


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=MAX_PARALLEL_POSTS, thread_name_prefix="push")


def push(deliveries: list[tuple[ConnectionItem, list[dict[str, Any]]]]) -> PushReport:
    """Posts each connection its events. Connections given the same list object share one encoding of it
    (a fan-out hands every reader who may see the same events the same list)."""
    report = PushReport()
    encoded: dict[int, list[tuple[bytes, int]]] = {}
    for _, events in deliveries:
        if id(events) not in encoded:
            encoded[id(events)] = list(_messages(events))
    posts = [(connection, encoded[id(events)]) for connection, events in deliveries]
    for outcome, count in _pool().map(lambda post: _post_all(*post), posts):
        if outcome == "gone":
            report.gone += 1
        elif outcome == "failed":
            report.failed += 1
        report.delivered += count
    return report


def close_connections(closing: list[ConnectionItem]) -> None:
    """Closes sockets through the management API (API Gateway then runs the disconnect handler).
    A socket that cannot be closed is forgotten here, so no event is pushed to it again."""
    for connection in closing:
        try:
            _client().delete_connection(ConnectionId=connection.connection_id)
        except (ClientError, BotoCoreError) as error:
            gone = isinstance(error, ClientError) and error.response.get("Error", {}).get("Code") == "GoneException"
            if not gone:
                logger.warning("close failed", extra={"connection_id": connection.connection_id, "error": str(error)})
            connections.remove_connection(connection.tenant_id, connection.connection_id, connection.role)


def _post_all(connection: ConnectionItem, messages: list[tuple[bytes, int]]) -> tuple[str, int]:
    sent = 0
    for message, count in messages:
        try:
            _client().post_to_connection(ConnectionId=connection.connection_id, Data=message)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "GoneException":
                connections.remove_connection(connection.tenant_id, connection.connection_id, connection.role)
                return "gone", sent
            logger.warning("push failed", extra={"connection_id": connection.connection_id, "error": str(error)})
            return "failed", sent
        except BotoCoreError as error:
            logger.warning("push failed", extra={"connection_id": connection.connection_id, "error": str(error)})
            return "failed", sent
        sent += count
    return "ok", sent


def _messages(events: list[dict[str, Any]]) -> Iterator[tuple[bytes, int]]:
    """One event goes as itself; several go as one JSON array, in order, in as few messages as
    API Gateway's message size allows: one post per connection per batch instead of one per event."""
    if len(events) == 1:
        yield _json(events[0]), 1
        return
    chunk: list[bytes] = []
    size = 2
    for event in events:
        encoded = _json(event)
        if chunk and size + len(encoded) + 1 > MAX_MESSAGE_BYTES:
            yield b"[" + b",".join(chunk) + b"]", len(chunk)
            chunk, size = [], 2
        chunk.append(encoded)
        size += len(encoded) + 1
    if chunk:
        yield b"[" + b",".join(chunk) + b"]", len(chunk)


def _json(event: dict[str, Any]) -> bytes:
    return json.dumps(event, separators=(",", ":")).encode()
