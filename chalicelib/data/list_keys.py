"""Whether a workspace's tickets all carry the composite list keys (``by_status_priority``...), and
the backfill's progress. Every function takes the tenant first."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys
from chalicelib.data.models import RegistryEntry

# Workspaces seen ready by this container. Ready never goes back, so a remembered answer is never
# wrong; a workspace not ready yet is asked again on each list (only until its backfill is done).
_READY: set[str] = set()


def list_keys_ready(tenant_id: str, ask: bool = True) -> bool:
    """``ask=False``: only what this container already knows, without a read (a count may run on
    the single-field plan: as correct, a little dearer)."""
    if tenant_id in _READY:
        return True
    if not ask:
        return False
    try:
        entry = RegistryEntry.get(*keys.registry_entry(tenant_id))
    except DoesNotExist:
        return False
    if entry.list_keys_ready:
        _READY.add(tenant_id)
        return True
    return False


def record_list_keys_progress(entry: RegistryEntry, after: str | None, done: bool) -> None:
    actions: list[Any] = [RegistryEntry.list_keys_ready.set(done)]
    if after is not None:
        actions.append(RegistryEntry.list_keys_after.set(after))
    entry.update(actions=actions)
