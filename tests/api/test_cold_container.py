"""A new Lambda container's first requests: what they build before they can answer. Each botocore client
made from a new session loads the endpoint and service data again (~50 ms of CPU per client)."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from chalicelib.data.store import reset_connections
from tests.api.client import ApiClient, Workspace


def test_a_new_containers_first_requests_make_one_client_per_table(
    api: ApiClient, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = workspace.token("agent")
    reset_connections()  # as a container starts: no client yet
    services: list[str] = []
    create_client = botocore.session.Session.create_client

    def counted(self: botocore.session.Session, service_name: str, *args: Any, **kwargs: Any) -> Any:
        services.append(service_name)
        return create_client(self, service_name, *args, **kwargs)

    monkeypatch.setattr(botocore.session.Session, "create_client", counted)
    new = {"subject": "Cold", "description": "x", "requester": {"email": "a@example.com"}}
    ticket = api.post("/tickets", new, token)
    assert ticket.status == 201, ticket.body
    assert api.get(f"/tickets/{ticket.body['id']}", token).status == 200
    assert api.get("/tickets?status=new", token).status == 200
    assert api.post(f"/tickets/{ticket.body['id']}/comments", {"body": "On it", "public": True}, token).status == 201
    # the main table (every kind of item, and the transactions) and the rate limits' table: one each
    assert services == ["dynamodb", "dynamodb"]
