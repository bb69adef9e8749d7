"""API Gateway WebSocket events, as the local gateway (and AWS) hands them to ws handlers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from infra.local.lambda_events import (
    WsConnection,
    ws_connect_event,
    ws_disconnect_event,
    ws_message_event,
)


def connection(
    connection_id: str = "L0SM9cOFvHcCIhw=",
    *,
    query: Mapping[str, str] | None = None,
    source_ip: str = "203.0.113.7",
    domain_name: str = "abc123.execute-api.us-east-1.amazonaws.com",
) -> WsConnection:
    return WsConnection(
        connection_id=connection_id,
        api_id="abc123",
        domain_name=domain_name,
        source_ip=source_ip,
        query={name: [value] for name, value in (query or {}).items()},
    )


def connect_event(token: str | None = None, connection_id: str = "L0SM9cOFvHcCIhw=") -> dict[str, Any]:
    """``$connect`` with the access token in the query string, as the browser sends it."""
    return ws_connect_event(connection(connection_id, query={"token": token} if token else None))


def message_event(body: str, connection_id: str = "L0SM9cOFvHcCIhw=", route_key: str = "$default") -> dict[str, Any]:
    return ws_message_event(connection(connection_id), route_key, body)


def disconnect_event(connection_id: str = "L0SM9cOFvHcCIhw=", status_code: int = 1001) -> dict[str, Any]:
    return ws_disconnect_event(connection(connection_id), status_code, "Going away")
