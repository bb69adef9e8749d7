"""Sign-up, sign-in (with lockout), refresh-token rotation, sign-out and /me."""

from __future__ import annotations

import uuid
from typing import Any

import jwt
import pytest

from chalicelib.domain.permissions import Permission, permissions_for_role
from tests.api.client import PASSWORD, ApiClient, Workspace, audit_events, login, new_api_key, sign_up


def new_slug() -> str:
    return f"ws-{uuid.uuid4().hex[:10]}"


def signup_body(slug: str, **overrides: Any) -> dict[str, Any]:
    body = {
        "workspace_name": "Acme Support",
        "workspace_slug": slug,
        "name": "Ada Admin",
        "email": f"ada@{slug}.example.com",
        "password": PASSWORD,
    }
    return {**body, **overrides}


def assert_problem(reply: Any, status: int) -> None:
    assert reply.status == status, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert {"type", "title", "status", "detail"} <= set(reply.body)
    assert reply.body["status"] == status


# --- sign-up --------------------------------------------------------------------------------------


def test_signup_creates_the_workspace_and_signs_its_admin_in(api: ApiClient) -> None:
    slug = new_slug()

    reply = sign_up(api, signup_body(slug, email=f"Ada@{slug}.Example.com"))

    assert reply.status == 201, reply.body
    assert reply.body["token_type"] == "Bearer"
    assert 0 < reply.body["expires_in"] <= 900
    assert reply.body["user"]["role"] == "admin"
    assert reply.body["user"]["email"] == f"ada@{slug}.example.com"  # stored lower-case
    assert "password" not in str(reply.body["user"]).lower()
    claims = jwt.decode(reply.body["access_token"], options={"verify_signature": False})
    assert claims["role"] == "admin" and claims["sub"] == reply.body["user"]["id"]
    me = api.get("/me", reply.body["access_token"])
    assert me.status == 200
    assert me.body["workspace"]["slug"] == slug
    assert me.body["workspace"]["id"] == claims["tid"]
    assert api.post("/auth/refresh", {"refresh_token": reply.body["refresh_token"]}).status == 200


def test_signup_is_audited(api: ApiClient) -> None:
    slug = new_slug()
    reply = sign_up(api, signup_body(slug))

    events = api.get("/audit", reply.body["access_token"]).body["items"]

    assert [e["action"] for e in events] == ["auth.signup", "workspace.created"]
    assert events[1]["after"]["workspace"]["slug"] == slug
    assert events[1]["actor"]["id"] == reply.body["user"]["id"]


def test_a_taken_slug_is_409_at_confirmation_and_changes_nothing(api: ApiClient, shared_workspace: Workspace) -> None:
    # WHEN someone signs up with an existing workspace's slug and confirms the emailed link
    reply = sign_up(api, signup_body(shared_workspace.slug, email="intruder@example.com"))

    # THEN 409 naming the field, and the intruder's account does not exist in that workspace
    assert_problem(reply, 409)
    assert reply.body["field"] == "workspace_slug"
    assert login(api, shared_workspace, "intruder@example.com").status == 401
    assert api.get("/me", shared_workspace.token("admin")).body["workspace"]["slug"] == shared_workspace.slug


def test_invalid_fields_are_422_naming_each_field(api: ApiClient) -> None:
    body = signup_body(new_slug(), workspace_slug="Not A Slug", email="nope", password="short")

    reply = api.post("/auth/signup", body)

    assert_problem(reply, 422)
    assert {e["field"] for e in reply.body["errors"]} == {"workspace_slug", "email", "password"}
    assert all(e["message"] for e in reply.body["errors"])


def test_missing_fields_are_each_named(api: ApiClient) -> None:
    reply = api.post("/auth/signup", {"workspace_slug": new_slug()})

    assert_problem(reply, 422)
    assert {e["field"] for e in reply.body["errors"]} == {"workspace_name", "name", "email", "password"}


def test_wrong_json_types_are_422_not_coerced(api: ApiClient) -> None:
    reply = api.post("/auth/signup", signup_body(new_slug(), password=12345678901234))

    assert_problem(reply, 422)
    assert [e["field"] for e in reply.body["errors"]] == ["password"]


