"""Tenant isolation: workspace A never reaches, changes or sees workspace B's objects.

Explicit tests cover users, API keys and audit; two generic tests walk the route registry so that
every later ``/<collection>/{id}`` route and every list is checked too, for whatever objects the
other workspace has.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from chalicelib.api.registry import ROUTERS
from chalicelib.api.routing import RouteSpec, all_specs
from tests.api.client import PASSWORD, ApiClient, Reply, Workspace, audit_events, new_api_key, new_workspace

SPECS = all_specs(ROUTERS)
ITEM_SPECS = [s for s in SPECS if re.search(r"/{id}(/|$)", s.path) and s.access != "public"]
LIST_SPECS = [s for s in SPECS if s.method == "GET" and "{" not in s.path and s.access not in ("public", "signed-in")]


def route_id(spec: RouteSpec) -> str:
    return f"{spec.method} {spec.path}"


def assert_not_found(reply: Reply) -> None:
    assert reply.status == 404, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"


# Item routes that also name one of A's own tickets in the query (a macro preview fills one in): A's
# ticket exists, so a 404 can only mean B's object was not reached.
NEEDS_A_TICKET = {"GET /macros/{id}/preview": "ticket"}


@pytest.fixture(scope="module")
def a(api: ApiClient) -> Workspace:
    return new_workspace(api)


# Objects of other resources for B to own, so the generic tests below have ids to try.
OTHER_OBJECTS = {
    "/tickets": {
        "subject": "B's printer is on fire",
        "description": "Please help.",
        "requester": {"email": "customer@b.example.com"},
    },
    "/views": {"name": "B's urgent", "filters": {"priority": ["urgent"]}},
    "/articles": {"title": "B's secret draft", "body": "Internal.", "category": "B"},
    "/rules": {
        "name": "B's rule",
        "kind": "event",
        "triggers": [{"event": "created"}],
        "conditions": {"all": [{"field": "priority", "op": "is", "value": "urgent"}]},
        "actions": [{"type": "add_tags", "tags": ["b"]}],
    },
    "/macros": {"name": "B's macro", "actions": [{"type": "add_tags", "tags": ["b"]}]},
    "/queues": {"name": "b-queue", "description": "B's"},
}


# Valid bodies for item routes that refuse ``{}``; a 422 must not hide whether B's object was reached.
SAMPLE_BODIES = {
    "PATCH /tickets/{id}": {"priority": "high", "version": 1},
    "POST /tickets/{id}/comments": {"body": "A reply from the wrong workspace."},
    "POST /tickets/{id}/uploads": {"filename": "a.pdf", "content_type": "application/pdf", "size": 3},
    "PATCH /views/{id}": {"name": "Renamed"},
    "PATCH /users/{id}": {"name": "Renamed"},
    "POST /tickets/{id}/macros/{macro_id}": {"version": 1},
    "POST /tickets/{id}/merge": {"into": "0" * 32, "version": 1},
    "PATCH /articles/{id}": {"title": "Renamed", "version": 1},
    "PATCH /rules/{id}": {"enabled": False, "version": 1},
    "POST /rules/{id}/test": {"number": 1},
}


@pytest.fixture(scope="module")
def b(api: ApiClient) -> Workspace:
    """Workspace B with a bit of everything: users, an API key, audit events, tickets, views."""
    workspace = new_workspace(api)
    new_api_key(api, workspace, ["users.read"], name="B's key")
    for path, body in OTHER_OBJECTS.items():
        if any(s.method == "POST" and s.path == path for s in SPECS):
            created = api.post(path, body, workspace.token("admin"))
            assert created.status in (200, 201), (path, created.body)
    return workspace


@pytest.fixture(scope="module")
def a_callers(api: ApiClient, a: Workspace) -> dict[str, str]:
    """A's admin, A's agent, and an A key holding every scope."""
    from chalicelib.domain.permissions import REQUESTER_ONLY, Permission

    every_scope = [str(p) for p in Permission if p not in REQUESTER_ONLY]  # no member holds the portal's
    return {
        "A admin": a.token("admin"),
        "A agent": a.token("agent"),
        "A all-scope key": new_api_key(api, a, every_scope, name="A's key"),
    }


def ids_of(reply: Reply) -> set[str]:
    assert reply.status == 200, reply.body
    # a list answers {"items": [...]} (or, for ordered collections like rules, its one named list)
    rows = reply.body["items"] if "items" in reply.body else next(v for v in reply.body.values() if isinstance(v, list))
    return {str(item.get("id")) for item in rows}


# --- users ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", ["A admin", "A agent", "A all-scope key"])
def test_a_cannot_read_change_or_delete_bs_users(
    api: ApiClient, a_callers: dict[str, str], b: Workspace, caller: str
) -> None:
    token = a_callers[caller]
    for member in b.members.values():
        assert_not_found(api.get(f"/users/{member.id}", token))
        if caller != "A agent":  # an agent is refused (403) before any lookup
            assert_not_found(api.patch(f"/users/{member.id}", {"name": "Hijacked"}, token))
            assert_not_found(api.delete(f"/users/{member.id}", token))

    # and B's people are untouched
    assert {m["name"] for m in api.get("/users", b.token("admin")).body["items"]} >= {"Ada Admin", "Agent Person"}


def test_a_404_for_bs_user_looks_exactly_like_a_missing_user(api: ApiClient, a: Workspace, b: Workspace) -> None:
    theirs = api.get(f"/users/{b.members['agent'].id}", a.token("admin"))
    missing = api.get("/users/0123456789abcdef0123456789abcdef", a.token("admin"))

    assert (theirs.status, theirs.body) == (missing.status, missing.body)


@pytest.mark.parametrize("caller", ["A admin", "A agent", "A all-scope key"])
def test_a_never_sees_bs_users_in_a_list(
    api: ApiClient, a_callers: dict[str, str], a: Workspace, b: Workspace, caller: str
) -> None:
    listed = ids_of(api.get("/users?limit=100", a_callers[caller]))

    assert listed >= {m.id for m in a.members.values()}
    assert not listed & {m.id for m in b.members.values()}


def test_a_user_cursor_from_a_is_invalid_in_b(api: ApiClient, a: Workspace, b: Workspace) -> None:
    cursor = api.get("/users?limit=1", a.token("admin")).body["next_cursor"]
    assert cursor

    reply = api.get(f"/users?limit=1&cursor={cursor}", b.token("admin"))

    assert reply.status == 422, reply.body
    assert [e["field"] for e in reply.body["errors"]] == ["cursor"]


def test_the_same_email_in_two_workspaces_stays_two_people(api: ApiClient, a: Workspace, b: Workspace) -> None:
    email = "shared.person@example.com"
    in_a = api.post("/users", {"name": "In A", "email": email, "role": "agent", "password": PASSWORD}, a.token("admin"))
    in_b = api.post(
        "/users", {"name": "In B", "email": email, "role": "viewer", "password": "another passphrase"}, b.token("admin")
    )
    assert (in_a.status, in_b.status) == (201, 201)

    login_a = api.post("/auth/login", {"workspace": a.slug, "email": email, "password": PASSWORD})
    wrong_workspace = api.post("/auth/login", {"workspace": b.slug, "email": email, "password": PASSWORD})

    assert login_a.status == 200
    assert login_a.body["user"]["id"] == in_a.body["id"]
    assert wrong_workspace.status == 401


# --- API keys -------------------------------------------------------------------------------------


def test_a_cannot_revoke_or_see_bs_keys(api: ApiClient, a_callers: dict[str, str], b: Workspace) -> None:
    b_key = api.post("/api-keys", {"name": "B only", "scopes": ["users.read"]}, b.token("admin")).body

    for caller in ("A admin", "A all-scope key"):
        assert_not_found(api.delete(f"/api-keys/{b_key['id']}", a_callers[caller]))
        assert b_key["id"] not in ids_of(api.get("/api-keys", a_callers[caller]))

    assert api.get("/users", b_key["secret"]).status == 200  # still alive


def test_a_key_only_ever_acts_in_its_own_workspace(api: ApiClient, a: Workspace, b: Workspace) -> None:
    key = new_api_key(api, a, ["users.read"])

    listed = ids_of(api.get("/users?limit=100", key))

    assert not listed & {m.id for m in b.members.values()}
    assert api.get("/me", key).body["workspace"]["id"] == a.tenant_id


def test_a_key_relabelled_with_bs_tenant_is_refused(api: ApiClient, a: Workspace, b: Workspace) -> None:
    key = new_api_key(api, a, ["users.read"])
    assert a.tenant_id in key

    forged = key.replace(a.tenant_id, b.tenant_id)

    reply = api.get("/users", forged)
    assert reply.status == 401, reply.body


# --- audit ----------------------------------------------------------------------------------------


def test_a_never_sees_bs_audit_events(api: ApiClient, a: Workspace, b: Workspace) -> None:
    b_ids = {e["id"] for e in audit_events(api, b)}
    b_people = {m.id for m in b.members.values()}

    events = audit_events(api, a)

    assert events
    assert not {e["id"] for e in events} & b_ids
    assert not {e["actor"]["id"] for e in events} & b_people
    assert not {e["target"]["id"] for e in events} & b_people


def test_an_audit_cursor_from_a_is_invalid_in_b(api: ApiClient, a: Workspace, b: Workspace) -> None:
    cursor = api.get("/audit?limit=1", a.token("admin")).body["next_cursor"]
    assert cursor

    reply = api.get(f"/audit?limit=1&cursor={cursor}", b.token("admin"))

    assert reply.status == 422, reply.body
    assert [e["field"] for e in reply.body["errors"]] == ["cursor"]


def test_an_a_token_with_bs_tenant_claim_is_not_accepted(api: ApiClient, a: Workspace, b: Workspace) -> None:
    # the tenant comes from the verified token: editing the claim breaks the signature
    import base64
    import json

    header, payload, signature = a.token("admin").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["tid"] = b.tenant_id
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    assert api.get("/audit", f"{header}.{forged}.{signature}").status == 401


# --- every item route and every list, from the registry -------------------------------------------


def collection_of(spec: RouteSpec) -> str:
    return spec.path.split("/{id}")[0]


@pytest.mark.parametrize("spec", ITEM_SPECS, ids=route_id)
def test_every_item_route_answers_404_for_bs_objects(
    api: ApiClient, a: Workspace, b: Workspace, spec: RouteSpec
) -> None:
    lister = next((s for s in SPECS if s.method == "GET" and s.path == collection_of(spec)), None)
    if lister is None:
        pytest.skip(f"no list route {collection_of(spec)} to find B's ids with")
    b_ids = sorted(ids_of(api.get(lister.path, b.token("admin"))))
    if not b_ids:
        pytest.skip(f"workspace B has nothing at {lister.path}")

    path = re.sub(r"{\w+}", "does-not-exist-0000", spec.path.replace("{id}", b_ids[0]))
    if route_id(spec) in NEEDS_A_TICKET:
        own = api.post("/tickets", OTHER_OBJECTS["/tickets"], a.token("admin"))
        assert own.status == 201, own.body
        path += f"?{NEEDS_A_TICKET[route_id(spec)]}={own.body['id']}"
    body: Any = SAMPLE_BODIES.get(route_id(spec), {}) if spec.body is not None else None
    reply = api.call(spec.method, path, a.token("admin"), json_body=body)

    assert reply.status != 422, f"add a valid body for {route_id(spec)} to SAMPLE_BODIES: {reply.body}"
    assert_not_found(reply)


@pytest.fixture(scope="module")
def pristine(api: ApiClient) -> Workspace:
    """A workspace nobody touches: what it lists is built in, not owned by B."""
    return new_workspace(api)


@pytest.mark.parametrize("spec", LIST_SPECS, ids=route_id)
def test_no_list_shows_bs_rows_to_a(
    api: ApiClient, a: Workspace, b: Workspace, pristine: Workspace, spec: RouteSpec
) -> None:
    theirs = api.get(spec.path, b.token("admin"))
    ours = api.get(spec.path, a.token("admin"))
    built_in = api.get(spec.path, pristine.token("admin"))
    assert theirs.status == ours.status == 200, (theirs.body, ours.body)
    if not isinstance(ours.body, dict) or "items" not in ours.body:
        pytest.skip(f"{spec.path} is not an item list")

    b_ids = {str(i.get("id")) for i in theirs.body["items"] if i.get("id")}
    b_ids -= {str(i.get("id")) for i in built_in.body["items"]}

    assert not b_ids & {str(i.get("id")) for i in ours.body["items"]}
    assert b.tenant_id not in str(ours.body)
