"""Conditional reads of tickets: an ETag on the ticket and on lists, If-None-Match answered with 304 and no
body while the caller's copy is current, and tags that differ wherever callers see different answers."""

from __future__ import annotations

from chalicelib.api.openapi import build_document
from chalicelib.api.registry import ROUTERS
from chalicelib.api.routing import all_specs
from tests.api.client import ApiClient, Workspace
from tests.api.test_tickets import new_ticket, patch


def test_a_ticket_answers_304_without_a_body_until_it_changes(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN an agent who read a ticket
    agent = workspace.token("agent")
    ticket = new_ticket(api, agent)
    first = api.get(f"/tickets/{ticket['id']}", agent)
    tag = first.headers["ETag"]
    assert first.status == 200 and tag.startswith('"') and first.headers["Vary"] == "Authorization"

    # WHEN they ask again with that tag
    again = api.get(f"/tickets/{ticket['id']}", agent, headers={"if-none-match": tag})

    # THEN nothing is sent but the tag, and no cache may keep the answer
    assert again.status == 304 and again.body is None
    assert again.headers["ETag"] == tag and again.headers["Cache-Control"] == "no-store"

    # WHEN the ticket changes (a comment) THEN the old tag brings the whole new answer
    api.post(f"/tickets/{ticket['id']}/comments", {"body": "On it.", "public": True}, agent)
    changed = api.get(f"/tickets/{ticket['id']}", agent, headers={"if-none-match": f'"x", W/{tag}'})
    assert changed.status == 200 and changed.headers["ETag"] != tag
    assert [c["body"] for c in changed.body["comments"]][-1] == "On it."


def test_a_list_answers_304_until_a_ticket_in_it_changes(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.token("agent")
    ticket = new_ticket(api, agent, priority="urgent")
    path = "/tickets?status=new&priority=urgent"
    tag = api.get(path, agent).headers["ETag"]

    assert api.get(path, agent, headers={"if-none-match": tag}).status == 304
    assert api.get(path, agent, headers={"if-none-match": "*"}).status == 304

    patch(api, agent, ticket, status="open")
    after = api.get(path, agent, headers={"if-none-match": tag})
    assert after.status == 200 and after.body["items"] == []


def test_callers_who_see_different_answers_never_share_a_tag(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a ticket with an internal note, which a viewer does not read
    agent, viewer = workspace.token("agent"), workspace.token("viewer")
    ticket = new_ticket(api, agent)
    api.post(f"/tickets/{ticket['id']}/comments", {"body": "Internal: refund approved", "public": False}, agent)
    agents_copy = api.get(f"/tickets/{ticket['id']}", agent)

    # WHEN the viewer presents the agent's tag
    viewers = api.get(f"/tickets/{ticket['id']}", viewer, headers={"if-none-match": agents_copy.headers["ETag"]})

    # THEN the viewer gets their own answer in full, under another tag
    assert viewers.status == 200 and viewers.headers["ETag"] != agents_copy.headers["ETag"]
    assert "refund" not in str(viewers.body)


def test_an_if_none_match_naming_no_tag_gets_the_whole_answer(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.token("agent")
    new_ticket(api, agent)
    for value in ("no quotes", "0", '"', ""):
        reply = api.get("/tickets", agent, headers={"if-none-match": value})
        assert reply.status == 200 and reply.body["items"], value


def test_an_oversized_if_none_match_is_a_422_naming_it(api: ApiClient, workspace: Workspace) -> None:
    reply = api.get("/tickets", workspace.token("agent"), headers={"if-none-match": '"' + "a" * 3000 + '"'})
    assert reply.status == 422
    assert {e["field"] for e in reply.body["errors"]} == {"If-None-Match"}


def test_errors_and_other_routes_carry_no_tag(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.token("agent")
    missing = api.get("/tickets/nope", agent, headers={"if-none-match": "*"})
    assert missing.status == 404 and "ETag" not in missing.headers
    assert "ETag" not in api.get("/me", agent).headers


def test_the_document_describes_the_tag_and_the_304() -> None:
    document = build_document(all_specs(ROUTERS))
    for path in ("/api/v1/tickets", "/api/v1/tickets/{id}"):
        operation = document["paths"][path]["get"]
        assert "ETag" in operation["responses"]["200"]["headers"]
        assert "content" not in operation["responses"]["304"]
        assert "If-None-Match" in {p["name"] for p in operation["parameters"]}
