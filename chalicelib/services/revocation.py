"""Revocation within seconds: every request checks its caller's current access, and a change that
ends access closes the user's WebSockets at once.

An access token stays valid only while its user exists, is active, still has the role the token
names and is still at the token's generation (``gen``). Deleting, deactivating or demoting a user,
changing their password or signing out changes one of these, so the user's older tokens stop
working at their next request. Each container remembers what it read for
``access_check_seconds`` (5 s by default): that is the bound in every other container, plus
DynamoDB's replication lag (well under a second); the container that made the change forgets at
once. API keys are bounded the same way by the user who owns them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from chalicelib.data import connections, identity
from chalicelib.observability import logger
from chalicelib.services.push import close_connections
from chalicelib.settings import get_settings

MAX_REMEMBERED = 10_000


@dataclass(frozen=True)
class UserAccess:
    role: str
    generation: int
    active: bool


_remembered: dict[tuple[str, str], tuple[float, UserAccess | None]] = {}
_lock = threading.Lock()


def current_access(tenant_id: str, user_id: str) -> UserAccess | None:
    """The user's access as stored (None once deleted), read at most every few seconds per container."""
    key = (tenant_id, user_id)
    now = time.monotonic()
    with _lock:
        remembered = _remembered.get(key)
    if remembered is not None and now - remembered[0] < get_settings().access_check_seconds:
        return remembered[1]
    user = identity.get_user(tenant_id, user_id)
    access = UserAccess(user.role, int(user.token_generation or 0), bool(user.active)) if user else None
    with _lock:
        if len(_remembered) >= MAX_REMEMBERED:
            _remembered.clear()
        _remembered[key] = (now, access)
    return access


def forget(tenant_id: str, user_id: str) -> None:
    with _lock:
        _remembered.pop((tenant_id, user_id), None)


def end_user_access(tenant_id: str, user_id: str) -> None:
    """After a committed change that ends the user's access: close every live socket of theirs."""
    _close_sockets(tenant_id, user_id, session_id=None)


def end_session_access(tenant_id: str, user_id: str, session_id: str) -> None:
    """After a sign-out: close the live sockets that session opened (other devices stay connected)."""
    _close_sockets(tenant_id, user_id, session_id=session_id)


def _close_sockets(tenant_id: str, user_id: str, session_id: str | None) -> None:
    forget(tenant_id, user_id)
    closing = [
        c
        for c in connections.tenant_connections(tenant_id)
        if c.user_id == user_id and (session_id is None or c.session_id == session_id)
    ]
    if closing:
        close_connections(closing)
        logger.info("closed live sockets", extra={"user_id": user_id, "count": len(closing)})
