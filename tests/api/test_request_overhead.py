"""What every signed-in request does before its route runs, kept to what it must do (issue 19, item 3):
at most one update of the workspace's rate-limit bucket (a busy container's requests share one), and the
caller's access read at most every few seconds per container — a cache that never delays a revocation made
in this container, even while it is warm."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from botocore.client import BaseClient

from chalicelib.data.models import MainItem, RateCounterItem
from tests.api.client import ApiClient, Workspace

_original = BaseClient._make_api_call


@contextmanager
def calls_on(table: str) -> Iterator[list[str]]:
    made: list[str] = []

    def recording(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if params.get("TableName") == table:
            made.append(operation)
        return _original(self, operation, params)

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield made


def test_a_quiet_workspaces_request_takes_its_rate_limit_in_one_update(
    api: ApiClient, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a workspace whose bucket is full again between requests (one every two seconds: no lease lasts)
    clock = iter(range(int(time.time()), 10**10, 2))
    monkeypatch.setattr("chalicelib.services.rate_limits._now", lambda: float(next(clock)))
    agent = workspace.token("agent")
    assert api.get("/me", agent).status == 200

    # WHEN it makes further requests
    with calls_on(RateCounterItem.Meta.table_name) as made:
        for _ in range(3):
            assert api.get("/me", agent).status == 200

    # THEN each takes from its bucket with one conditional update, not a failed one and a second
    assert made == ["UpdateItem"] * 3


def test_a_busy_bucket_still_takes_one_update_per_request(api: ApiClient, workspace: Workspace) -> None:
    from chalicelib.data import rate_limits
    from chalicelib.services import rate_limits as quotas

    agent = workspace.token("agent")
    assert api.get("/me", agent).status == 200
    # GIVEN this container last saw the bucket in debt (arrival in the future): a busy workspace, whose lease
    # here is used up
    for key in [k for k in rate_limits._last_arrival if workspace.tenant_id in k]:
        rate_limits._last_arrival[key] = float("inf")
        quotas._leases.pop(key, None)
    with calls_on(RateCounterItem.Meta.table_name) as made:
        assert api.get("/me", agent).status == 200
    # THEN the guess costs at most the second update, and the answer is the same
    assert made in (["UpdateItem"], ["UpdateItem", "UpdateItem"])


def test_a_user_revoked_here_is_refused_at_the_next_request_though_their_access_is_remembered(
    api: ApiClient, workspace: Workspace
) -> None:
    # GIVEN an agent whose access this container remembers (the tests remember it 30 s)
    agent = workspace.members["agent"]
    assert api.get("/tickets", agent.token).status == 200
    with calls_on(MainItem.Meta.table_name) as made:
        assert api.get("/tickets", agent.token).status == 200
    assert "GetItem" not in made, made  # the list Queries; the access check was not made again

    # WHEN an admin deactivates them, and another time demotes a lead, in this container
    assert api.patch(f"/users/{agent.id}", {"active": False}, workspace.token("admin")).status == 200
    lead = workspace.members["lead"]
    assert api.get("/agents/load", lead.token).status == 200
    assert api.patch(f"/users/{lead.id}", {"role": "viewer"}, workspace.token("admin")).status == 200

    # THEN the very next request of each is refused: the change forgot what was remembered
    assert api.get("/tickets", agent.token).status == 401
    assert api.get("/agents/load", lead.token).status in (401, 403)
