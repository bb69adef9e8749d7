"""Nobody acts above their own permissions, and ending someone's access takes effect at once.

Reproductions from the security review (issue 11, items 1 and 2): an API key scoped users.manage
took over an admin by setting the admin's password; tokens of deleted, deactivated or demoted users,
and of signed-out sessions, kept working for up to 15 minutes.
"""

from __future__ import annotations

import pytest

from tests.api.client import PASSWORD, ApiClient, Workspace, login, new_api_key
from tests.api.notifications_support import overridden_settings

TICKET = {"subject": "Printer on fire", "description": "Smoke", "requester": {"email": "r@example.com"}}
NEW_PASSWORD = "an entirely new passphrase 7"


# --- item 1: nobody changes someone who may do more than they may ------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"password": "attacker chosen passphrase"},
        {"email": "attacker@evil.example"},
        {"role": "viewer"},
        {"active": False},
    ],
)
def test_a_users_manage_key_cannot_change_an_admin(api: ApiClient, workspace: Workspace, change: dict) -> None:
    # GIVEN a key that may manage users, but holds none of the admin's other permissions
    key = new_api_key(api, workspace, ["users.read", "users.manage"])
    admin = workspace.members["admin"]
    before = api.get(f"/users/{admin.id}", admin.token).body

    # WHEN it tries to change the admin's credentials, email, role or state
    reply = api.patch(f"/users/{admin.id}", change, key)

    # THEN it is refused, nothing changed, and the admin still signs in with the old password
    assert reply.status == 403, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert api.get(f"/users/{admin.id}", admin.token).body == before
    assert login(api, workspace, admin.email).status == 200


def test_a_users_manage_key_cannot_delete_or_reset_a_user_with_other_permissions(
    api: ApiClient, workspace: Workspace
) -> None:
    key = new_api_key(api, workspace, ["users.read", "users.manage"])
    agent = workspace.members["agent"]  # may write tickets, which the key may not
    assert api.patch(f"/users/{agent.id}", {"password": "attacker chosen passphrase"}, key).status == 403
    assert api.delete(f"/users/{agent.id}", key).status == 403
    assert login(api, workspace, agent.email).status == 200


def test_a_key_with_every_permission_of_the_user_may_manage_them(api: ApiClient, workspace: Workspace) -> None:
    key = new_api_key(api, workspace, ["users.read", "users.manage", "tickets.read", "tickets.write"])
    agent = workspace.members["agent"]
    assert api.patch(f"/users/{agent.id}", {"name": "Renamed By Key"}, key).status == 200
    assert api.delete(f"/users/{agent.id}", key).status == 204


def test_an_admin_still_manages_another_admin(api: ApiClient, workspace: Workspace) -> None:
    second = api.post(
        "/users",
        {
            "name": "Second Admin",
            "email": f"second@{workspace.slug}.example.com",
            "role": "admin",
            "password": PASSWORD,
        },
        workspace.token("admin"),
    )
    assert second.status == 201
    assert api.patch(f"/users/{second.body['id']}", {"active": False}, workspace.token("admin")).status == 200


# --- item 2: ending access takes effect at the next request ------------------------------------


