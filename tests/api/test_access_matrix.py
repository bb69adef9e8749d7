"""Every registered route × every kind of caller: allowed exactly when the permission table says so.

Built from the route registry at collection time, so routes added later (tickets, views, ...) are
covered without touching this file. Bodies are ``{}`` and ids are made up: the permission check
comes before body validation and before any lookup, so the status still tells allowed from denied.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from chalicelib.api.registry import ROUTERS
from chalicelib.api.routing import API_PREFIX, RouteSpec, all_specs
from chalicelib.domain.permissions import REQUESTER_ONLY, ROLE_PERMISSIONS, Permission, Role
from tests.api.client import PASSWORD, ApiClient, Reply, Workspace, login, new_api_key
from tests.api.portal_support import sign_in as portal_sign_in
from tests.api.portal_support import ticket_for

SPECS = all_specs(ROUTERS)
ROLES = [str(role) for role in Role]
FAKE_ID = "does-not-exist-0000"
# A new public route is a security decision: add it here on purpose.
PUBLIC_ROUTES = {
    ("GET", "/health"),
    ("GET", "/openapi.json"),
    ("POST", "/auth/signup"),
    ("POST", "/auth/signup/confirm"),
    ("POST", "/auth/login"),
    ("POST", "/auth/refresh"),
    ("POST", "/auth/password-reset"),
    ("POST", "/auth/password-reset/confirm"),
    ("POST", "/auth/invitations/accept"),  # the emailed one-time token is the credential
    ("POST", "/integrations/slack/interactions"),  # Slack's own signature is checked instead
    # the help centre: published articles only, rate-limited per address
    ("GET", "/portal/{slug}/help"),
    ("GET", "/portal/{slug}/help/articles/{article}"),
    ("GET", "/portal/{slug}/help/search"),
    ("GET", "/portal/{slug}/help/suggest"),
    ("POST", "/portal/{slug}/help/events"),
    # satisfaction surveys: the signed link is the credential (one ticket, seven days)
    ("GET", "/csat/{token}"),
    ("POST", "/csat/{token}"),
    # the customer portal (issue 15): a workspace's public name, magic-link sign-in, the web form
    ("GET", "/portal/{slug}"),
    ("POST", "/portal/{slug}/sign-in"),
    ("POST", "/portal/{slug}/sign-in/confirm"),
    ("POST", "/portal/{slug}/web-requests"),
    ("POST", "/portal/{slug}/web-requests/confirm"),
}
# Routes that end the caller's own sessions: each caller is a member made for the call, so the shared
# workspace's tokens live on. Only a person has sessions: an API key is refused (403) there.
ENDS_OWN_SESSIONS = {("POST", "/me/sessions/sign-out-everywhere"), ("DELETE", "/me/sessions/{id}")}
# A person's own sessions: an API key has none, so it is refused (403) there too.
PEOPLE_ONLY = ENDS_OWN_SESSIONS | {("GET", "/me/sessions")}


def route_id(spec: RouteSpec) -> str:
    return f"{spec.method} {spec.path}"


def send(api: ApiClient, spec: RouteSpec, token: str | None) -> Reply:
    path = re.sub(r"{\w+}", FAKE_ID, spec.path)
    return api.call(spec.method, path, token, json_body={} if spec.body is not None else None)


def needs(spec: RouteSpec) -> tuple[Permission, ...]:
    return spec.permissions


def assert_problem(reply: Reply, status: int) -> None:
    assert reply.status == status, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert reply.body["status"] == status


def assert_let_through(reply: Reply, who: str) -> None:
    assert reply.status not in (401, 403), f"{who} was refused: {reply.body}"
    assert reply.status < 500, f"{who} got a server error: {reply.body}"


def throwaway_member(api: ApiClient, workspace: Workspace, role: str) -> str:
    email = f"{role}-{uuid.uuid4().hex[:8]}@{workspace.slug}.example.com"
    made = api.post(
        "/users", {"name": "Throwaway", "email": email, "role": role, "password": PASSWORD}, workspace.token("admin")
    )
    assert made.status == 201, made.body
    signed_in = login(api, workspace, email)
    assert signed_in.status == 200, signed_in.body
    return str(signed_in.body["access_token"])


@pytest.fixture(scope="module")
def scoped_keys(api: ApiClient, shared_workspace: Workspace) -> dict[Permission, str]:
    """One API key per permission a member can give, each with that single scope."""
    return {
        permission: new_api_key(api, shared_workspace, [str(permission)])
        for permission in Permission
        if permission not in REQUESTER_ONLY
    }


@pytest.fixture(scope="module")
def requester_token(api: ApiClient, shared_workspace: Workspace) -> str:
    """A customer of the shared workspace signed in to its portal (a ticket makes them a contact)."""
    from chalicelib.settings import physical_table_name
    from tests.api.streams import StreamPump

    pump = StreamPump(api.chalice, physical_table_name("main"))
    ticket_for(api, shared_workspace, "matrix-requester@acme.example")
    pump.pump(("workflows",))
    return portal_sign_in(api, shared_workspace, "matrix-requester@acme.example")


def token_of(role: str, workspace: Workspace, requester: str) -> str:
    return requester if role == Role.REQUESTER else workspace.token(role)


# --- the declarations themselves ------------------------------------------------------------------


def test_the_registry_has_routes() -> None:
    assert len(SPECS) >= 16
    assert len({route_id(s) for s in SPECS}) == len(SPECS), "a route is declared twice"


def test_every_chalice_route_is_a_declared_route(api: ApiClient) -> None:
    # A view registered straight on the app would skip the permission check: there must be none.
    from app import app

    registered = {
        (method, path)
        for path, methods in app.routes.items()
        for method, entry in methods.items()
        if not entry.view_name.startswith("method_not_allowed")
    }
    declared = {(spec.method, API_PREFIX + spec.path) for spec in SPECS}
    assert registered == declared


@pytest.mark.parametrize("spec", SPECS, ids=route_id)
def test_every_route_declares_a_known_access(spec: RouteSpec) -> None:
    assert spec.access in ("public", "signed-in") or spec.access in set(Permission)
    assert not spec.also_requires or isinstance(spec.access, Permission)
    assert (spec.access == "public") == ((spec.method, spec.path) in PUBLIC_ROUTES)


# --- the matrix -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("spec", SPECS, ids=route_id)
def test_a_role_is_refused_exactly_when_it_lacks_the_permission(
    api: ApiClient, shared_workspace: Workspace, requester_token: str, spec: RouteSpec, role: str
) -> None:
    # GIVEN a signed-in member of the role (or a customer signed in to the portal), and what it is granted
    granted = ROLE_PERMISSIONS[Role(role)]

    # WHEN the caller calls the route
    token = token_of(role, shared_workspace, requester_token)
    if (spec.method, spec.path) in ENDS_OWN_SESSIONS and role != "requester":
        token = throwaway_member(api, shared_workspace, role)
    reply = send(api, spec, token)

    # THEN it is 403 exactly when the route needs a permission the role lacks; a requester's token
    # opens the portal's routes only (not even the routes any signed-in member may call)
    missing = [p for p in needs(spec) if p not in granted]
    if role == Role.REQUESTER and spec.access != "public" and not REQUESTER_ONLY.intersection(needs(spec)):
        assert_problem(reply, 403)
    elif missing:
        assert_problem(reply, 403)
        assert str(missing[0]) in reply.body["detail"]
    else:
        assert_let_through(reply, role)


@pytest.mark.parametrize("spec", SPECS, ids=route_id)
def test_a_single_scope_api_key_is_let_through_only_with_that_scope(
    api: ApiClient, scoped_keys: dict[Permission, str], spec: RouteSpec
) -> None:
    permissions = needs(spec)
    for scope, key in scoped_keys.items():
        reply = send(api, spec, key)
        people_only = (spec.method, spec.path) in PEOPLE_ONLY
        if people_only or (permissions and (permissions != (scope,) or REQUESTER_ONLY.intersection(permissions))):
            assert_problem(reply, 403)
        else:
            assert_let_through(reply, f"a key with scope {scope}")


@pytest.mark.parametrize("spec", SPECS, ids=route_id)
def test_no_credentials_is_401_on_every_non_public_route(api: ApiClient, spec: RouteSpec) -> None:
    reply = send(api, spec, None)

    if spec.access == "public":
        assert_let_through(reply, "an anonymous caller")
    else:
        assert_problem(reply, 401)


BAD_CREDENTIALS = {
    "garbage token": {"authorization": "Bearer not-a-token"},
    "basic auth": {"authorization": "Basic YWRtaW46YWRtaW4="},
    "bearer without token": {"authorization": "Bearer "},
    "unknown api key": {"authorization": "Bearer pdk_" + "0" * 32 + "_" + "1" * 32 + "_secret"},
    "malformed api key": {"authorization": "Bearer pdk_nothing"},
}


@pytest.mark.parametrize("credential", sorted(BAD_CREDENTIALS))
@pytest.mark.parametrize("spec", [s for s in SPECS if s.access != "public"], ids=route_id)
def test_bad_credentials_are_401_on_every_non_public_route(api: ApiClient, spec: RouteSpec, credential: str) -> None:
    path = re.sub(r"{\w+}", FAKE_ID, spec.path)
    body: Any = {} if spec.body is not None else None
    reply = api.call(spec.method, path, json_body=body, headers=BAD_CREDENTIALS[credential])

    assert_problem(reply, 401)
