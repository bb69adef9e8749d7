"""A new password ends every other session: a stolen refresh token dies with the old password."""

from __future__ import annotations

from tests.api.client import PASSWORD, ApiClient, Workspace


def test_changing_the_password_ends_existing_sessions(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    other_device = api.post("/auth/login", {"workspace": workspace.slug, "email": agent.email, "password": PASSWORD})
    assert other_device.status == 200
    changed = api.post(
        "/me/password", {"current_password": PASSWORD, "new_password": "a brand new passphrase"}, agent.token
    )
    assert changed.status == 204, changed.body
    assert api.post("/auth/refresh", {"refresh_token": other_device.body["refresh_token"]}).status == 401
    # the session that changed the password is the one kept (tests/api/test_revocation.py)
    assert api.post("/auth/refresh", {"refresh_token": agent.refresh_token}).status == 200
    fresh = api.post(
        "/auth/login", {"workspace": workspace.slug, "email": agent.email, "password": "a brand new passphrase"}
    )
    assert api.post("/auth/refresh", {"refresh_token": fresh.body["refresh_token"]}).status == 200


def test_a_patch_that_changes_nothing_writes_nothing(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    before = api.get(f"/users/{agent.id}", agent.token).body
    events = len(api.get("/audit?limit=100", workspace.token("admin")).body["items"])
    same = api.patch(f"/users/{agent.id}", {"name": before["name"]}, agent.token)
    assert same.status == 200 and same.body["version"] == before["version"]
    assert len(api.get("/audit?limit=100", workspace.token("admin")).body["items"]) == events
