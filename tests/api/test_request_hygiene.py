"""Issue 11, items 9–12 (API side): response headers on every answer, bodies that must be sent,
text without control characters, and the places where the OpenAPI and the server used to disagree."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.api.openapi import build_document
from chalicelib.api.registry import ROUTERS
from chalicelib.api.routing import all_specs
from tests.api.client import PASSWORD, ApiClient, Reply, Workspace
from tests.api.notifications_support import overridden_settings
from tests.api.test_errors import assert_problem
from tests.api.test_tickets import new_ticket

SPECS = all_specs(ROUTERS)
BODY_ROUTES = [spec for spec in SPECS if spec.body is not None and spec.method in ("POST", "PUT", "PATCH")]
DOCUMENT = build_document(SPECS)


def assert_api_headers(reply: Reply) -> None:
    assert reply.headers["X-Content-Type-Options"] == "nosniff", reply.headers
    assert reply.headers["Cache-Control"] == "no-store", reply.headers


def field_errors(reply: Reply) -> set[str]:
    return {error["field"] for error in reply.body.get("errors", [])}


# --- item 9: nosniff and no-store on every answer ------------------------------------------------


def test_every_kind_of_answer_carries_nosniff_and_no_store(api: ApiClient, workspace: Workspace) -> None:
    admin = workspace.token("admin")
    key = api.post("/api-keys", {"name": "Short-lived", "scopes": ["tickets.read"]}, admin).body
    answers = {
        "tokens": api.post(
            "/auth/login",
            {"workspace": workspace.slug, "email": workspace.members["admin"].email, "password": PASSWORD},
        ),
        "success": api.get("/me", admin),
        "public": api.get("/openapi.json"),
        "problem 401": api.get("/me"),
        "problem 404": api.get("/tickets/" + "0" * 32, admin),
        "problem 422": api.post("/tickets", {"subject": ""}, admin),
        "405 view": api.call("DELETE", "/me", admin),
        "204": api.delete(f"/api-keys/{key['id']}", admin),
    }
    for what, reply in answers.items():
        assert reply.status < 500, (what, reply.body)
        assert_api_headers(reply)
    assert answers["tokens"].body["access_token"] and answers["204"].status == 204


# --- item 10: a route with a body needs one -----------------------------------------------------


@pytest.mark.parametrize("spec", BODY_ROUTES, ids=[f"{s.method} {s.path}" for s in BODY_ROUTES])
def test_the_openapi_says_which_bodies_are_required(spec: Any) -> None:
    operation = DOCUMENT["paths"]["/api/v1" + spec.path][spec.method.lower()]
    # a model may say it can be left out: signing out needs only the access token, applying a macro
    # only If-Match
    expected = not getattr(spec.body, "body_optional", False)
    assert operation["requestBody"]["required"] is expected


def test_a_put_without_a_body_changes_nothing(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN routing settings that differ from the defaults
    admin = workspace.token("admin")
    changed = {"auto_assign_default": False, "on_unavailable": "return"}
    assert api.put("/settings/routing", changed, admin).status == 200

    # WHEN a PUT arrives without a body
    reply = api.put("/settings/routing", None, admin)

    # THEN it is a 422 naming the body, and the settings are as they were
    assert_problem(reply, 422)
    assert field_errors(reply) == {"body"}
    now = api.get("/settings/routing", admin).body
    assert now["auto_assign_default"] is False and now["on_unavailable"] == "return"


def test_bodyless_patch_and_post_are_refused(api: ApiClient, workspace: Workspace) -> None:
    admin = workspace.token("admin")
    ticket = new_ticket(api, admin)
    user_id = workspace.members["agent"].id
    for method, path, headers in [
        ("PATCH", f"/tickets/{ticket['id']}", {"if-match": str(ticket["version"])}),
        ("PATCH", f"/users/{user_id}", {}),
        ("POST", "/tickets", {}),
        ("PUT", "/me/notifications", {}),
        ("PUT", "/integrations/slack", {}),
    ]:
        reply = api.call(method, path, admin, headers=headers)
        assert_problem(reply, 422)
        assert field_errors(reply) == {"body"}, (method, path)


def test_logout_may_be_sent_without_a_body(api: ApiClient, workspace: Workspace) -> None:
    reply = api.call("POST", "/auth/logout", workspace.token("viewer"))

    assert reply.status in (200, 204), reply.body


# --- item 11: control characters -----------------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    ["nul\x00byte", "split\r\nBcc: x@example.com", "invoice\u202egpj.exe", "isolate\u2067x", "del\x7f", "c1\x85inside"],
)
def test_a_subject_with_control_characters_is_refused(
    api: ApiClient, shared_workspace: Workspace, subject: str
) -> None:
    reply = api.post(
        "/tickets",
        {"subject": subject, "description": "Hello", "requester": {"email": "r@example.com"}},
        shared_workspace.token("agent"),
    )

    assert_problem(reply, 422)
    assert field_errors(reply) == {"subject"}


def test_multi_line_text_keeps_its_line_breaks_and_tabs(api: ApiClient, shared_workspace: Workspace) -> None:
    description = "Line one\r\nLine two\n\tindented — and emoji 👩‍💻"

    ticket = new_ticket(api, shared_workspace.token("agent"), description=description)

    assert ticket["description"] == description


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/tickets", {"subject": "s", "description": "a\x00b", "requester": {"email": "r@example.com"}}, "description"),
        (
            "/tickets",
            {"subject": "s", "description": "d", "requester": {"email": "r@example.com", "name": "R\u202e"}},
            "requester.name",
        ),
        ("/users", {"name": "Ann\nBcc", "email": "ann@example.com", "role": "agent", "password": PASSWORD}, "name"),
        (
            "/users",
            {"name": "Ann", "email": "ann@example.com", "role": "agent", "password": PASSWORD, "skills": ["bil\rling"]},
            "skills.0",
        ),
        ("/api-keys", {"name": "key\x1b[31m", "scopes": ["tickets.read"]}, "name"),
        ("/views", {"name": "Mine\u2066", "filters": {}}, "name"),
        ("/webhooks", {"url": "https://example.com/\x00", "event_types": ["*"]}, "url"),
        ("/webhooks", {"url": "https://example.com/h", "event_types": ["*"], "description": "a\nb"}, "description"),
    ],
)
def test_every_text_field_refuses_control_characters(
    api: ApiClient, shared_workspace: Workspace, path: str, body: dict[str, Any], field: str
) -> None:
    reply = api.post(path, body, shared_workspace.token("admin"))

    assert_problem(reply, 422)
    assert field_errors(reply) == {field}


def test_a_comment_with_a_bidi_override_is_refused(api: ApiClient, shared_workspace: Workspace) -> None:
    ticket = new_ticket(api, shared_workspace.token("agent"))

    reply = api.post(
        f"/tickets/{ticket['id']}/comments", {"body": "see \u202eattached"}, shared_workspace.token("agent")
    )

    assert_problem(reply, 422)
    assert field_errors(reply) == {"body"}


# --- item 12: the OpenAPI and the server agree ----------------------------------------------------


def test_an_integral_float_is_an_integer(api: ApiClient, workspace: Workspace) -> None:
    admin = workspace.token("admin")
    agent_id = workspace.members["agent"].id

    accepted = api.patch(f"/users/{agent_id}", {"capacity": 41.0}, admin)
    refused = api.patch(f"/users/{agent_id}", {"capacity": 41.5}, admin)
    as_text = api.patch(f"/users/{agent_id}", {"capacity": "41"}, admin)

    assert accepted.status == 200 and accepted.body["capacity"] == 41
    assert_problem(refused, 422)
    assert_problem(as_text, 422)


def test_fields_that_may_be_left_out_are_not_offered_as_nullable(api: ApiClient, workspace: Workspace) -> None:
    schema = DOCUMENT["components"]["schemas"]["UserPatchIn"]["properties"]
    assert all({"type": "null"} not in prop.get("anyOf", []) and "default" not in prop for prop in schema.values())

    reply = api.patch(f"/users/{workspace.members['agent'].id}", {"name": None}, workspace.token("admin"))

    assert_problem(reply, 422)
    assert field_errors(reply) == {"name"}


def test_the_if_match_header_is_documented_and_checked(api: ApiClient, shared_workspace: Workspace) -> None:
    operation = DOCUMENT["paths"]["/api/v1/tickets/{id}"]["patch"]
    (if_match,) = [p for p in operation["parameters"] if p["in"] == "header"]
    assert if_match["name"] == "If-Match" and if_match["required"] is False
    assert "428" in operation["responses"]
    agent = shared_workspace.token("agent")
    ticket = new_ticket(api, agent)

    missing = api.patch(f"/tickets/{ticket['id']}", {"priority": "high"}, agent)
    malformed = api.patch(f"/tickets/{ticket['id']}", {"priority": "high"}, agent, headers={"if-match": "١"})
    weak_etag = api.patch(f"/tickets/{ticket['id']}", {"priority": "high"}, agent, headers={"if-match": 'W/"1"'})

    assert_problem(missing, 428)
    assert_problem(malformed, 422)
    assert field_errors(malformed) == {"If-Match"}
    assert weak_etag.status == 200, weak_etag.body


def test_api_key_scopes_are_an_enum(api: ApiClient, shared_workspace: Workspace) -> None:
    schema = DOCUMENT["components"]["schemas"]["ApiKeyCreateIn"]["properties"]["scopes"]
    scope_schema = DOCUMENT["components"]["schemas"][schema["items"]["$ref"].rsplit("/", 1)[-1]]
    assert "tickets.read" in scope_schema["enum"]

    reply = api.post("/api-keys", {"name": "k", "scopes": ["tickets.everything"]}, shared_workspace.token("admin"))

    assert_problem(reply, 422)
    assert field_errors(reply) == {"scopes.0"}


@pytest.mark.parametrize("value", ["0.5", "1700000000", "2030-01-01", "yesterday"])
def test_a_date_time_query_must_be_rfc_3339(api: ApiClient, shared_workspace: Workspace, value: str) -> None:
    reply = api.get(f"/tickets?updated_before={value}", shared_workspace.token("viewer"))

    assert_problem(reply, 422)
    assert field_errors(reply) == {"updated_before"}


def test_an_rfc_3339_date_time_query_is_accepted(api: ApiClient, shared_workspace: Workspace) -> None:
    reply = api.get("/tickets?updated_before=2030-01-01T00:00:00.5%2B02:00", shared_workspace.token("viewer"))

    assert reply.status == 200, reply.body


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://169.254.170.2/v2/"]
)
def test_the_metadata_address_is_never_a_webhook_target(api: ApiClient, shared_workspace: Workspace, url: str) -> None:
    # GIVEN private targets allowed, as `make run` has them
    with overridden_settings(PULSEDESK_WEBHOOK_ALLOW_PRIVATE="true"):
        reply = api.post("/webhooks", {"url": url, "event_types": ["*"]}, shared_workspace.token("admin"))

    assert_problem(reply, 422)
    assert "metadata" in reply.body["detail"] + str(reply.body.get("errors"))


@pytest.mark.parametrize(
    "query",
    [
        "updated_before=9999-12-31T23:59:59-23:59",
        "created_after=0001-01-01T00:00:00%2B23:59",
        "sla_due_before=0001-01-01t00:00:00z",
    ],
)
def test_a_date_time_at_the_edge_of_the_calendar_is_a_filter_like_any_other(
    api: ApiClient, shared_workspace: Workspace, query: str
) -> None:
    reply = api.get(f"/tickets?{query}", shared_workspace.token("viewer"))

    assert reply.status == 200, reply.body


def test_a_view_body_takes_rfc_3339_date_times(api: ApiClient, workspace: Workspace) -> None:
    admin = workspace.token("admin")
    filters = {"updated_after": "2020-01-01T00:00:00Z", "created_before": "9999-12-31T23:59:59-23:59"}

    created = api.post("/views", {"name": "Since 2020", "filters": filters}, admin)
    refused = api.post("/views", {"name": "Half", "filters": {"updated_after": 0.5}}, admin)

    assert created.status == 201, created.body
    assert created.body["filters"]["updated_after"] == "2020-01-01T00:00:00Z"
    assert_problem(refused, 422)
    assert field_errors(refused) == {"filters.updated_after"}
