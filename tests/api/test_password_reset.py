""" "Forgot password" (issue 11: rate limits on password reset, no enumeration): a one-time link
mailed to the account, a strong new password, and every old session and token ended at once."""

from __future__ import annotations

import json
from email.utils import parseaddr
from typing import Any

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from chalicelib.data import identity, password_resets
from chalicelib.data.models import PasswordResetItem
from chalicelib.data.store import TransactionConflict
from chalicelib.domain.actors import Anonymous
from chalicelib.domain.audit import AuditEntry, AuditTarget
from tests.api.client import PASSWORD, ApiClient, Workspace, audit_events, latest_email_to, login
from tests.api.notifications_support import overridden_settings
from tests.signup_mail import reset_token_in

NEW_PASSWORD = "quiet lantern orchard 42"


def emails_to(address: str) -> int:
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    return sum(
        address.lower() in [parseaddr(d)[1].lower() for d in getattr(m, "destinations", None) or []] for m in sent
    )


def ask(api: ApiClient, workspace: str, email: str, **kw: Any) -> Any:
    return api.post("/auth/password-reset", {"workspace": workspace, "email": email}, **kw)


def reset_token(address: str) -> str:
    body = latest_email_to(address).get_body(preferencelist=("plain",))
    assert body is not None
    return reset_token_in(body.get_content())


def confirm(api: ApiClient, token: str, password: str = NEW_PASSWORD) -> Any:
    return api.post("/auth/password-reset/confirm", {"token": token, "password": password})


def assert_problem_naming(reply: Any, status: int, field: str) -> None:
    assert reply.status == status, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert field in {e["field"] for e in reply.body.get("errors", [])}, reply.body


# --- the whole way ------------------------------------------------------------------------------


