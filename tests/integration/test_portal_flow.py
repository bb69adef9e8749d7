"""The customer portal on the local stack: magic-link sign-in read from the local outbox, a portal
reply arriving live on the agent's socket, an agent's reply arriving live on the requester's own
socket (and nothing else does), and the web form's confirmation step."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from websockets.sync.client import connect

from infra.local.stack import LocalStack
from tests.integration.http import Http, Team, new_team, outbox
from tests.integration.test_realtime import listening, receive, receive_until

_LINK = re.compile(r"/portal/[a-z0-9-]+/(sign-in|confirm)#token=([A-Za-z0-9_\-]+)")
WAIT = 30.0  # a bound so a broken test cannot hang (the stream reaches the contact consumer first)


def portal_token(stack: LocalStack, address: str, page: str, count: int = 1) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        links = [
            found.group(2)
            for mail in outbox(stack)
            if address.lower() in [a.lower() for a in mail["to"]]
            for found in [_LINK.search(mail["text"] or "")]
            if found and found.group(1) == page
        ]
        if len(links) >= count:
            return links[-1]
        time.sleep(0.1)
    raise AssertionError(f"no {page} link reached {address}")


@pytest.fixture(scope="module")
def http(local_stack: LocalStack) -> Http:
    return Http.for_stack(local_stack)


@pytest.fixture(scope="module")
def team(http: Http) -> Team:
    return new_team(http, roles=("agent",))


def signed_in_requester(stack: LocalStack, http: Http, team: Team, address: str) -> tuple[str, dict[str, Any]]:
    ticket = http.ok(
        "POST",
        "/tickets",
        team.tokens["agent"],
        {"subject": "Printer jams", "description": "Every page", "requester": {"email": address, "name": "Rita"}},
    )
    # the stream makes the requester a contact; until then a sign-in mails nothing (same answer)
    deadline = time.monotonic() + WAIT
    while http.ok("GET", f"/contacts?q={address}", team.tokens["agent"])["items"] == []:
        assert time.monotonic() < deadline, "the contact never appeared"
        time.sleep(0.1)
    assert http.call("POST", f"/portal/{team.slug}/sign-in", body={"email": address}).status_code == 202
    token = portal_token(stack, address, "sign-in")
    signed = http.ok("POST", f"/portal/{team.slug}/sign-in/confirm", body={"token": token})
    assert http.call("POST", f"/portal/{team.slug}/sign-in/confirm", body={"token": token}).status_code == 422
    return signed["access_token"], ticket


def test_a_magic_link_from_the_outbox_signs_the_requester_in(local_stack: LocalStack, http: Http, team: Team) -> None:
    token, ticket = signed_in_requester(local_stack, http, team, "rita@customer.example")

    mine = http.ok("GET", f"/portal/{team.slug}/requests", token)

    assert [r["id"] for r in mine["items"]] == [ticket["id"]]
    assert http.call("GET", "/tickets", token).status_code == 403


def test_replies_travel_live_both_ways_and_the_requester_hears_only_their_own(
    local_stack: LocalStack, http: Http, team: Team
) -> None:
    token, ticket = signed_in_requester(local_stack, http, team, "sam@customer.example")
    other = http.ok(
        "POST",
        "/tickets",
        team.tokens["agent"],
        {"subject": "Someone else's", "description": "x", "requester": {"email": "zed@customer.example"}},
    )
    with listening(local_stack, team.tokens["agent"]) as agent, listening(local_stack, token) as requester:
        # WHEN the requester replies in the portal
        http.ok("POST", f"/portal/{team.slug}/requests/{ticket['id']}/replies", token, {"body": "Still jams"})
        # THEN the agent's dashboard hears the comment
        seen = receive_until(agent, lambda s: any(e["type"] == "comment.created" for e in s))
        comment = next(e for e in seen if e["type"] == "comment.created")["comment"]
        assert comment["body"] == "Still jams" and comment["author"]["channel"] == "portal"

        # WHEN the team writes a note, changes another requester's ticket, then answers publicly
        agent_token = team.tokens["agent"]
        http.ok("POST", f"/tickets/{ticket['id']}/comments", agent_token, {"body": "secret", "public": False})
        http.ok("POST", f"/tickets/{other['id']}/comments", agent_token, {"body": "for zed"})
        http.ok("POST", f"/tickets/{ticket['id']}/comments", agent_token, {"body": "Try the blue tray"})

        # THEN the requester's socket hears its own request change, and only that
        events = receive_until(requester, lambda s: sum(1 for e in s if e.get("message_id")) >= 2)
        updates = [e for e in events if e["type"] == "request.updated"]
        assert {e["request"]["id"] for e in updates} == {ticket["id"]}
        assert all(e["type"] in ("request.updated", "pong") for e in events)
        assert "secret" not in json.dumps(events)
        # and reading the request shows the public conversation
        conversation = http.ok("GET", f"/portal/{team.slug}/requests/{ticket['id']}", token)
        assert [m["body"] for m in conversation["messages"]] == ["Still jams", "Try the blue tray"]
        # no presence in the portal
        requester.send(json.dumps({"action": "viewing", "ticket_id": ticket["id"]}))
        assert receive(requester)[0]["type"] == "error"


def test_a_bad_token_is_refused_at_the_socket(local_stack: LocalStack) -> None:
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus), connect(f"{local_stack.ws_url}?token=not-a-token", open_timeout=10):
        pass


def test_the_web_form_opens_the_ticket_only_when_the_emailed_link_is_clicked(
    local_stack: LocalStack, http: Http, team: Team
) -> None:
    address = "una@customer.example"
    asked = http.call(
        "POST",
        f"/portal/{team.slug}/web-requests",
        body={"email": address, "name": "Una", "subject": "Cannot log in", "description": "Since Monday"},
    )
    assert asked.status_code == 202, asked.text
    assert http.ok("GET", f"/tickets?requester={address}", team.tokens["agent"])["items"] == []

    token = portal_token(local_stack, address, "confirm")
    confirmed = http.ok("POST", f"/portal/{team.slug}/web-requests/confirm", body={"token": token})

    tickets = http.ok("GET", f"/tickets?requester={address}", team.tokens["agent"])["items"]
    assert [t["id"] for t in tickets] == [confirmed["request"]["id"]]
    assert tickets[0]["channel"] == "web"
    assert http.call("POST", f"/portal/{team.slug}/web-requests/confirm", body={"token": token}).status_code == 422