BAD_SIGNUPS = {
    "malformed json": (400, b'{"workspace_slug": ', None),
    "unknown field": (422, None, {"role": "owner"}),
    "oversized body": (413, None, {"workspace_name": "x" * 1_000_001}),
    "wrong content type": (415, b"workspace_slug=acme", {"content-type": "application/x-www-form-urlencoded"}),
    "json array": (422, b"[]", None),
}


@pytest.mark.parametrize("case", sorted(BAD_SIGNUPS))
def test_a_bad_signup_is_refused_and_writes_nothing(api: ApiClient, case: str) -> None:
    status, raw, extra = BAD_SIGNUPS[case]
    slug = new_slug()
    body = signup_body(slug)

    # WHEN a sign-up is malformed in one way
    if raw is not None:
        reply = api.call("POST", "/auth/signup", raw=raw, headers=extra if case == "wrong content type" else None)
    else:
        reply = api.post("/auth/signup", {**body, **(extra or {})})

    # THEN it gets the right problem...
    assert_problem(reply, status)
    if case == "unknown field":
        assert [e["field"] for e in reply.body["errors"]] == ["role"]
    # ...and nothing was written: no one can sign in, and the slug is still free
    assert api.post("/auth/login", {"workspace": slug, "email": body["email"], "password": PASSWORD}).status == 401
    created = sign_up(api, body)
    assert created.status == 201, created.body
    assert len(api.get("/audit", created.body["access_token"]).body["items"]) == 2


# --- sign-in --------------------------------------------------------------------------------------


def test_login_answers_tokens_and_the_user_and_is_audited(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]

    reply = login(api, workspace, agent.email)

    assert reply.status == 200, reply.body
    assert set(reply.body) >= {"access_token", "refresh_token", "token_type", "expires_in", "user"}
    assert reply.body["user"]["id"] == agent.id
    assert api.get("/me", reply.body["access_token"]).body["user"]["id"] == agent.id
    latest = audit_events(api, workspace)[0]
    assert latest["action"] == "auth.login"
    assert latest["actor"]["id"] == agent.id
    assert latest["request_id"] == reply.request_id
    assert latest["source_ip"]


def test_login_ignores_the_case_of_email_and_workspace(api: ApiClient, shared_workspace: Workspace) -> None:
    reply = api.post(
        "/auth/login",
        {
            "workspace": shared_workspace.slug.upper(),
            "email": shared_workspace.members["viewer"].email.upper(),
            "password": PASSWORD,
        },
    )

    assert reply.status == 200, reply.body


