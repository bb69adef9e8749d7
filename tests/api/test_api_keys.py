"""Scoped API keys: shown once, stored hashed, limited to their scopes, revocable."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.client import ApiClient, Reply, Workspace, audit_events, new_api_key


def assert_problem(reply: Reply, status: int) -> None:
    assert reply.status == status, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert reply.body["status"] == status


def create(api: ApiClient, workspace: Workspace, scopes: list[str], name: str = "Zapier") -> Reply:
    return api.post("/api-keys", {"name": name, "scopes": scopes}, workspace.token("admin"))


def test_a_new_key_shows_its_secret_once(api: ApiClient, workspace: Workspace) -> None:
    # WHEN an admin creates a key
    reply = create(api, workspace, ["tickets.read", "users.read"])

    # THEN the answer holds the full secret, and the listing never does
    assert reply.status == 201, reply.body
    key = reply.body
    assert key["secret"].startswith("pdk_")
    assert key["scopes"] == ["tickets.read", "users.read"]
    assert (key["name"], key["created_by"], key["last_used_at"]) == ("Zapier", workspace.members["admin"].id, None)
    assert key["prefix"].startswith("pdk_") and key["prefix"] not in key["secret"]
    listed = api.get("/api-keys", workspace.token("admin"))
    assert listed.status == 200
    assert [k["id"] for k in listed.body["items"]] == [key["id"]]
    assert "secret" not in listed.body["items"][0]
    secret_part = key["secret"].rsplit("_", 1)[-1]
    assert secret_part not in str(listed.body)
    assert secret_part not in str(audit_events(api, workspace))


def test_keys_are_listed_newest_first(api: ApiClient, workspace: Workspace) -> None:
    first = create(api, workspace, ["tickets.read"], "first").body["id"]
    second = create(api, workspace, ["tickets.read"], "second").body["id"]

    listed = api.get("/api-keys", workspace.token("admin")).body

    assert [k["id"] for k in listed["items"]] == [second, first]
    assert listed["next_cursor"] is None


def test_a_key_works_within_its_scopes_and_is_refused_outside(api: ApiClient, workspace: Workspace) -> None:
    key = new_api_key(api, workspace, ["users.read"])

    assert api.get("/users", key).status == 200
    assert api.get(f"/users/{workspace.members['agent'].id}", key).status == 200
    refused = api.get("/audit", key)
    assert_problem(refused, 403)
    assert "audit.read" in refused.body["detail"]
    assert_problem(
        api.post(
            "/users", {"name": "X", "email": "x@example.com", "role": "viewer", "password": "long enough pw"}, key
        ),
        403,
    )


def test_a_key_records_when_it_was_last_used(api: ApiClient, workspace: Workspace) -> None:
    key = new_api_key(api, workspace, ["users.read"])

    api.get("/users", key)

    listed = api.get("/api-keys", workspace.token("admin")).body["items"]
    assert listed[0]["last_used_at"] is not None


def test_a_revoked_key_is_401_and_the_revocation_audited(api: ApiClient, workspace: Workspace) -> None:
    created = create(api, workspace, ["users.read"]).body
    assert api.get("/users", created["secret"]).status == 200

    reply = api.delete(f"/api-keys/{created['id']}", workspace.token("admin"))

    assert reply.status == 204
    assert_problem(api.get("/users", created["secret"]), 401)
    assert api.get("/api-keys", workspace.token("admin")).body["items"] == []
    event = audit_events(api, workspace)[0]
    assert (event["action"], event["target"], event["after"]) == (
        "api_key.revoked",
        {"type": "api_key", "id": created["id"]},
        None,
    )
    assert event["before"]["name"] == "Zapier"
    assert event["request_id"] == reply.request_id
    assert_problem(api.delete(f"/api-keys/{created['id']}", workspace.token("admin")), 404)


def test_creating_a_key_is_audited(api: ApiClient, workspace: Workspace) -> None:
    reply = create(api, workspace, ["tickets.read"])

    event = audit_events(api, workspace)[0]
    assert event["action"] == "api_key.created"
    assert event["actor"] == {"type": "user", "id": workspace.members["admin"].id, "name": "Ada Admin"}
    assert event["target"] == {"type": "api_key", "id": reply.body["id"]}
    assert event["after"]["scopes"] == ["tickets.read"]
    assert event["request_id"] == reply.request_id


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),  # another secret
        lambda s: s.rsplit("_", 1)[0] + "_",  # no secret
        lambda s: "pdk_" + s[4:].replace("_", "-", 1),  # broken structure
        lambda s: s.upper(),
        lambda s: "_".join(s.split("_", 3)[:2]) + "__" + s.split("_", 3)[3],  # empty key id
    ],
    ids=["wrong secret", "empty secret", "broken", "upper-cased", "empty key id"],
)
def test_an_altered_key_is_401(api: ApiClient, shared_workspace: Workspace, tamper: Any) -> None:
    key = new_api_key(api, shared_workspace, ["users.read"])

    assert_problem(api.get("/users", tamper(key)), 401)


def test_a_key_cannot_have_a_scope_its_creator_lacks(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a key that may manage keys but holds nothing else
    manager = new_api_key(api, workspace, ["api_keys.manage"])

    # WHEN it creates a key with a scope it lacks
    reply = api.post("/api-keys", {"name": "escalate", "scopes": ["users.manage"]}, manager)

    # THEN refused, and no such key exists
    assert_problem(reply, 403)
    assert {k["name"] for k in api.get("/api-keys", workspace.token("admin")).body["items"]} == {"Integration"}
    # a scope it holds is fine
    assert api.post("/api-keys", {"name": "same", "scopes": ["api_keys.manage"]}, manager).status == 201


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "x", "scopes": ["tickets.*"]}, "scopes"),
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "x", "scopes": "tickets.read"}, "scopes"),
        ({"name": "", "scopes": ["tickets.read"]}, "name"),
        ({"scopes": ["tickets.read"]}, "name"),
        ({"name": "x", "scopes": ["tickets.read"], "secret": "mine"}, "secret"),
    ],
)
def test_invalid_keys_are_422_naming_the_field(
    api: ApiClient, shared_workspace: Workspace, body: dict[str, Any], field: str
) -> None:
    reply = api.post("/api-keys", body, shared_workspace.token("admin"))

    assert_problem(reply, 422)
    assert field in {e["field"].split(".")[0] for e in reply.body["errors"]}
