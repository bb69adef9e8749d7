"""WebSocket sessions: who may connect, heartbeats, and who is viewing or typing on a ticket."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from chalicelib.data import connections
from chalicelib.data.models import ConnectionItem
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import DomainError
from chalicelib.domain.live_events import presence_event
from chalicelib.observability import logger
from chalicelib.services.auth import principal_from_access_token
from chalicelib.services.housekeeping import note_disconnect
from chalicelib.services.push import push
from chalicelib.services.rate_limits import within

TYPING_FOR = timedelta(seconds=6)


def connect(connection_id: str, token: str | None) -> int:
    """The HTTP status API Gateway answers the upgrade with: 200 to accept, 401 to refuse."""
    if not token:
        return 401
    try:
        principal = principal_from_access_token(token)
    except DomainError:
        return 401
    if principal.kind == "requester":
        # a portal socket: listed apart, it hears its requester's own tickets only (workers/realtime.py)
        connections.add_requester_connection(principal.tenant_id, connection_id, principal.email or "", principal.name)
        return 200
    connections.add_connection(
        principal.tenant_id,
        connection_id,
        principal.id,
        principal.name,
        principal.role or "viewer",
        session_id=principal.session_id,
    )
    logger.info("ws connected", extra={"tenant_id": principal.tenant_id, "user_id": principal.id})
    return 200


def disconnect(connection_id: str) -> None:
    connection = connections.find_connection(connection_id)
    if connection is None:
        return
    connections.remove_connection(connection.tenant_id, connection_id, connection.role)
    if connection.role == "requester":
        return
    if connection.user_id:
        note_disconnect(connection.tenant_id, connection.user_id)
    if connection.viewing:
        _broadcast_presence(connection.tenant_id, connection.viewing)


def handle_message(connection_id: str, body: str) -> None:
    connection = connections.find_connection(connection_id)
    if connection is None:
        return
    if not within("ws.connection", connection_id):
        logger.info("ws frame rate limited", extra={"tenant_id": connection.tenant_id})
        push([(connection, [{"type": "error", "detail": "Too many messages on this connection; slow down."}])])
        return
    message = _parse(body)
    action = message.get("action")
    if action == "ping":
        push([(connection, [{"type": "pong", "at": utcnow().isoformat()}])])
    elif connection.role == "requester":  # no presence in the portal: nobody learns who reads what
        push([(connection, [{"type": "error", "detail": "Unknown action; use ping."}])])
    elif action in ("viewing", "typing", "leave"):
        _update_presence(connection, action, message.get("ticket_id"))
    else:
        push([(connection, [{"type": "error", "detail": "Unknown action; use ping, viewing, typing or leave."}])])


def _update_presence(connection: ConnectionItem, action: str, ticket_id: Any) -> None:
    previous = connection.viewing
    if action != "leave" and not (isinstance(ticket_id, str) and 0 < len(ticket_id) <= 64):
        push([(connection, [{"type": "error", "detail": "ticket_id is required."}])])
        return
    viewing = None if action == "leave" else ticket_id
    typing_until = utcnow() + TYPING_FOR if action == "typing" else None
    connections.set_presence(connection, viewing, typing_until)
    for ticket in {previous, viewing} - {None}:
        _broadcast_presence(connection.tenant_id, str(ticket))


def _broadcast_presence(tenant_id: str, ticket_id: str) -> None:
    on_ticket = [c for c in connections.tenant_connections(tenant_id) if c.viewing == ticket_id]
    viewers = [
        {"user_id": c.user_id, "name": c.name or "", "seen_at": c.seen_at, "typing_until": c.typing_until}
        for c in on_ticket
    ]
    event = presence_event(ticket_id, viewers, utcnow())
    push([(c, [event]) for c in on_ticket])


def _parse(body: str) -> dict[str, Any]:
    try:
        message = json.loads(body)
    except (ValueError, RecursionError):  # a frame of thousands of "[" nests past the parser's stack
        return {}
    return message if isinstance(message, dict) else {}
