"""Sign-up confirms the admin's email before a workspace exists (issue 11, items 5, 7 and 8):
the whole way through the emailed link, enumeration, reserved slugs and weak passwords."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from chalicelib.data import audit, signups
from chalicelib.services.tokens import hash_secret
from tests.api.client import (
    PASSWORD,
    ApiClient,
    Workspace,
    latest_email_to,
    login,
    signup_token,
)
from tests.api.notifications_support import overridden_settings


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


def assert_problem_naming(reply: Any, status: int, field: str) -> None:
    assert reply.status == status, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    named = {e["field"] for e in reply.body.get("errors", [])} | {reply.body.get("field")}
    assert field in named, reply.body


def platform_events(action: str) -> list[Any]:
    items, _ = audit.list_events(signups.PLATFORM_TENANT, 100, None)
    return [item for item in items if item.action == action]


# --- the whole way ------------------------------------------------------------------------------


def test_signup_emails_a_link_and_only_its_confirmation_creates_the_workspace(api: ApiClient) -> None:
    slug = new_slug()
    body = signup_body(slug)

    # WHEN someone asks for a workspace
    asked = api.post("/auth/signup", body)

    # THEN "check your email", and nothing exists yet: nobody can sign in
    assert asked.status == 202, asked.body
    assert asked.body["status"] == "confirmation_sent"
    assert login(api, Workspace(slug, ""), body["email"]).status == 401

    # AND the email (from the platform, not a workspace) carries a link to the frontend whose token
    # rides in the fragment, so no server log or Referer ever sees it
    mail = latest_email_to(body["email"])
    assert mail["From"].addresses[0].display_name == "Pulsedesk"
    assert mail["Subject"] == "Confirm your email to create your Pulsedesk workspace"
    text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "http://localhost:8000/sign-up/confirm#token=" in text
    token = signup_token(body["email"])

    # AND the pending sign-up keeps the token only as a hash and the password only as argon2id
    pending = signups.get_pending(hash_secret(token))
    assert pending is not None and pending.password_hash.startswith("$argon2id$")
    assert token not in str(pending.attribute_values) and PASSWORD not in str(pending.attribute_values)

    # WHEN the link is followed
    confirmed = api.post("/auth/signup/confirm", {"token": token})

    # THEN the workspace and its admin exist and the admin is signed in
    assert confirmed.status == 201, confirmed.body
    assert confirmed.body["user"]["role"] == "admin"
    me = api.get("/me", confirmed.body["access_token"])
    assert me.status == 200 and me.body["workspace"]["slug"] == slug
    assert login(api, Workspace(slug, ""), body["email"]).status == 200

    # AND the link works once
    again = api.post("/auth/signup/confirm", {"token": token})
    assert_problem_naming(again, 422, "token")

    # AND the platform log holds the request and the confirmation
    assert any(e.target["id"] == slug for e in platform_events("auth.signup_requested"))
    assert any(e.after["workspace_slug"] == slug for e in platform_events("auth.signup_confirmed"))


def test_an_unknown_or_expired_token_is_422_naming_token(api: ApiClient) -> None:
    assert_problem_naming(api.post("/auth/signup/confirm", {"token": "x" * 43}), 422, "token")

    with overridden_settings(PULSEDESK_SIGNUP_TOKEN_TTL="-1"):
        body = signup_body(new_slug())
        assert api.post("/auth/signup", body).status == 202
        token = signup_token(body["email"])

    assert_problem_naming(api.post("/auth/signup/confirm", {"token": token}), 422, "token")


# --- enumeration (item 8) -----------------------------------------------------------------------


def test_a_taken_slug_answers_exactly_like_a_free_one_and_says_so_only_after_confirmation(
    api: ApiClient, shared_workspace: Workspace
) -> None:
    free, taken = new_slug(), shared_workspace.slug
    free_body = signup_body(free, email=f"probe@{free}.example.org")
    taken_body = signup_body(taken, email=f"probe@{free}.example.net")

    # WHEN a prober asks for a free slug and for a taken one
    free_reply = api.post("/auth/signup", free_body)
    taken_reply = api.post("/auth/signup", taken_body)

    # THEN the answers are identical (status, headers that matter, body)
    assert (
        (free_reply.status, free_reply.body)
        == (taken_reply.status, taken_reply.body)
        == (
            202,
            free_reply.body,
        )
    )
    assert free_reply.headers["Content-Type"] == taken_reply.headers["Content-Type"]

    # AND so are the emails, but for the slug itself
    def email_text(address: str, slug: str) -> tuple[str, str]:
        mail = latest_email_to(address)
        text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        return str(mail["Subject"]), text.replace(slug, "<slug>").split("#token=")[0]

    assert email_text(free_body["email"], free) == email_text(taken_body["email"], taken)

    # WHEN the taken one is confirmed, THEN (and only then) it says the slug is taken
    token = signup_token(taken_body["email"])
    refused = api.post("/auth/signup/confirm", {"token": token})
    assert_problem_naming(refused, 409, "workspace_slug")
    assert login(api, shared_workspace, taken_body["email"]).status == 401

    # AND the same link accepts another slug
    other = new_slug()
    retried = api.post("/auth/signup/confirm", {"token": token, "workspace_slug": other})
    assert retried.status == 201, retried.body
    assert api.get("/me", retried.body["access_token"]).body["workspace"]["slug"] == other


def test_two_pending_signups_for_one_slug_make_one_workspace(api: ApiClient) -> None:
    slug = new_slug()
    first, second = (
        signup_body(slug, email=f"one@{slug}.example.com"),
        signup_body(slug, email=f"two@{slug}.example.com"),
    )
    assert api.post("/auth/signup", first).status == api.post("/auth/signup", second).status == 202

    assert api.post("/auth/signup/confirm", {"token": signup_token(first["email"])}).status == 201
    assert_problem_naming(
        api.post("/auth/signup/confirm", {"token": signup_token(second["email"])}), 409, "workspace_slug"
    )


# --- reserved slugs (item 8) --------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["api", "www", "admin", "app", "mail", "support", "status", "pulsedesk-help"])
def test_a_reserved_slug_is_422_naming_workspace_slug(api: ApiClient, slug: str) -> None:
    body = signup_body(slug, email=f"owner-{uuid.uuid4().hex[:8]}@example.com")

    reply = api.post("/auth/signup", body)

    assert_problem_naming(reply, 422, "workspace_slug")
    assert "reserved" in reply.body["errors"][0]["message"]


def test_a_reserved_slug_is_refused_on_the_confirmation_retry_too(api: ApiClient) -> None:
    body = signup_body(new_slug())
    assert api.post("/auth/signup", body).status == 202

    reply = api.post("/auth/signup/confirm", {"token": signup_token(body["email"]), "workspace_slug": "www"})

    assert_problem_naming(reply, 422, "workspace_slug")


# --- weak passwords (item 7) --------------------------------------------------------------------

WEAK = ["aaaaaaaaaa", "1234567890", "password12", "acmesupport", "AcmeSupport1"]


def assert_weak_password_problem(reply: Any, field: str = "password") -> None:
    assert_problem_naming(reply, 422, field)
    (error,) = [e for e in reply.body["errors"] if e["field"] == field]
    assert "too easy to guess" in error["message"]
    assert "." in error["message"].split("guess", 1)[1]  # it goes on to say what to do


@pytest.mark.parametrize("password", WEAK)
def test_signup_refuses_a_weak_password_with_advice(api: ApiClient, password: str) -> None:
    body = signup_body(new_slug(), password=password)

    reply = api.post("/auth/signup", body)

    assert_weak_password_problem(reply)
    with pytest.raises(AssertionError):
        latest_email_to(body["email"])  # nothing was sent


@pytest.mark.parametrize("password", WEAK[:3])
def test_creating_or_changing_a_user_refuses_a_weak_password(
    api: ApiClient, shared_workspace: Workspace, password: str
) -> None:
    admin = shared_workspace.token("admin")
    email = f"weak-{uuid.uuid4().hex[:8]}@example.com"

    created = api.post("/users", {"name": "Wes Weak", "email": email, "role": "agent", "password": password}, admin)
    assert_weak_password_problem(created)

    agent = shared_workspace.members["agent"]
    changed = api.post(
        "/me/password", {"current_password": PASSWORD, "new_password": password}, shared_workspace.token("agent")
    )
    assert_weak_password_problem(changed, "new_password")
    assert login(api, shared_workspace, agent.email).status == 200  # the old password still works


def test_a_strong_password_is_accepted_everywhere(api: ApiClient, shared_workspace: Workspace) -> None:
    admin = shared_workspace.token("admin")
    email = f"strong-{uuid.uuid4().hex[:8]}@example.com"
    strong = "violet tractor umbrella 93"

    created = api.post("/users", {"name": "Sam Strong", "email": email, "role": "agent", "password": strong}, admin)

    assert created.status == 201, created.body
    assert login(api, shared_workspace, email, strong).status == 200


# --- the operator's way (the local demo) ----------------------------------------------------------


def test_an_operator_made_workspace_follows_the_same_rules_without_a_link(api: ApiClient) -> None:
    from chalicelib.data import identity
    from chalicelib.domain.errors import Conflict, ValidationFailed
    from chalicelib.services import signup

    slug = new_slug()
    fields = {"workspace_name": "Demo", "name": "Ada Admin", "email": f"ada@{slug}.example.com"}

    with pytest.raises(ValidationFailed) as weak:
        signup.create_confirmed_workspace(workspace_slug=slug, password="password12", **fields)
    assert weak.value.errors[0]["field"] == "password"
    with pytest.raises(ValidationFailed):
        signup.create_confirmed_workspace(workspace_slug="www", password=PASSWORD, **fields)

    tokens = signup.create_confirmed_workspace(workspace_slug=slug, password=PASSWORD, **fields)

    tenant_id = identity.tenant_for_slug(slug)
    assert tenant_id is not None and tokens.user.role == "admin"
    workspace = identity.get_workspace(tenant_id)
    assert workspace is not None and workspace.email_confirmed_at and workspace.outbound_vetted_at
    assert login(api, Workspace(slug, tenant_id), fields["email"]).status == 200
    with pytest.raises(Conflict):
        signup.create_confirmed_workspace(workspace_slug=slug, password=PASSWORD, **fields)


def test_a_changed_email_is_no_longer_a_confirmed_one(api: ApiClient, workspace: Workspace) -> None:
    from chalicelib.data import identity

    admin = workspace.members["admin"]
    confirmed = identity.get_user(workspace.tenant_id, admin.id)
    assert confirmed is not None and confirmed.email_confirmed_at is not None

    reply = api.patch(f"/users/{admin.id}", {"email": f"new-{admin.email}"}, workspace.token("admin"))

    assert reply.status == 200, reply.body
    changed = identity.get_user(workspace.tenant_id, admin.id)
    assert changed is not None and changed.email_confirmed_at is None
