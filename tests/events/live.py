"""Reading live events off a socket: a message holds one event or an ordered array of them."""

from __future__ import annotations

import json
from typing import Any


def events_in(message: str | bytes) -> list[dict[str, Any]]:
    payload = json.loads(message)
    return payload if isinstance(payload, list) else [payload]
