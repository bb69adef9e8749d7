""" "Forgot password" over real HTTP against DynamoDB Local, the link read from the local outbox."""

from __future__ import annotations

import time

from infra.local.stack import LocalStack
from tests.integration.http import PASSWORD, Http, new_team, outbox
from tests.signup_mail import reset_token_in

NEW_PASSWORD = "quiet lantern orchard 42"


def reset_mails(stack: LocalStack, address: str, at_least: int = 1, timeout: float = 10.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mails = [m for m in outbox(stack) if address.lower() in [a.lower() for a in m["to"]]]
        mails = [m for m in mails if "/reset-password#token=" in (m["text"] or "")]
        if len(mails) >= at_least:
            return mails
        time.sleep(0.05)
    raise AssertionError(f"no reset email reached {address}")


def test_a_reset_link_from_the_outbox_sets_the_password_and_ends_the_old_tokens(local_stack: LocalStack) -> None:
    http = Http.for_stack(local_stack)
    team = new_team(http, roles=("agent",))
    email = f"agent@{team.slug}.example.com"
    signed_in = http.ok("POST", "/auth/login", body={"workspace": team.slug, "email": email, "password": PASSWORD})

    # WHEN the agent asks for a link, and someone asks for an address that has no account
    asked = http.call("POST", "/auth/password-reset", body={"workspace": team.slug, "email": email})
    nobody = http.call(
        "POST", "/auth/password-reset", body={"workspace": team.slug, "email": f"nobody@{team.slug}.example.com"}
    )

    # THEN both hear the same, and only the agent gets an email, from the platform
    assert asked.status_code == nobody.status_code == 202, asked.text
    assert asked.json() == nobody.json()
    (mail,) = reset_mails(local_stack, email)
    assert not [m for m in outbox(local_stack) if f"nobody@{team.slug}.example.com" in m["to"]]
    token = reset_token_in(mail["text"])

    # WHEN the link is followed with a new password
    done = http.call("POST", "/auth/password-reset/confirm", body={"token": token, "password": NEW_PASSWORD})

    # THEN the old password, access token and refresh token stop working, the new password works,
    # and the link is spent
    assert done.status_code == 204, done.text
    old = http.call("POST", "/auth/login", body={"workspace": team.slug, "email": email, "password": PASSWORD})
    assert old.status_code == 401
    assert http.call("GET", "/me", signed_in["access_token"]).status_code == 401
    refresh = http.call("POST", "/auth/refresh", body={"refresh_token": signed_in["refresh_token"]})
    assert refresh.status_code == 401
    http.ok("POST", "/auth/login", body={"workspace": team.slug, "email": email, "password": NEW_PASSWORD})
    again = http.call("POST", "/auth/password-reset/confirm", body={"token": token, "password": "another phrase 77 x"})
    assert again.status_code == 422 and again.headers["Content-Type"] == "application/problem+json"
    assert "token" in {e["field"] for e in again.json()["errors"]}
