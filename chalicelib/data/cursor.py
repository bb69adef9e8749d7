"""Opaque pagination cursors: encrypted and authenticated, bound to one tenant and one listing."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from chalicelib.domain.errors import invalid
from chalicelib.settings import get_settings


@lru_cache(maxsize=1)
def _fernet() -> Fernet:
    secret = get_settings().cursor_secret
    if not secret:
        raise RuntimeError("PULSEDESK_CURSOR_SECRET is not configured")
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()))


def encode_cursor(tenant_id: str, listing: str, position: Any) -> str:
    payload = json.dumps({"t": tenant_id, "l": listing, "p": position}, separators=(",", ":"))
    return _fernet().encrypt(payload.encode()).decode()


def decode_cursor(tenant_id: str, listing: str, cursor: str | None) -> Any:
    """The position stored in ``cursor``, or None when there is none."""
    if not cursor:
        return None
    try:
        payload = json.loads(_fernet().decrypt(cursor.encode(), ttl=7 * 24 * 3600))
    except (InvalidToken, ValueError) as error:
        raise invalid("cursor", "is not a cursor this listing returned") from error
    if payload.get("t") != tenant_id or payload.get("l") != listing:
        raise invalid("cursor", "is not a cursor this listing returned")
    return payload["p"]
