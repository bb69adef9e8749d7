"""A workspace's name and email standing, remembered per container.

The stream and queue consumers read them for every batch and every email (the outbound gate, the notification
planner, rules' messages): ~1.4 GetItems on the main table per created ticket. None of what they read changes
after sign-up (only ``routing`` does, and routing is read where it is planned, never from here), so a remembered
workspace cannot give a wrong answer today; the bound is there so that a rename, if one is ever offered, reaches
every container within it. A workspace that is not found is not remembered.
"""

from __future__ import annotations

import threading

from cachetools import TTLCache

from chalicelib.data import identity
from chalicelib.data.models import WorkspaceItem

WORKSPACE_SECONDS = 60.0

_workspaces: TTLCache[str, WorkspaceItem] = TTLCache(maxsize=1_000, ttl=WORKSPACE_SECONDS)
_lock = threading.Lock()


def remembered_workspace(tenant_id: str) -> WorkspaceItem | None:
    """The workspace as read at most WORKSPACE_SECONDS ago by this container (not its ``routing``)."""
    with _lock:
        workspace = _workspaces.get(tenant_id)
    if workspace is None:
        workspace = identity.get_workspace(tenant_id)
        if workspace is not None:
            with _lock:
                _workspaces[tenant_id] = workspace
    return workspace
