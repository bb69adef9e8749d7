"""Real time on the local stack: real WebSocket clients, DynamoDB Local's stream, the event runner
and the management API, all running the production handlers."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from infra.local.stack import LocalStack
from tests.events.live import events_in
from tests.integration.http import PASSWORD, Http, Team, new_team

RECEIVE_TIMEOUT = 10  # a bound so a broken test cannot hang; not a performance assertion


@contextmanager
def listening(stack: LocalStack, token: str) -> Iterator[ClientConnection]:
    with connect(f"{stack.ws_url}?token={token}", open_timeout=10) as ws:
        ws.send(json.dumps({"action": "ping"}))
        receive_until(ws, lambda seen: any(e["type"] == "pong" for e in seen))  # registered before we go on
        yield ws


def receive(ws: ClientConnection) -> list[dict[str, Any]]:
    return events_in(ws.recv(timeout=RECEIVE_TIMEOUT))


def receive_until(ws: ClientConnection, done: Any) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    while not done(seen):
        seen.extend(receive(ws))
    return seen


@pytest.fixture(scope="module")
def http(local_stack: LocalStack) -> Http:
    return Http.for_stack(local_stack)


@pytest.fixture(scope="module")
def team(http: Http) -> Team:
    return new_team(http)


def test_changes_reach_every_dashboard_of_the_workspace_and_no_other(
    local_stack: LocalStack, http: Http, team: Team
) -> None:
    stranger = new_team(http, roles=("agent",))
    with (
        listening(local_stack, team.tokens["agent"]) as agent,
        listening(local_stack, team.tokens["agent2"]) as colleague,
        listening(local_stack, team.tokens["viewer"]) as viewer,
        listening(local_stack, stranger.tokens["agent"]) as outsider,
    ):
        ticket = http.ok(
            "POST",
            "/tickets",
            team.tokens["lead"],
            {
                "subject": "Printer on fire",
                "description": "Smoke",
                "requester": {"email": "r@example.com"},
            },
        )
        changed = http.ok(
            "PATCH", f"/tickets/{ticket['id']}", team.tokens["lead"], {"priority": "urgent"}, {"If-Match": "1"}
        )
        http.ok("POST", f"/tickets/{ticket['id']}/comments", team.tokens["agent"], {"body": "On my way"})
        http.ok(
            "POST",
            f"/tickets/{ticket['id']}/comments",
            team.tokens["agent"],
            {"body": "Legacy contract", "public": False},
        )

        def all_arrived(seen: list[dict[str, Any]]) -> bool:
            return sum(e["type"] == "comment.created" for e in seen) == 2 and any(
                e["type"] == "ticket.updated" and e["ticket"]["version"] == 4 for e in seen
            )

        for ws in (agent, colleague, viewer):
            events = receive_until(ws, all_arrived)
            assert events[0]["type"] == "ticket.created" and events[0]["ticket"]["number"] == ticket["number"]
            versions = [e["ticket"]["version"] for e in events if e["type"].startswith("ticket.")]
            assert versions == sorted(versions) and versions[:2] == [1, changed["version"]]
            assert {"field": "priority", "from": "normal", "to": "urgent"} in events[1]["changes"]
            notes = [e["comment"] for e in events if e["type"] == "comment.created" and not e["comment"]["public"]]
            assert notes[0]["body"] == (None if ws is viewer else "Legacy contract")

        mine = http.ok(
            "POST",
            "/tickets",
            stranger.tokens["agent"],
            {
                "subject": "Only for B",
                "description": "x",
                "requester": {"email": "b@example.com"},
            },
        )
        first = receive(outsider)[0]
        assert first["type"] == "ticket.created" and first["ticket"]["id"] == mine["id"]


def test_a_reconnecting_client_catches_up_with_nothing_lost(local_stack: LocalStack, http: Http, team: Team) -> None:
    with listening(local_stack, team.tokens["agent"]) as ws:
        ticket = http.ok(
            "POST",
            "/tickets",
            team.tokens["lead"],
            {
                "subject": "Catch me up",
                "description": "x",
                "requester": {"email": "r@example.com"},
            },
        )
        last_seen = receive_until(ws, lambda seen: any(e.get("ticket", {}).get("id") == ticket["id"] for e in seen))
        cursor = next(e for e in last_seen if e["type"] == "ticket.created")["ticket"]["updated_at"]
    # offline: two changes happen
    once = http.ok("PATCH", f"/tickets/{ticket['id']}", team.tokens["lead"], {"status": "open"}, {"If-Match": "1"})
    twice = http.ok(
        "PATCH",
        f"/tickets/{ticket['id']}",
        team.tokens["lead"],
        {"priority": "high"},
        {"If-Match": str(once["version"])},
    )
    with listening(local_stack, team.tokens["agent"]):
        missed = http.ok("GET", f"/tickets?updated_after={cursor.replace('+', '%2B')}", team.tokens["agent"])["items"]
    caught_up = next(t for t in missed if t["id"] == ticket["id"])
    server = http.ok("GET", f"/tickets/{ticket['id']}", team.tokens["agent"])["ticket"]
    assert caught_up == server == twice


def forged_token(**overrides: Any) -> str:
    now = datetime.now(UTC)
    claims = {
        "iss": "pulsedesk",
        "aud": "pulsedesk-api",
        "sub": "u",
        "tid": "t",
        "role": "agent",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        **overrides,
    }
    return jwt.encode(
        claims,
        os.environ["PULSEDESK_JWT_PRIVATE_KEY"],
        algorithm="EdDSA",
        headers={"kid": os.environ["PULSEDESK_JWT_KID"]},
    )


@pytest.mark.parametrize(
    "claims",
    [None, {"exp": datetime.now(UTC) - timedelta(minutes=1)}, {"aud": "someone-else"}, {"iss": "evil"}],
    ids=["garbage", "expired", "other-audience", "other-issuer"],
)
def test_bad_tokens_are_refused_at_connect(local_stack: LocalStack, claims: dict[str, Any] | None) -> None:
    token = "not-a-token" if claims is None else forged_token(**claims)
    assert claims is None or forged_token() != token
    with pytest.raises(InvalidStatus) as refused, connect(f"{local_stack.ws_url}?token={token}", open_timeout=10):
        pass
    assert refused.value.response.status_code == 401


@pytest.mark.parametrize(
    "frame",
    [json.dumps({"action": "$disconnect"}), json.dumps({"action": "$connect"}), "[" * 5000, "{" * 3000, "\x00"],
    ids=["$disconnect", "$connect", "5000 [", "3000 {", "NUL"],
)
def test_a_frame_that_names_no_action_is_answered_and_the_socket_stays(
    local_stack: LocalStack, http: Http, team: Team, frame: str
) -> None:
    from chalicelib.data import connections

    with listening(local_stack, team.tokens["viewer"]) as ws:
        # WHEN a frame names a gateway route key, or is no JSON the parser can take
        ws.send(frame)

        # THEN the app answers with an error event, and the connection is still registered and live
        seen = receive_until(ws, lambda seen: any(e["type"] == "error" for e in seen))
        assert any("Unknown action" in e.get("detail", "") for e in seen)
        ws.send(json.dumps({"action": "ping"}))
        receive_until(ws, lambda seen: any(e["type"] == "pong" for e in seen))
        me = http.ok("GET", "/me", team.tokens["viewer"])
        mine = [c for c in connections.tenant_connections(me["workspace"]["id"]) if c.user_id == me["user"]["id"]]
        assert mine, "the socket's registration was removed"


def test_a_dead_connection_is_removed_on_the_next_push(local_stack: LocalStack, http: Http, team: Team) -> None:
    from chalicelib.data import connections

    me = http.ok("GET", "/me", team.tokens["agent"])
    tenant_id = me["workspace"]["id"]
    connections.add_connection(tenant_id, "dead-socket-1", me["user"]["id"], "Ghost", "agent")
    assert "dead-socket-1" in {c.connection_id for c in connections.tenant_connections(tenant_id)}
    with listening(local_stack, team.tokens["agent"]) as ws:
        ticket = http.ok(
            "POST",
            "/tickets",
            team.tokens["lead"],
            {
                "subject": "Wake the dead",
                "description": "x",
                "requester": {"email": "r@example.com"},
            },
        )
        receive_until(ws, lambda seen: any(e.get("ticket", {}).get("id") == ticket["id"] for e in seen))
    # the live socket and the dead one are posted to in parallel: wait (bounded) for the removal
    deadline = time.monotonic() + RECEIVE_TIMEOUT
    while "dead-socket-1" in {c.connection_id for c in connections.tenant_connections(tenant_id)}:
        assert time.monotonic() < deadline, "the dead connection was never removed"
        time.sleep(0.05)


def test_presence_shows_who_is_viewing_and_typing(local_stack: LocalStack, http: Http, team: Team) -> None:
    ticket = http.ok(
        "POST",
        "/tickets",
        team.tokens["lead"],
        {
            "subject": "Two agents, one customer",
            "description": "x",
            "requester": {"email": "r@example.com"},
        },
    )
    with listening(local_stack, team.tokens["agent"]) as first, listening(local_stack, team.tokens["agent2"]) as second:
        first.send(json.dumps({"action": "viewing", "ticket_id": ticket["id"]}))
        second.send(json.dumps({"action": "typing", "ticket_id": ticket["id"]}))

        def both_present(seen: list[dict[str, Any]]) -> bool:
            presence = [e for e in seen if e["type"] == "presence" and e["ticket_id"] == ticket["id"]]
            return bool(presence) and len(presence[-1]["users"]) == 2

        users = [e for e in receive_until(first, both_present) if e["type"] == "presence"][-1]["users"]
        assert {(u["id"], u["typing"]) for u in users} == {(team.ids["agent"], False), (team.ids["agent2"], True)}


def test_team_changes_reach_dashboards_live(local_stack: LocalStack, http: Http, team: Team) -> None:
    with listening(local_stack, team.tokens["lead"]) as lead:
        http.ok("PATCH", f"/users/{team.ids['agent']}", team.tokens["agent"], {"availability": "away"})

        def seen_away(seen: list[dict[str, Any]]) -> bool:
            return any(
                e["type"] == "agent.updated"
                and e["agent"]["user_id"] == team.ids["agent"]
                and e["agent"]["availability"] == "away"
                for e in seen
            )

        receive_until(lead, seen_away)


def test_who_watches_a_ticket_reaches_dashboards_live(local_stack: LocalStack, http: Http, team: Team) -> None:
    body = {"subject": "Watch me", "description": "Please", "requester": {"email": "r@example.org"}}
    ticket = http.ok("POST", "/tickets", team.tokens["admin"], body)
    with listening(local_stack, team.tokens["lead"]) as lead:
        http.ok("PUT", f"/tickets/{ticket['id']}/watchers/me", team.tokens["agent"])

        def seen_watcher(seen: list[dict[str, Any]]) -> bool:
            return any(e["type"] == "ticket.watchers" and e["watchers"] == [team.ids["agent"]] for e in seen)

        receive_until(lead, seen_watcher)


def _closed_by_server(ws: ClientConnection) -> bool:
    """True once the gateway closes the socket; events that were already on the way may come first."""
    from websockets.exceptions import ConnectionClosed

    try:
        while True:
            for event in receive(ws):
                assert event["type"] != "ticket.created", "a revoked socket received a new ticket"
    except ConnectionClosed:
        return True


def test_deleting_a_user_closes_their_sockets_at_once(local_stack: LocalStack, http: Http) -> None:
    # GIVEN an agent with a live dashboard
    crew = new_team(http, roles=("agent",))
    with listening(local_stack, crew.tokens["agent"]) as agent:
        # WHEN an admin deletes the agent
        http.ok("DELETE", f"/users/{crew.ids['agent']}", crew.tokens["admin"])
        # THEN the socket is closed, and a ticket created afterwards never reaches it
        http.ok(
            "POST",
            "/tickets",
            crew.tokens["admin"],
            {"subject": "After", "description": "x", "requester": {"email": "r@example.com"}},
        )
        assert _closed_by_server(agent)
    # and the old token cannot open a new one
    with pytest.raises(InvalidStatus):
        connect(f"{local_stack.ws_url}?token={crew.tokens['agent']}", open_timeout=10)


def test_signing_out_closes_that_sessions_sockets_only(local_stack: LocalStack, http: Http) -> None:
    crew = new_team(http, roles=("agent",))
    body = {"workspace": crew.slug, "email": f"agent@{crew.slug}.example.com", "password": PASSWORD}
    phone = http.ok("POST", "/auth/login", body=body)
    desk = http.ok("POST", "/auth/login", body=body)
    with (
        listening(local_stack, phone["access_token"]) as on_phone,
        listening(local_stack, desk["access_token"]) as on_desk,
    ):
        http.ok("POST", "/auth/logout", phone["access_token"], {"refresh_token": phone["refresh_token"]})
        assert _closed_by_server(on_phone)
        ticket = http.ok(
            "POST",
            "/tickets",
            crew.tokens["admin"],
            {"subject": "Still live", "description": "x", "requester": {"email": "r@example.com"}},
        )
        seen = receive_until(on_desk, lambda s: any(e.get("ticket", {}).get("id") == ticket["id"] for e in s))
        assert any(e["type"] == "ticket.created" for e in seen)


def _until_a_minute_window_has(seconds_left: float) -> None:
    """The frame limit is a fixed window aligned to the minute (domain/rate_limits.py): frames that straddle
    a boundary are counted in two windows, so a flood is sent early in a window (the stack shares our clock)."""
    left = 60 - time.time() % 60
    if left < seconds_left:
        time.sleep(left + 0.1)


def test_a_connection_that_floods_frames_is_told_to_slow_down(local_stack: LocalStack, team: Team) -> None:
    # GIVEN a socket that has spent its frames for the minute (60, one ping of them spent by `listening`)
    _until_a_minute_window_has(seconds_left=25)
    with listening(local_stack, team.tokens["viewer"]) as ws:
        for _ in range(60):
            ws.send(json.dumps({"action": "ping"}))

        # THEN the frame past the limit is answered with an error instead of being handled
        def refused(seen: list[dict[str, Any]]) -> bool:
            return any(e["type"] == "error" for e in seen)

        seen = receive_until(ws, refused)
        errors = [e["detail"] for e in seen if e["type"] == "error"]
        assert errors == ["Too many messages on this connection; slow down."]
        assert sum(e["type"] == "pong" for e in seen) == 59
