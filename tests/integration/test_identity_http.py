"""Sign-up, sign-in, refresh and /me over real HTTP against DynamoDB Local."""

from __future__ import annotations

import uuid

from infra.local.stack import LocalStack
from tests.integration.http import PASSWORD, Http, outbox, signup_token


def test_signup_through_the_emailed_link_then_login_refresh_me_and_logout(local_stack: LocalStack) -> None:
    http = Http.for_stack(local_stack)
    slug = f"it-{uuid.uuid4().hex[:8]}"
    email = f"owner@{slug}.example.com"
    # GIVEN a sign-up: "check your email", and nothing to sign in to yet
    asked = http.call(
        "POST",
        "/auth/signup",
        body={
            "workspace_name": "Acme",
            "workspace_slug": slug,
            "name": "Olive Owner",
            "email": email,
            "password": PASSWORD,
        },
    )
    assert asked.status_code == 202, asked.text
    assert asked.json()["status"] == "confirmation_sent"
    early = http.call("POST", "/auth/login", body={"workspace": slug, "email": email, "password": PASSWORD})
    assert early.status_code == 401

    # WHEN the link in the email SES sent is followed
    token = signup_token(http, email)
    (mail,) = [m for m in outbox(local_stack) if email in m["to"]]
    assert f"/sign-up/confirm#token={token}" in mail["text"] and "Acme" in mail["text"]
    signup = http.call("POST", "/auth/signup/confirm", body={"token": token})

    # THEN the admin is signed in, and the link is spent
    assert signup.status_code == 201, signup.text
    assert http.ok("GET", "/me", signup.json()["access_token"])["workspace"]["slug"] == slug
    assert http.call("POST", "/auth/signup/confirm", body={"token": token}).status_code == 422

    login = http.ok("POST", "/auth/login", body={"workspace": slug, "email": email, "password": PASSWORD})
    me = http.ok("GET", "/me", login["access_token"])
    assert me["user"]["email"] == email and me["workspace"]["slug"] == slug and "users.manage" in me["permissions"]

    refreshed = http.ok("POST", "/auth/refresh", body={"refresh_token": login["refresh_token"]})
    assert http.ok("GET", "/me", refreshed["access_token"])["user"]["id"] == me["user"]["id"]
    reuse = http.call("POST", "/auth/refresh", body={"refresh_token": login["refresh_token"]})
    assert reuse.status_code == 401
    assert http.call("POST", "/auth/refresh", body={"refresh_token": refreshed["refresh_token"]}).status_code == 401

    wrong = http.call("POST", "/auth/login", body={"workspace": slug, "email": email, "password": "nope-nope-nope"})
    assert wrong.status_code == 401 and wrong.headers["Content-Type"] == "application/problem+json"


def test_the_front_serves_openapi_health_and_problem_404s(local_stack: LocalStack) -> None:
    http = Http.for_stack(local_stack)
    assert http.ok("GET", "/health")["status"] == "ok"
    document = http.ok("GET", "/openapi.json")
    assert "/api/v1/tickets" in document["paths"]
    missing = http.call("GET", "/no-such-thing")
    assert missing.status_code == 404 and missing.headers["Content-Type"] == "application/problem+json"
    wrong_method = http.call("DELETE", "/health")
    assert wrong_method.status_code == 405 and "GET" in wrong_method.headers["Allow"]