def test_every_failed_login_looks_the_same(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    attempts = {
        "wrong password": {"workspace": workspace.slug, "email": agent.email, "password": "wrong password!"},
        "unknown email": {"workspace": workspace.slug, "email": "nobody@example.com", "password": PASSWORD},
        "unknown workspace": {"workspace": new_slug(), "email": agent.email, "password": PASSWORD},
    }

    replies = {name: api.post("/auth/login", body) for name, body in attempts.items()}

    for reply in replies.values():
        assert_problem(reply, 401)
    bodies = [reply.body for reply in replies.values()]
    assert bodies[0] == bodies[1] == bodies[2]
    assert "access_token" not in bodies[0]


def test_failed_logins_are_audited_without_the_password(api: ApiClient, workspace: Workspace) -> None:
    reply = api.post(
        "/auth/login", {"workspace": workspace.slug, "email": "Nobody@Example.com", "password": "a secret guess"}
    )

    latest = audit_events(api, workspace)[0]
    assert latest["action"] == "auth.login_failed"
    assert latest["target"] == {"type": "email", "id": "nobody@example.com"}
    assert latest["request_id"] == reply.request_id
    assert "a secret guess" not in str(latest)


@pytest.mark.parametrize("who", ["existing user", "unknown email"])
def test_five_failures_lock_the_account_even_for_the_right_password(
    api: ApiClient, workspace: Workspace, who: str
) -> None:
    email = workspace.members["agent"].email if who == "existing user" else "ghost@example.com"

    # GIVEN five failed attempts in a row
    for _ in range(5):
        assert login(api, workspace, email, "wrong password!").status == 401

    # WHEN the right password (or anything) is tried next
    reply = login(api, workspace, email, PASSWORD)

    # THEN the account is locked for a while, and says when to retry
    assert_problem(reply, 429)
    assert 0 < int(reply.headers["Retry-After"]) <= 900
    # the lock is per account: a colleague still signs in
    assert login(api, workspace, workspace.members["viewer"].email).status == 200
    actions = [e["action"] for e in audit_events(api, workspace)]
    assert actions.count("auth.login_failed") == 5


def test_four_failures_then_success_resets_the_count(api: ApiClient, workspace: Workspace) -> None:
    email = workspace.members["lead"].email
    for _ in range(4):
        assert login(api, workspace, email, "wrong password!").status == 401
    assert login(api, workspace, email).status == 200

    for _ in range(4):
        assert login(api, workspace, email, "wrong password!").status == 401

    assert login(api, workspace, email).status == 200


@pytest.mark.parametrize(
    "body", [{}, {"workspace": "x", "email": "a@b.c"}, {"workspace": "", "email": "", "password": ""}]
)
def test_login_with_missing_fields_is_422(api: ApiClient, body: dict[str, Any]) -> None:
    assert_problem(api.post("/auth/login", body), 422)


# --- refresh --------------------------------------------------------------------------------------


def test_refresh_rotates_and_the_new_pair_works(api: ApiClient, workspace: Workspace) -> None:
    first = workspace.members["agent"].refresh_token

    reply = api.post("/auth/refresh", {"refresh_token": first})

    assert reply.status == 200, reply.body
    assert reply.body["refresh_token"] != first
    assert reply.body["user"]["id"] == workspace.members["agent"].id
    assert api.get("/me", reply.body["access_token"]).status == 200
    assert api.post("/auth/refresh", {"refresh_token": reply.body["refresh_token"]}).status == 200


def test_reusing_an_old_refresh_token_revokes_the_whole_family(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a session refreshed twice: first -> second -> newest
    first = workspace.members["agent"].refresh_token
    second = api.post("/auth/refresh", {"refresh_token": first}).body["refresh_token"]
    newest = api.post("/auth/refresh", {"refresh_token": second}).body["refresh_token"]

    # WHEN the first token comes back (a thief, or a replay)
    reuse = api.post("/auth/refresh", {"refresh_token": first})

    # THEN it is refused, and so is every token of the family, even the newest
    assert_problem(reuse, 401)
    assert_problem(api.post("/auth/refresh", {"refresh_token": newest}), 401)
    assert_problem(api.post("/auth/refresh", {"refresh_token": second}), 401)
    assert audit_events(api, workspace)[0]["action"] == "auth.refresh_reuse_detected"
    # another session of the same user is untouched
    other = login(api, workspace, workspace.members["agent"].email).body["refresh_token"]
    assert api.post("/auth/refresh", {"refresh_token": other}).status == 200


@pytest.mark.parametrize("token", ["garbage", "a.b.c.d", "a.b.c", "....", "x" * 512])
def test_a_made_up_refresh_token_is_401(api: ApiClient, token: str) -> None:
    assert_problem(api.post("/auth/refresh", {"refresh_token": token}), 401)


def test_a_refresh_token_with_a_wrong_secret_is_401(api: ApiClient, workspace: Workspace) -> None:
    tenant, family, token_id, _ = workspace.members["lead"].refresh_token.split(".")

    assert_problem(api.post("/auth/refresh", {"refresh_token": f"{tenant}.{family}.{token_id}.guess"}), 401)


def test_a_refresh_token_moved_to_another_tenant_is_401(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    _, family, token_id, secret = workspace.members["lead"].refresh_token.split(".")

    moved = f"{other_workspace.tenant_id}.{family}.{token_id}.{secret}"

    assert_problem(api.post("/auth/refresh", {"refresh_token": moved}), 401)


# --- sign-out -------------------------------------------------------------------------------------


def test_logout_ends_the_session(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]

    reply = api.post("/auth/logout", {"refresh_token": agent.refresh_token}, agent.token)

    assert reply.status == 204
    assert reply.body is None
    assert_problem(api.post("/auth/refresh", {"refresh_token": agent.refresh_token}), 401)
    latest = audit_events(api, workspace)[0]
    assert (latest["action"], latest["actor"]["id"]) == ("auth.logout", agent.id)


def test_logout_cannot_end_someone_elses_session(api: ApiClient, workspace: Workspace) -> None:
    lead = workspace.members["lead"]

    reply = api.post("/auth/logout", {"refresh_token": lead.refresh_token}, workspace.token("agent"))

    assert reply.status == 204
    assert api.post("/auth/refresh", {"refresh_token": lead.refresh_token}).status == 200


def test_logout_needs_a_signed_in_caller(api: ApiClient, workspace: Workspace) -> None:
    assert_problem(api.post("/auth/logout", {"refresh_token": workspace.members["agent"].refresh_token}), 401)
    assert api.post("/auth/refresh", {"refresh_token": workspace.members["agent"].refresh_token}).status == 200


# --- /me ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "lead", "agent", "viewer"])
def test_me_for_a_user_has_the_roles_permissions(api: ApiClient, shared_workspace: Workspace, role: str) -> None:
    reply = api.get("/me", shared_workspace.token(role))

    assert reply.status == 200
    assert reply.body["user"]["id"] == shared_workspace.members[role].id
    assert reply.body["user"]["role"] == role
    assert reply.body["permissions"] == sorted(permissions_for_role(role))
    assert reply.body["workspace"]["id"] == shared_workspace.tenant_id
    assert reply.body["api_key"] is None


def test_me_for_an_api_key_has_the_keys_scopes(api: ApiClient, shared_workspace: Workspace) -> None:
    key = new_api_key(api, shared_workspace, ["tickets.read", "metrics.read"], name="Reporting")

    reply = api.get("/me", key)

    assert reply.status == 200, reply.body
    assert reply.body["user"] is None
    assert reply.body["api_key"]["name"] == "Reporting"
    assert reply.body["permissions"] == [Permission.METRICS_READ, Permission.TICKETS_READ]
    assert reply.body["workspace"]["id"] == shared_workspace.tenant_id


# --- deactivated and deleted users ----------------------------------------------------------------


def test_a_deactivated_user_can_neither_sign_in_nor_refresh(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    wrong_password = login(api, workspace, agent.email, "wrong password!").body

    # WHEN an admin deactivates the agent
    assert api.patch(f"/users/{agent.id}", {"active": False}, workspace.token("admin")).status == 200

    # THEN the right password is refused exactly like a wrong one, refresh is refused, and /me too
    refused = login(api, workspace, agent.email)
    assert_problem(refused, 401)
    assert refused.body == wrong_password
    assert_problem(api.post("/auth/refresh", {"refresh_token": agent.refresh_token}), 401)
    assert_problem(api.get("/me", agent.token), 401)


def test_a_reactivated_user_can_sign_in_again(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    api.patch(f"/users/{agent.id}", {"active": False}, workspace.token("admin"))

    api.patch(f"/users/{agent.id}", {"active": True}, workspace.token("admin"))

    assert login(api, workspace, agent.email).status == 200


def test_a_deleted_user_can_neither_sign_in_nor_refresh(api: ApiClient, workspace: Workspace) -> None:
    viewer = workspace.members["viewer"]

    assert api.delete(f"/users/{viewer.id}", workspace.token("admin")).status == 204

    assert_problem(login(api, workspace, viewer.email), 401)
    assert_problem(api.post("/auth/refresh", {"refresh_token": viewer.refresh_token}), 401)
    assert_problem(api.get("/me", viewer.token), 401)


def test_failure_counters_live_outside_the_main_table_keyed_by_workspace(api: ApiClient, workspace: Workspace) -> None:
    # counters are not tenant data: they expire by TTL in their own table and never reach the stream
    from chalicelib.data.models import RateCounterItem

    login(api, workspace, "ghost@example.com", "wrong password!")

    counters = [c for c in RateCounterItem.scan() if f"{workspace.tenant_id}#ghost@example.com" in c.key]
    assert {c.key.split("#", 1)[0] for c in counters} == {"login_failures.account_ip", "login_failures.account"}
    assert all(c.hits == 1 and c.expires is not None for c in counters)
