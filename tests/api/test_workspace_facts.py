"""A container remembers a workspace it has found (for the consumers' hot reads), never one it has not."""

from __future__ import annotations

import pytest

from chalicelib.services import workspace_facts
from chalicelib.services.workspace_facts import remembered_workspace
from tests.api.client import Workspace
from tests.api.dynamo_calls import dynamo_calls


@pytest.fixture(autouse=True)
def nothing_remembered() -> None:
    workspace_facts._workspaces.clear()


def test_a_found_workspace_is_read_once_per_container(workspace: Workspace) -> None:
    with dynamo_calls() as calls:
        names = {remembered_workspace(workspace.tenant_id).name for _ in range(5)}  # type: ignore[union-attr]
    assert calls == [("GetItem", None)]
    assert len(names) == 1


def test_a_workspace_not_found_is_read_again_each_time(api: object) -> None:
    with dynamo_calls() as calls:
        assert remembered_workspace("no-such-workspace") is None
        assert remembered_workspace("no-such-workspace") is None
    assert calls == [("GetItem", None), ("GetItem", None)]


def test_a_remembered_workspace_is_read_again_after_its_bound(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(
        workspace_facts,
        "_workspaces",
        workspace_facts.TTLCache(maxsize=10, ttl=workspace_facts.WORKSPACE_SECONDS, timer=lambda: now[0]),
    )
    with dynamo_calls() as calls:
        remembered_workspace(workspace.tenant_id)
        now[0] += workspace_facts.WORKSPACE_SECONDS - 1
        remembered_workspace(workspace.tenant_id)
        now[0] += 2
        remembered_workspace(workspace.tenant_id)
    assert calls == [("GetItem", None), ("GetItem", None)]
