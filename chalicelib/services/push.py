"""Posting events to WebSocket connections through API Gateway's management API.

Connections are served in parallel (bounded), each in order, so one slow or dead socket never
delays the others. A connection API Gateway reports gone is forgotten on the spot.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from http.client import HTTPException
from operator import methodcaller
from typing import Any

from chalicelib.data import connections
from chalicelib.data.models import ConnectionItem
from chalicelib.observability import logger
from chalicelib.services.ws_management import ManagementApi
from chalicelib.settings import get_settings

MAX_PARALLEL_POSTS = 32
MAX_MESSAGE_BYTES = 96 * 1024  # API Gateway allows 128 KB per WebSocket message
GONE = 410  # the management API's GoneException: the socket is closed


@dataclass
class PushReport:
    delivered: int = 0
    gone: int = 0
    failed: int = 0


def _management_api() -> ManagementApi | None:
    endpoint = get_settings().ws_management_endpoint
    return _management_api_for(endpoint) if endpoint else None


@lru_cache(maxsize=4)  # one per endpoint the settings name (local stacks in one process name several)
def _management_api_for(endpoint: str) -> ManagementApi:
    import boto3  # loaded with the first push: most requests never make one

    session = boto3.session.Session()
    # the client is made once, for what a request of its own is signed with: its region and signing name
    client = session.client("apigatewaymanagementapi", endpoint_url=endpoint)
    signing = client.meta.service_model.signing_name
    return ManagementApi(endpoint, client.meta.region_name, session.get_credentials(), signing)


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
        answer = _answer(methodcaller("delete", connection.connection_id))
        if answer in (200, 204):
            continue
        if answer != GONE:
            logger.warning("close failed", extra={"connection_id": connection.connection_id, "error": answer})
        connections.remove_connection(connection.tenant_id, connection.connection_id, connection.role)


def _post_all(connection: ConnectionItem, messages: list[tuple[bytes, int]]) -> tuple[str, int]:
    sent = 0
    for message, count in messages:
        answer = _answer(methodcaller("post", connection.connection_id, message))
        if answer == GONE:
            connections.remove_connection(connection.tenant_id, connection.connection_id, connection.role)
            return "gone", sent
        if answer != 200:
            logger.warning("push failed", extra={"connection_id": connection.connection_id, "error": answer})
            return "failed", sent
        sent += count
    return "ok", sent


def _answer(call: Callable[[ManagementApi], int]) -> int | str:
    """The management API's status, or why there is none."""
    api = _management_api()
    if api is None:
        return "no management endpoint is configured"
    try:
        return call(api)
    except (OSError, HTTPException) as error:
        return f"{type(error).__name__}: {error}"


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
