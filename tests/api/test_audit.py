"""The audit log: every change lands in it, newest first, with working cursor pagination."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.api.client import PASSWORD, ApiClient, Reply, sign_up


def assert_problem(reply: Reply, status: int) -> None:
    assert reply.status == status, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert reply.body["status"] == status


@pytest.fixture
def fresh(api: ApiClient) -> dict[str, Any]:
    """A workspace just signed up: its log holds exactly workspace.created and auth.signup."""
    slug = f"ws-{uuid.uuid4().hex[:10]}"
    reply = sign_up(
        api,
        {
            "workspace_name": "Audit Co",
            "workspace_slug": slug,
            "name": "Ada Admin",
            "email": f"ada@{slug}.example.com",
            "password": PASSWORD,
        },
    )
    assert reply.status == 201
    return {"token": reply.body["access_token"], "admin_id": reply.body["user"]["id"], "slug": slug}


def all_pages(api: ApiClient, token: str, limit: int) -> tuple[list[dict[str, Any]], int]:
    events: list[dict[str, Any]] = []
    cursor: str | None = None
    pages = 0
    while True:
        reply = api.get(f"/audit?limit={limit}" + (f"&cursor={cursor}" if cursor else ""), token)
        assert reply.status == 200, reply.body
        assert len(reply.body["items"]) <= limit
        events += reply.body["items"]
        pages += 1
        cursor = reply.body["next_cursor"]
        if cursor is None or pages > 20:
            return events, pages


def test_every_mutation_writes_a_full_audit_event(api: ApiClient, fresh: dict[str, Any]) -> None:
    # GIVEN a series of changes, each remembered with its request id
    token = fresh["token"]
    made: list[tuple[str, Reply]] = []
    user = api.post("/users", {"name": "Al", "email": "al@example.com", "role": "agent", "password": PASSWORD}, token)
    made.append(("user.created", user))
    made.append(("user.updated", api.patch(f"/users/{user.body['id']}", {"capacity": 5}, token)))
    made.append(("user.role_changed", api.patch(f"/users/{user.body['id']}", {"role": "lead"}, token)))
    key = api.post("/api-keys", {"name": "CI", "scopes": ["tickets.read"]}, token)
    made.append(("api_key.created", key))
    made.append(("api_key.revoked", api.delete(f"/api-keys/{key.body['id']}", token)))
    made.append(("user.deleted", api.delete(f"/users/{user.body['id']}", token)))
    assert all(reply.status < 300 for _, reply in made), [r.body for _, r in made]
    assert all(reply.request_id for _, reply in made), "the test client must give every request an id"

    # WHEN the log is read
    events = api.get("/audit", token).body["items"]

    # THEN each change is there once, newest first, with actor, target, request id and a source
    by_request = {e["request_id"]: e for e in events}
    for action, reply in made:
        event = by_request[reply.request_id]
        assert event["action"] == action
        assert event["actor"] == {"type": "user", "id": fresh["admin_id"], "name": "Ada Admin"}
        assert event["target"]["id"]
        assert event["source_ip"]
        assert event["at"].endswith("Z")
        if action.endswith("created"):
            assert event["before"] is None and event["after"]
        elif action.endswith(("deleted", "revoked")):
            assert event["before"] and event["after"] is None
        else:
            assert event["before"] and event["after"] and event["before"] != event["after"]
    assert [e["action"] for e in events[: len(made)]] == [action for action, _ in reversed(made)]


def test_a_refused_change_writes_no_event(api: ApiClient, fresh: dict[str, Any]) -> None:
    before = api.get("/audit", fresh["token"]).body["items"]

    assert api.patch(f"/users/{fresh['admin_id']}", {"role": "viewer"}, fresh["token"]).status == 409
    assert api.post("/users", {"name": "X", "email": "bad"}, fresh["token"]).status == 422

    assert api.get("/audit", fresh["token"]).body["items"] == before


def test_the_log_is_newest_first(api: ApiClient, fresh: dict[str, Any]) -> None:
    for index in range(3):
        api.post("/api-keys", {"name": f"k{index}", "scopes": ["tickets.read"]}, fresh["token"])

    events = api.get("/audit", fresh["token"]).body["items"]

    assert [e["at"] for e in events] == sorted((e["at"] for e in events), reverse=True)
    assert [e["after"]["name"] for e in events[:3]] == ["k2", "k1", "k0"]
    assert events[-1]["action"] == "workspace.created"


def test_pages_of_two_walk_five_events_without_gaps_or_repeats(api: ApiClient, fresh: dict[str, Any]) -> None:
    # GIVEN exactly five events (two from sign-up, three keys)
    for index in range(3):
        api.post("/api-keys", {"name": f"k{index}", "scopes": ["tickets.read"]}, fresh["token"])
    everything = api.get("/audit", fresh["token"]).body
    assert len(everything["items"]) == 5 and everything["next_cursor"] is None

    # WHEN they are read two at a time
    events, pages = all_pages(api, fresh["token"], limit=2)

    # THEN the pages join into the full log, in order
    assert [e["id"] for e in events] == [e["id"] for e in everything["items"]]
    assert pages == 3


def test_a_tampered_cursor_is_422(api: ApiClient, fresh: dict[str, Any]) -> None:
    cursor = api.get("/audit?limit=1", fresh["token"]).body["next_cursor"]
    assert cursor
    tampered = cursor[:-5] + ("AAAAA" if not cursor.endswith("AAAAA") else "BBBBB")

    reply = api.get(f"/audit?limit=1&cursor={tampered}", fresh["token"])

    assert_problem(reply, 422)
    assert [e["field"] for e in reply.body["errors"]] == ["cursor"]


def test_a_cursor_of_another_listing_is_422(api: ApiClient, fresh: dict[str, Any]) -> None:
    api.post("/users", {"name": "Al", "email": "al@example.com", "role": "agent", "password": PASSWORD}, fresh["token"])
    users_cursor = api.get("/users?limit=1", fresh["token"]).body["next_cursor"]
    assert users_cursor

    assert_problem(api.get(f"/audit?cursor={users_cursor}", fresh["token"]), 422)


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=two", "sort=asc"])
def test_bad_paging_parameters_are_422(api: ApiClient, fresh: dict[str, Any], query: str) -> None:
    assert_problem(api.get(f"/audit?{query}", fresh["token"]), 422)
