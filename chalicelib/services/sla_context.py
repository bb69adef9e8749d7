"""The workspace's SLA calendar and policies for ticket writes, read at most every few seconds per
container. A ticket written with settings a moment old is corrected by the re-plan the change
triggers on the stream (``services/sla_replanning.py``), which reads them fresh."""

from __future__ import annotations

import threading
import time

from chalicelib.data.sla_settings import get_sla_settings
from chalicelib.domain.sla_policies import SlaContext

REMEMBER_SECONDS = 5.0
MAX_REMEMBERED = 1_000

_remembered: dict[str, tuple[float, SlaContext]] = {}
_lock = threading.Lock()


def sla_context(tenant_id: str) -> SlaContext:
    now = time.monotonic()
    with _lock:
        remembered = _remembered.get(tenant_id)
    if remembered is not None and now - remembered[0] < REMEMBER_SECONDS:
        return remembered[1]
    context = fresh_sla_context(tenant_id)
    with _lock:
        if len(_remembered) >= MAX_REMEMBERED:
            _remembered.clear()
        _remembered[tenant_id] = (now, context)
    return context


def fresh_sla_context(tenant_id: str) -> SlaContext:
    return get_sla_settings(tenant_id).context()


def forget(tenant_id: str) -> None:
    """After this container changed the settings: its next ticket write reads them again."""
    with _lock:
        _remembered.pop(tenant_id, None)