def test_a_reset_link_sets_a_new_password_and_ends_every_session(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN an agent signed in (an access token and a refresh token) whose address nobody confirmed
    agent = workspace.members["agent"]
    assert api.get("/me", agent.token).status == 200
    user = identity.get_user(workspace.tenant_id, agent.id)
    assert user is not None and user.email_confirmed_at is None

    # WHEN they ask for a reset (the workspace and address as typed, in any case)
    asked = ask(api, workspace.slug.upper(), f"  {agent.email.upper()}")

    # THEN "check your email", and the platform mailed a link to the frontend, the token in the fragment
    assert asked.status == 202, asked.body
    assert asked.body["status"] == "reset_link_sent"
    mail = latest_email_to(agent.email)
    assert mail["From"].addresses[0].display_name == "Pulsedesk"
    assert mail["Subject"] == "Reset your Pulsedesk password"
    text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "http://localhost:8000/reset-password#token=" in text
    token = reset_token(agent.email)

    # AND the stored reset keeps the token only as a hash
    stored = list(PasswordResetItem.query(f"T#{workspace.tenant_id}#PWRESET#{agent.id}"))
    assert len(stored) == 1 and token not in json.dumps(stored[0].attribute_values, default=str)

    # WHEN the link is followed with a new password
    done = confirm(api, token)

    # THEN 204; the old password is refused and the new one accepted
    assert done.status == 204, done.body
    assert login(api, workspace, agent.email).status == 401
    assert login(api, workspace, agent.email, NEW_PASSWORD).status == 200

    # AND the old access token and refresh token are dead at once
    assert api.get("/me", agent.token).status == 401
    assert api.post("/auth/refresh", {"refresh_token": agent.refresh_token}).status == 401

    # AND the address counts as confirmed (the person just proved it), and the link is spent
    user = identity.get_user(workspace.tenant_id, agent.id)
    assert user is not None and user.email_confirmed_at is not None
    assert_problem_naming(confirm(api, token, "another fine passphrase 9"), 422, "token")
    assert login(api, workspace, agent.email, NEW_PASSWORD).status == 200


def test_a_new_request_replaces_the_earlier_link(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    assert ask(api, workspace.slug, agent.email).status == 202
    first = reset_token(agent.email)
    assert ask(api, workspace.slug, agent.email).status == 202
    second = reset_token(agent.email)
    assert first != second

    assert_problem_naming(confirm(api, first), 422, "token")
    assert confirm(api, second).status == 204


# --- no enumeration -----------------------------------------------------------------------------


def test_unknown_workspace_unknown_email_and_inactive_user_get_the_same_answer_and_no_email(
    api: ApiClient, workspace: Workspace
) -> None:
    # GIVEN a deactivated viewer
    admin, viewer = workspace.members["admin"], workspace.members["viewer"]
    assert api.patch(f"/users/{viewer.id}", {"active": False}, admin.token).status == 200
    known = ask(api, workspace.slug, workspace.members["lead"].email)
    cases = [
        (f"{workspace.slug}-nowhere", viewer.email),  # no such workspace
        (workspace.slug, f"nobody@{workspace.slug}.example.com"),  # no such account
        (workspace.slug, viewer.email),  # an inactive account
    ]

    for slug, address in cases:
        before = emails_to(address)
        reply = ask(api, slug, address)
        # THEN the answer is exactly the one a real account gets, and nothing is mailed
        assert (reply.status, reply.body) == (known.status, known.body) == (202, known.body)
        assert reply.headers["Content-Type"] == known.headers["Content-Type"]
        assert emails_to(address) == before

    # AND only the real account's request is in the audit log
    requested = [e for e in audit_events(api, workspace) if e["action"] == "auth.password_reset_requested"]
    assert [e["target"]["id"] for e in requested] == [workspace.members["lead"].id]


def test_a_user_deactivated_after_asking_cannot_use_the_link(api: ApiClient, workspace: Workspace) -> None:
    admin, agent = workspace.members["admin"], workspace.members["agent"]
    assert ask(api, workspace.slug, agent.email).status == 202
    token = reset_token(agent.email)
    assert api.patch(f"/users/{agent.id}", {"active": False}, admin.token).status == 200
    assert_problem_naming(confirm(api, token), 422, "token")


def test_a_link_mailed_to_an_address_the_user_no_longer_has_opens_nothing(api: ApiClient, workspace: Workspace) -> None:
    admin, agent = workspace.members["admin"], workspace.members["agent"]
    assert ask(api, workspace.slug, agent.email).status == 202
    token = reset_token(agent.email)
    moved = f"moved@{workspace.slug}.example.com"
    assert api.patch(f"/users/{agent.id}", {"email": moved}, admin.token).status == 200
    assert_problem_naming(confirm(api, token), 422, "token")
    assert login(api, workspace, moved).status == 200


# --- the token ----------------------------------------------------------------------------------


def test_an_unknown_malformed_or_expired_token_is_422_naming_token(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    assert_problem_naming(confirm(api, "x" * 43), 422, "token")
    forged = f"{workspace.tenant_id}{agent.id}{'A' * 43}"
    assert_problem_naming(confirm(api, forged), 422, "token")

    # GIVEN a link that lived one second less than nothing
    with overridden_settings(PULSEDESK_PASSWORD_RESET_TOKEN_TTL="-1"):
        assert ask(api, workspace.slug, agent.email).status == 202
        token = reset_token(agent.email)

    # THEN it opens nothing and the password stays
    assert_problem_naming(confirm(api, token), 422, "token")
    assert login(api, workspace, agent.email).status == 200


def test_a_weak_password_is_422_naming_password_and_keeps_the_link(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    assert ask(api, workspace.slug, agent.email).status == 202
    token = reset_token(agent.email)

    for weak in ("password12", "aaaaaaaaaa", "1234567890"):
        reply = confirm(api, token, weak)
        assert_problem_naming(reply, 422, "password")
        advice = next(e["message"] for e in reply.body["errors"] if e["field"] == "password")
        assert advice  # says what to do, not only "no"

    assert login(api, workspace, agent.email).status == 200
    assert confirm(api, token).status == 204  # the link was not spent by the refusals


def test_a_reset_lifts_the_sign_in_lock_of_the_account(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN an account locked by someone guessing its password from this address
    agent = workspace.members["agent"]
    address = "192.0.2.44"
    for _ in range(5):
        assert login_from(api, workspace, agent.email, "wrong guess", address).status == 401
    assert login_from(api, workspace, agent.email, PASSWORD, address).status == 429

    # WHEN its owner resets the password from there
    assert ask(api, workspace.slug, agent.email, source_ip=address).status == 202
    reply = api.post(
        "/auth/password-reset/confirm", {"token": reset_token(agent.email), "password": NEW_PASSWORD}, source_ip=address
    )
    assert reply.status == 204, reply.body

    # THEN they sign in with the new password at once
    assert login_from(api, workspace, agent.email, NEW_PASSWORD, address).status == 200


def login_from(api: ApiClient, workspace: Workspace, email: str, password: str, address: str) -> Any:
    return api.post(
        "/auth/login", {"workspace": workspace.slug, "email": email, "password": password}, source_ip=address
    )


# --- the per-account limit ----------------------------------------------------------------------


def test_past_three_requests_an_hour_the_answer_stays_the_same_but_nothing_is_sent(
    api: ApiClient, workspace: Workspace
) -> None:
    agent = workspace.members["agent"]
    before = emails_to(agent.email)

    replies = [ask(api, workspace.slug, agent.email, source_ip=f"198.51.100.{n}") for n in range(6)]

    assert {(r.status, json.dumps(r.body)) for r in replies} == {(202, json.dumps(replies[0].body))}
    assert emails_to(agent.email) == before + 3
    # AND another account of the workspace is not held back by it
    lead = workspace.members["lead"]
    assert ask(api, workspace.slug, lead.email).status == 202
    assert emails_to(lead.email) == 1


def test_both_routes_count_against_the_auth_limit_per_address(api: ApiClient, workspace: Workspace) -> None:
    with overridden_settings(PULSEDESK_RATE_LIMITS="auth.ip=2/60"):
        address = "203.0.113.77"
        assert ask(api, workspace.slug, "a@example.com", source_ip=address).status == 202
        assert (
            api.post(
                "/auth/password-reset/confirm", {"token": "x" * 43, "password": NEW_PASSWORD}, source_ip=address
            ).status
            == 422
        )
        refused = ask(api, workspace.slug, "a@example.com", source_ip=address)
        assert refused.status == 429 and "Retry-After" in refused.headers


# --- the audit log ------------------------------------------------------------------------------


def test_the_request_and_the_reset_are_audited_without_secrets(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    assert ask(api, workspace.slug, agent.email).status == 202
    token = reset_token(agent.email)
    assert confirm(api, token).status == 204

    events = audit_events(api, workspace)
    requested = next(e for e in events if e["action"] == "auth.password_reset_requested")
    reset = next(e for e in events if e["action"] == "auth.password_reset")
    assert requested["target"]["id"] == reset["target"]["id"] == agent.id
    assert reset["actor"]["id"] == agent.id
    text = json.dumps(events)
    for secret in (token, token[64:], NEW_PASSWORD, PASSWORD):
        assert secret not in text


def test_two_uses_racing_spend_the_link_once(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a link read by two requests at the same moment (both saw the reset before either wrote)
    agent = workspace.members["agent"]
    assert ask(api, workspace.slug, agent.email).status == 202
    token = reset_token(agent.email)
    seen = password_resets.get_reset(workspace.tenant_id, agent.id)
    user = identity.get_user(workspace.tenant_id, agent.id)
    assert seen is not None and user is not None

    # WHEN one of them completes
    assert confirm(api, token).status == 204

    # THEN the other's write is refused on the spent reset, naming it first
    with pytest.raises(TransactionConflict) as refused:
        password_resets.spend_reset(seen, user, audit=AuditEntry(Anonymous(), "x", AuditTarget("user", user.user_id)))
    assert refused.value.reasons[0] == "ConditionalCheckFailed"
    assert login(api, workspace, agent.email, NEW_PASSWORD).status == 200
