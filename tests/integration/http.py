"""A tiny JSON client for the local stack's HTTP front, and helpers to sign users in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import requests

PASSWORD = "correct horse battery"


@dataclass
class Http:
    base_url: str

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


def new_team(http: Http, roles: tuple[str, ...] = ("lead", "agent", "agent2", "viewer")) -> Team:
    slug = f"it-{uuid.uuid4().hex[:10]}"
    signup = http.ok(
        "POST",
        "/auth/signup",
        body={
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
