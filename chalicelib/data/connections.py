"""Live WebSocket connections: listed by tenant for fan-out, found by id on disconnect."""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys
from chalicelib.data.models import ConnectionItem
from chalicelib.data.store import transaction
from chalicelib.domain.clock import utcnow

MAX_CONNECTION_AGE = timedelta(hours=2)  # API Gateway closes a WebSocket after two hours


def add_connection(
    tenant_id: str, connection_id: str, user_id: str, name: str, role: str, session_id: str | None = None
) -> None:
    now = utcnow()
    listed = ConnectionItem(
        keys.connections(tenant_id),
        connection_id,
        tenant_id=tenant_id,
        connection_id=connection_id,
        user_id=user_id,
        name=name,
        role=role,
        session_id=session_id,
        connected_at=now,
        expires=now + MAX_CONNECTION_AGE,
    )
    lookup = ConnectionItem(
        *keys.connection_lookup(connection_id),
        tenant_id=tenant_id,
        connection_id=connection_id,
        expires=now + MAX_CONNECTION_AGE,
    )
    with transaction(tenant_id, audit=None) as tx:
        tx.save(listed)
        tx.save(lookup)


def find_connection(connection_id: str) -> ConnectionItem | None:
    """The tenant's record of a connection, from the id API Gateway gives us."""
    try:
        lookup = ConnectionItem.get(*keys.connection_lookup(connection_id))
        return ConnectionItem.get(keys.connections(lookup.tenant_id), connection_id)
    except DoesNotExist:
        return None


def remove_connection(tenant_id: str, connection_id: str) -> None:
    with transaction(tenant_id, audit=None) as tx:
        tx.delete(ConnectionItem(keys.connections(tenant_id), connection_id))
        tx.delete(ConnectionItem(*keys.connection_lookup(connection_id)))


def tenant_connections(tenant_id: str) -> list[ConnectionItem]:
    now = utcnow()
    return [c for c in ConnectionItem.query(keys.connections(tenant_id)) if c.expires is None or c.expires > now]


def set_presence(connection: ConnectionItem, ticket_id: str | None, typing_until: datetime | None) -> None:
    connection.update(
        actions=[
            ConnectionItem.viewing.set(ticket_id) if ticket_id else ConnectionItem.viewing.remove(),
            ConnectionItem.seen_at.set(utcnow()),
            ConnectionItem.typing_until.set(typing_until) if typing_until else ConnectionItem.typing_until.remove(),
        ]
    )
