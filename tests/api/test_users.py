"""Users: list, create, read, change, delete — and who may do which."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.client import PASSWORD, ApiClient, Reply, Workspace, audit_events, login, new_api_key

NEW_PASSWORD = "a brand new passphrase"


def assert_problem(reply: Reply, status: int) -> None:
    assert reply.status == status, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert reply.body["status"] == status


def new_user(api: ApiClient, workspace: Workspace, **fields: Any) -> dict[str, Any]:
    body = {
        "name": "Sam Support",
        "email": f"sam-{len(workspace.members)}-{id(fields)}@example.com",
        "role": "agent",
        "password": PASSWORD,
        **fields,
    }
    reply = api.post("/users", body, workspace.token("admin"))
    assert reply.status == 201, reply.body
    return dict(reply.body)


# --- reading --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "lead", "agent", "viewer"])
def test_every_member_can_list_the_workspaces_users(api: ApiClient, shared_workspace: Workspace, role: str) -> None:
    reply = api.get("/users", shared_workspace.token(role))

    assert reply.status == 200
    assert {u["id"] for u in reply.body["items"]} >= {m.id for m in shared_workspace.members.values()}
    assert all("password" not in str(u) for u in reply.body["items"])


def test_the_user_list_pages_with_a_cursor(api: ApiClient, shared_workspace: Workspace) -> None:
    token = shared_workspace.token("viewer")
    everyone = {u["id"] for u in api.get("/users", token).body["items"]}

    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10):
        page = api.get("/users?limit=2" + (f"&cursor={cursor}" if cursor else ""), token)
        assert page.status == 200, page.body
        assert len(page.body["items"]) <= 2
        seen += [u["id"] for u in page.body["items"]]
        cursor = page.body["next_cursor"]
        if cursor is None:
            break

    assert cursor is None
    assert len(seen) == len(set(seen)) == len(everyone)
    assert set(seen) == everyone


def test_get_one_user(api: ApiClient, shared_workspace: Workspace) -> None:
    lead = shared_workspace.members["lead"]

    reply = api.get(f"/users/{lead.id}", shared_workspace.token("agent"))

    assert reply.status == 200
    assert (reply.body["id"], reply.body["email"], reply.body["role"]) == (lead.id, lead.email, "lead")
    assert reply.body["active"] is True
    assert set(reply.body) == {
        "id",
        "name",
        "email",
        "role",
        "active",
        "skills",
        "capacity",
        "availability",
        "created_at",
        "updated_at",
        "version",
    }


def test_an_unknown_user_is_404(api: ApiClient, shared_workspace: Workspace) -> None:
    assert_problem(api.get("/users/nobody", shared_workspace.token("admin")), 404)


# --- creating -------------------------------------------------------------------------------------


def test_an_admin_creates_a_user_who_can_then_sign_in(api: ApiClient, workspace: Workspace) -> None:
    body = {
        "name": "Bo Billing",
        "email": "Bo@Example.com",
        "role": "agent",
        "password": PASSWORD,
        "skills": ["billing", "refunds", "billing"],
        "capacity": 7,
        "availability": "online",
    }

    reply = api.post("/users", body, workspace.token("admin"))

    assert reply.status == 201, reply.body
    created = reply.body
    assert (created["email"], created["role"], created["capacity"], created["availability"]) == (
        "bo@example.com",
        "agent",
        7,
        "online",
    )
    assert created["skills"] == ["billing", "refunds"]
    assert api.get(f"/users/{created['id']}", workspace.token("viewer")).body == created
    assert login(api, workspace, "bo@example.com").status == 200


def test_a_created_user_has_defaults(api: ApiClient, workspace: Workspace) -> None:
    created = new_user(api, workspace, email="dee@example.com")

    assert (created["skills"], created["capacity"], created["availability"], created["active"]) == (
        [],
        20,
        "offline",
        True,
    )


def test_creating_a_user_is_audited_without_the_password(api: ApiClient, workspace: Workspace) -> None:
    reply = api.post(
        "/users",
        {"name": "Cy", "email": "cy@example.com", "role": "viewer", "password": PASSWORD},
        workspace.token("admin"),
    )

    event = audit_events(api, workspace)[0]
    assert event["action"] == "user.created"
    assert event["actor"]["id"] == workspace.members["admin"].id
    assert event["target"]["id"] == reply.body["id"]
    assert event["before"] is None
    assert event["after"]["email"] == "cy@example.com"
    assert event["request_id"] == reply.request_id
    assert PASSWORD not in str(event) and "argon2" not in str(event)


@pytest.mark.parametrize("email", ["taken@example.com", "TAKEN@example.com"])
def test_an_email_is_unique_in_a_workspace(api: ApiClient, workspace: Workspace, email: str) -> None:
    new_user(api, workspace, email="taken@example.com")
    before = len(audit_events(api, workspace))

    reply = api.post(
        "/users", {"name": "Twin", "email": email, "role": "agent", "password": PASSWORD}, workspace.token("admin")
    )

    assert_problem(reply, 409)
    assert reply.body["field"] == "email"
    assert len(audit_events(api, workspace)) == before


def test_the_same_email_may_be_used_in_another_workspace(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    email = workspace.members["agent"].email

    reply = api.post(
        "/users",
        {"name": "Same", "email": email, "role": "agent", "password": PASSWORD},
        other_workspace.token("admin"),
    )

    assert reply.status == 201, reply.body


@pytest.mark.parametrize(
    "body, fields",
    [
        ({"name": "X", "email": "x@example.com", "role": "owner", "password": PASSWORD}, {"role"}),
        ({"name": "X", "email": "x@example.com", "role": "agent", "password": "short"}, {"password"}),
        ({"name": "", "email": "nope", "role": "agent", "password": PASSWORD}, {"name", "email"}),
        ({"name": "X", "email": "x@example.com", "role": "agent", "password": PASSWORD, "capacity": "3"}, {"capacity"}),
        ({"name": "X", "email": "x@example.com", "role": "agent", "password": PASSWORD, "id": "mine"}, {"id"}),
    ],
)
def test_invalid_user_fields_are_422(
    api: ApiClient, shared_workspace: Workspace, body: dict[str, Any], fields: set[str]
) -> None:
    reply = api.post("/users", body, shared_workspace.token("admin"))

    assert_problem(reply, 422)
    assert {e["field"] for e in reply.body["errors"]} == fields


# --- changing -------------------------------------------------------------------------------------


def test_an_admin_changes_a_role_and_it_is_audited_before_and_after(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    version = api.get(f"/users/{agent.id}", workspace.token("admin")).body["version"]

    reply = api.patch(f"/users/{agent.id}", {"role": "lead"}, workspace.token("admin"))

    assert reply.status == 200, reply.body
    assert reply.body["role"] == "lead"
    assert reply.body["version"] == version + 1
    assert reply.body["updated_at"] >= reply.body["created_at"]
    event = audit_events(api, workspace)[0]
    assert event["action"] == "user.role_changed"
    assert (event["before"]["role"], event["after"]["role"]) == ("agent", "lead")
    assert event["target"]["id"] == agent.id
    assert event["request_id"] == reply.request_id
    # the new role applies from the next sign-in
    token = login(api, workspace, agent.email).body["access_token"]
    assert "tickets.assign" in api.get("/me", token).body["permissions"]


def test_an_admin_changes_profile_fields(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    changes = {"name": "Ann Renamed", "skills": ["billing"], "capacity": 3, "availability": "away"}

    reply = api.patch(f"/users/{agent.id}", changes, workspace.token("admin"))

    assert reply.status == 200, reply.body
    assert {k: reply.body[k] for k in changes} == changes
    assert audit_events(api, workspace)[0]["action"] == "user.updated"


@pytest.mark.parametrize("role", ["agent", "viewer", "lead"])
@pytest.mark.parametrize("changes", [{"availability": "away"}, {"name": "New Name"}], ids=lambda c: next(iter(c)))
def test_anyone_may_change_their_own_name_and_availability(
    api: ApiClient, workspace: Workspace, role: str, changes: dict[str, str]
) -> None:
    member = workspace.members[role]

    reply = api.patch(f"/users/{member.id}", changes, member.token)

    assert reply.status == 200, reply.body
    assert api.get(f"/users/{member.id}", member.token).body[next(iter(changes))] == next(iter(changes.values()))


@pytest.mark.parametrize("role", ["agent", "viewer", "lead"])
def test_anyone_changes_their_own_password_with_the_current_one(
    api: ApiClient, workspace: Workspace, role: str
) -> None:
    member = workspace.members[role]
    # a token alone does not set a password: the user route refuses it, POST /me/password asks for the old one
    assert api.patch(f"/users/{member.id}", {"password": NEW_PASSWORD}, member.token).status == 403

    reply = api.post("/me/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, member.token)

    assert reply.status == 204, reply.body
    assert login(api, workspace, member.email, NEW_PASSWORD).status == 200
    assert login(api, workspace, member.email, PASSWORD).status == 401
    event = next(e for e in audit_events(api, workspace) if e["action"] == "auth.password_changed")
    assert event["after"]["password"] == "changed"
    assert NEW_PASSWORD not in str(event)


@pytest.mark.parametrize(
    "changes",
    [
        {"role": "admin"},
        {"capacity": 99},
        {"skills": ["vip"]},
        {"email": "me@example.com"},
        {"active": False},
        {"availability": "away", "role": "lead"},
    ],
)
def test_an_agent_may_not_change_other_fields_of_their_own(
    api: ApiClient, workspace: Workspace, changes: dict[str, Any]
) -> None:
    agent = workspace.members["agent"]

    reply = api.patch(f"/users/{agent.id}", changes, agent.token)

    assert_problem(reply, 403)
    assert api.get(f"/users/{agent.id}", agent.token).body["role"] == "agent"


@pytest.mark.parametrize("target", ["viewer", "lead", "admin"])
def test_an_agent_may_not_change_anyone_else(api: ApiClient, workspace: Workspace, target: str) -> None:
    other = workspace.members[target]

    reply = api.patch(f"/users/{other.id}", {"availability": "away"}, workspace.token("agent"))

    assert_problem(reply, 403)


@pytest.mark.parametrize("field", ["name", "email", "role", "active", "capacity", "availability", "skills"])
def test_null_cannot_clear_a_field(api: ApiClient, shared_workspace: Workspace, field: str) -> None:
    viewer = shared_workspace.members["viewer"]

    reply = api.patch(f"/users/{viewer.id}", {field: None}, shared_workspace.token("admin"))

    assert_problem(reply, 422)
    assert [e["field"] for e in reply.body["errors"]] == [field]


def test_changing_the_email_moves_the_sign_in(api: ApiClient, workspace: Workspace) -> None:
    viewer = workspace.members["viewer"]

    reply = api.patch(f"/users/{viewer.id}", {"email": "Moved@Example.com"}, workspace.token("admin"))

    assert reply.status == 200, reply.body
    assert reply.body["email"] == "moved@example.com"
    assert login(api, workspace, "moved@example.com").status == 200
    assert login(api, workspace, viewer.email).status == 401
    # the old address is free again
    assert (
        api.post(
            "/users",
            {"name": "New", "email": viewer.email, "role": "viewer", "password": PASSWORD},
            workspace.token("admin"),
        ).status
        == 201
    )


def test_changing_the_email_to_a_taken_one_is_409_and_changes_nothing(api: ApiClient, workspace: Workspace) -> None:
    viewer, lead = workspace.members["viewer"], workspace.members["lead"]

    reply = api.patch(f"/users/{viewer.id}", {"email": lead.email, "name": "Changed"}, workspace.token("admin"))

    assert_problem(reply, 409)
    assert reply.body.get("field") == "email"
    after = api.get(f"/users/{viewer.id}", workspace.token("admin")).body
    assert (after["email"], after["name"]) == (viewer.email, "Viewer Person")
    assert login(api, workspace, viewer.email).status == 200


def test_changing_the_email_case_only_keeps_the_sign_in(api: ApiClient, workspace: Workspace) -> None:
    viewer = workspace.members["viewer"]

    reply = api.patch(f"/users/{viewer.id}", {"email": viewer.email.upper()}, workspace.token("admin"))

    assert reply.status == 200, reply.body
    assert login(api, workspace, viewer.email).status == 200


# --- the last admin -------------------------------------------------------------------------------


@pytest.mark.parametrize("changes", [{"role": "lead"}, {"active": False}])
def test_the_last_admin_cannot_be_demoted_or_deactivated(
    api: ApiClient, workspace: Workspace, changes: dict[str, Any]
) -> None:
    admin = workspace.members["admin"]

    reply = api.patch(f"/users/{admin.id}", changes, admin.token)

    assert_problem(reply, 409)
    assert api.get(f"/users/{admin.id}", admin.token).body["role"] == "admin"
    assert api.get(f"/users/{admin.id}", admin.token).body["active"] is True


def test_an_admin_can_step_down_once_there_is_another(api: ApiClient, workspace: Workspace) -> None:
    admin = workspace.members["admin"]
    api.patch(f"/users/{workspace.members['lead'].id}", {"role": "admin"}, admin.token)

    reply = api.patch(f"/users/{admin.id}", {"role": "lead"}, admin.token)

    assert reply.status == 200, reply.body
    # ...and now the other admin is the last one
    assert_problem(
        api.patch(
            f"/users/{workspace.members['lead'].id}",
            {"active": False},
            login(api, workspace, workspace.members["lead"].email).body["access_token"],
        ),
        409,
    )


def test_nobody_deletes_their_own_account(api: ApiClient, workspace: Workspace) -> None:
    admin = workspace.members["admin"]

    assert_problem(api.delete(f"/users/{admin.id}", admin.token), 409)


def test_a_key_cannot_delete_the_last_admin(api: ApiClient, workspace: Workspace) -> None:
    from chalicelib.domain.permissions import REQUESTER_ONLY, Permission

    # a weaker key may not touch an admin at all (403); the portal's permission is no member's to give
    every_scope = [str(p) for p in Permission if p not in REQUESTER_ONLY]
    key = new_api_key(api, workspace, every_scope)

    assert_problem(api.delete(f"/users/{workspace.members['admin'].id}", key), 409)


def test_an_admin_can_be_deleted_when_another_remains(api: ApiClient, workspace: Workspace) -> None:
    second = new_user(api, workspace, email="second-admin@example.com", role="admin")

    assert api.delete(f"/users/{second['id']}", workspace.token("admin")).status == 204


# --- deleting -------------------------------------------------------------------------------------


def test_deleting_a_user_is_audited_and_frees_the_email(api: ApiClient, workspace: Workspace) -> None:
    lead = workspace.members["lead"]

    reply = api.delete(f"/users/{lead.id}", workspace.token("admin"))

    assert reply.status == 204
    assert_problem(api.get(f"/users/{lead.id}", workspace.token("admin")), 404)
    assert lead.id not in {u["id"] for u in api.get("/users", workspace.token("admin")).body["items"]}
    event = audit_events(api, workspace)[0]
    assert (event["action"], event["target"]["id"], event["before"]["email"]) == ("user.deleted", lead.id, lead.email)
    assert event["after"] is None
    assert event["request_id"] == reply.request_id
    assert new_user(api, workspace, email=lead.email)["email"] == lead.email
    assert_problem(api.delete(f"/users/{lead.id}", workspace.token("admin")), 404)


# --- no privilege escalation ----------------------------------------------------------------------


def test_a_key_cannot_create_a_user_more_powerful_than_itself(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a provisioning key that may manage users but holds nothing else
    key = new_api_key(api, workspace, ["users.manage"])

    # WHEN it creates an admin (who could then sign in with every permission)
    reply = api.post(
        "/users", {"name": "Mallory", "email": "mallory@example.com", "role": "admin", "password": PASSWORD}, key
    )

    # THEN it is refused, and nobody was created
    assert_problem(reply, 403)
    assert login(api, workspace, "mallory@example.com").status == 401


def test_a_key_cannot_promote_a_user_beyond_itself(api: ApiClient, workspace: Workspace) -> None:
    # (a viewer reads metrics too: a key that hands out that role needs metrics.read)
    key = new_api_key(api, workspace, ["users.manage", "users.read", "tickets.read", "tickets.write", "metrics.read"])
    agent = workspace.members["agent"]

    assert_problem(api.patch(f"/users/{agent.id}", {"role": "admin"}, key), 403)
    assert api.patch(f"/users/{agent.id}", {"role": "viewer"}, key).status == 200