def test_a_deleted_users_token_stops_working_at_once(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    assert api.post("/tickets", TICKET, agent.token).status == 201
    assert api.delete(f"/users/{agent.id}", workspace.token("admin")).status == 204
    reply = api.post("/tickets", TICKET, agent.token)
    assert reply.status == 401, reply.body
    assert api.post("/auth/refresh", {"refresh_token": agent.refresh_token}).status == 401


def test_a_deactivated_users_token_stops_working_at_once(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    assert api.patch(f"/users/{agent.id}", {"active": False}, workspace.token("admin")).status == 200
    assert api.get("/tickets", agent.token).status == 401
    assert api.post("/auth/refresh", {"refresh_token": agent.refresh_token}).status == 401


def test_a_demoted_lead_loses_the_leads_permissions_at_once(api: ApiClient, workspace: Workspace) -> None:
    lead = workspace.members["lead"]
    # opening a ticket is a lead's and not a viewer's (an empty body: 422 when allowed, 403 when not)
    assert api.post("/tickets", {}, lead.token).status == 422
    assert api.patch(f"/users/{lead.id}", {"role": "viewer"}, workspace.token("admin")).status == 200

    # the old token is dead; the session refreshes into a token of the new role
    assert api.post("/tickets", {}, lead.token).status == 401
    renewed = api.post("/auth/refresh", {"refresh_token": lead.refresh_token})
    assert renewed.status == 200
    assert api.post("/tickets", {}, renewed.body["access_token"]).status == 403
    assert api.get("/tickets", renewed.body["access_token"]).status == 200


def test_a_password_changed_by_an_admin_ends_the_users_tokens(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    assert api.patch(f"/users/{agent.id}", {"password": NEW_PASSWORD}, workspace.token("admin")).status == 200
    assert api.get("/tickets", agent.token).status == 401
    assert api.post("/auth/refresh", {"refresh_token": agent.refresh_token}).status == 401


def test_changing_ones_own_password_keeps_this_session_and_ends_the_others(
    api: ApiClient, workspace: Workspace
) -> None:
    agent = workspace.members["agent"]
    other_device = login(api, workspace, agent.email).body
    changed = api.post("/me/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, agent.token)
    assert changed.status == 204, changed.body

    # every access token is dead (the other device's at once) ...
    assert api.get("/tickets", other_device["access_token"]).status == 401
    assert api.post("/auth/refresh", {"refresh_token": other_device["refresh_token"]}).status == 401
    # ... and the device that changed it refreshes silently into a new one
    renewed = api.post("/auth/refresh", {"refresh_token": agent.refresh_token})
    assert renewed.status == 200
    assert api.get("/tickets", renewed.body["access_token"]).status == 200


def test_signing_out_ends_that_sessions_access_token_at_once(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    other_device = login(api, workspace, agent.email).body
    assert api.post("/auth/logout", {"refresh_token": agent.refresh_token}, agent.token).status == 204

    assert api.get("/tickets", agent.token).status == 401
    assert api.post("/auth/refresh", {"refresh_token": agent.refresh_token}).status == 401
    # the other device keeps its session: one silent refresh and it goes on
    renewed = api.post("/auth/refresh", {"refresh_token": other_device["refresh_token"]})
    assert renewed.status == 200
    assert api.get("/tickets", renewed.body["access_token"]).status == 200


def test_a_change_made_elsewhere_is_seen_within_the_check_interval(api: ApiClient, workspace: Workspace) -> None:
    """Another container deactivated the user: this one notices once its remembered access is older
    than PULSEDESK_ACCESS_CHECK_SECONDS (0 here, so at the very next request)."""
    from chalicelib.data import identity

    agent = workspace.members["agent"]
    with overridden_settings(PULSEDESK_ACCESS_CHECK_SECONDS="0"):
        assert api.get("/tickets", agent.token).status == 200
        user = identity.get_user(workspace.tenant_id, agent.id)
        assert user is not None
        user.active = False
        user.save()  # straight to the table: no cache in this process was told
        assert api.get("/tickets", agent.token).status == 401


# --- API keys act within their owner's permissions ---------------------------------------------


def test_a_key_loses_what_its_owner_loses(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a second admin who creates a key that may manage users
    second = api.post(
        "/users",
        {"name": "Key Owner", "email": f"owner@{workspace.slug}.example.com", "role": "admin", "password": PASSWORD},
        workspace.token("admin"),
    ).body
    owner_token = login(api, workspace, f"owner@{workspace.slug}.example.com").body["access_token"]
    key = api.post("/api-keys", {"name": "HR sync", "scopes": ["users.read", "users.manage"]}, owner_token).body[
        "secret"
    ]
    assert api.get("/users", key).status == 200
    assert (
        api.patch(f"/users/{workspace.members['viewer'].id}", {"name": "Vera"}, key).status == 403
    )  # viewer reads tickets

    # WHEN the owner is demoted to agent, the key may no longer manage users (agents may not)
    assert api.patch(f"/users/{second['id']}", {"role": "agent"}, workspace.token("admin")).status == 200
    assert api.get("/users", key).status == 200
    assert (
        api.post("/users", {"name": "X", "email": "x@example.com", "role": "viewer", "password": PASSWORD}, key).status
        == 403
    )

    # and once the owner is deleted, the key stops working altogether
    assert api.delete(f"/users/{second['id']}", workspace.token("admin")).status == 204
    assert api.get("/users", key).status == 401
