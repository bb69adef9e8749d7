"""A tiny JSON client for the local stack's HTTP front, and helpers to sign users in."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests

from tests.signup_mail import token_in

if TYPE_CHECKING:
    from infra.local.stack import LocalStack

PASSWORD = "correct horse battery"


def outbox(stack: LocalStack) -> list[dict[str, Any]]:
    """Every email the stack's SES was asked to send (the local outbox)."""
    response = requests.get(f"{stack.private_url}/_local/outbox", timeout=30)  # a bound for a loaded machine
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


@dataclass
class Http:
    base_url: str
    read_outbox: Callable[[], list[dict[str, Any]]] | None = None

    @classmethod
    def for_stack(cls, stack: LocalStack) -> Http:
        return cls(stack.base_url, lambda: outbox(stack))

    def call(
        self, method: str, path: str, token: str | None = None, body: Any = None, headers: dict[str, str] | None = None
    ) -> requests.Response:
        sent = {**(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        return requests.request(method, f"{self.base_url}/api/v1{path}", json=body, headers=sent, timeout=10)

    def ok(
        self, method: str, path: str, token: str | None = None, body: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        response = self.call(method, path, token, body, headers)
        assert response.status_code < 300, (response.status_code, response.text)
        return response.json() if response.content else None


@dataclass
class Team:
    slug: str
    tokens: dict[str, str]
    ids: dict[str, str]


def signup_token(http: Http, address: str, timeout: float = 10.0) -> str:
    """The token of the confirmation link in the newest email to ``address``, from the outbox."""
    assert http.read_outbox is not None, "make the client with Http.for_stack(stack) to read email"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mails = [m for m in http.read_outbox() if address.lower() in [a.lower() for a in m["to"]]]
        if mails:
            return token_in(mails[-1]["text"] or "")
        time.sleep(0.05)
    raise AssertionError(f"no email reached {address}")


def sign_up(http: Http, body: dict[str, Any]) -> Any:
    """The whole real way: ask, read the emailed link in the outbox, confirm. Answers the tokens."""
    asked = http.call("POST", "/auth/signup", body=body)
    assert asked.status_code == 202, asked.text
    return http.ok("POST", "/auth/signup/confirm", body={"token": signup_token(http, body["email"])})


def new_team(http: Http, roles: tuple[str, ...] = ("lead", "agent", "agent2", "viewer")) -> Team:
    slug = f"it-{uuid.uuid4().hex[:10]}"
    signup = sign_up(
        http,
        {
            "workspace_name": "Integration",
            "workspace_slug": slug,
            "name": "Ada Admin",
            "email": f"admin@{slug}.example.com",
            "password": PASSWORD,
        },
    )
    team = Team(slug, {"admin": signup["access_token"]}, {"admin": signup["user"]["id"]})
    for role in roles:
        email = f"{role}@{slug}.example.com"
        user = http.ok(
            "POST",
            "/users",
            team.tokens["admin"],
            {
                "name": role.title(),
                "email": email,
                "role": role.rstrip("0123456789"),
                "password": PASSWORD,
            },
        )
        login = http.ok("POST", "/auth/login", body={"workspace": slug, "email": email, "password": PASSWORD})
        team.tokens[role], team.ids[role] = login["access_token"], user["id"]
    return team
