"""My sessions (issue 17, item 4): each sign-in listed with its device, address, created and last used
(one Query of a per-person list written with the session), the caller's own marked; one ended alone."""

from __future__ import annotations

from typing import Any

from tests.api.client import PASSWORD, ApiClient, Workspace, audit_events, new_api_key

PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
LAPTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


def sign_in(api: ApiClient, workspace: Workspace, email: str, agent: str, ip: str) -> dict[str, Any]:
    body = {"workspace": workspace.slug, "email": email, "password": PASSWORD}
    reply = api.post("/auth/login", body, headers={"user-agent": agent}, source_ip=ip)
    assert reply.status == 200, reply.body
    return reply.body  # type: ignore[no-any-return]


def test_my_sessions_list_each_device_and_mark_this_one(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN the agent signed in on a phone and a laptop (besides the test's own session)
    email = workspace.members["agent"].email
    phone = sign_in(api, workspace, email, PHONE, "198.51.100.7")
    laptop = sign_in(api, workspace, email, LAPTOP, "203.0.113.9")

    # WHEN the laptop asks for its sessions
    listed = api.get("/me/sessions", laptop["access_token"])

    # THEN all three are there, the laptop first and marked, each with its device in words
    assert listed.status == 200, listed.body
    items = listed.body["items"]
    assert len(items) == 3
    assert items[0]["current"] is True and items[0]["device"] == "Chrome 131 on Windows"
    assert items[0]["source_ip"] == "203.0.113.9"
    assert [i["current"] for i in items[1:]] == [False, False]
    assert "Mobile Safari 17 on iOS" in [i["device"] for i in items]
    # AND a refresh moves "last used" on
    before = next(i for i in items if i["device"].startswith("Mobile Safari"))
    refreshed = api.post("/auth/refresh", {"refresh_token": phone["refresh_token"]})
    assert refreshed.status == 200
    after = next(i for i in api.get("/me/sessions", laptop["access_token"]).body["items"] if i["id"] == before["id"])
    assert after["last_used_at"] >= before["last_used_at"] and after["created_at"] == before["created_at"]


def test_ending_one_session_signs_out_only_that_device(api: ApiClient, workspace: Workspace) -> None:
    email = workspace.members["agent"].email
    phone = sign_in(api, workspace, email, PHONE, "198.51.100.7")
    laptop = sign_in(api, workspace, email, LAPTOP, "203.0.113.9")
    phone_id = next(i["id"] for i in api.get("/me/sessions", laptop["access_token"]).body["items"] if not i["current"]
                    and i["device"].startswith("Mobile Safari"))  # fmt: skip

    # WHEN the laptop ends the phone's session
    ended = api.delete(f"/me/sessions/{phone_id}", laptop["access_token"])

    # THEN the phone cannot renew its access, it is no longer listed, and the laptop carries on
    assert ended.status == 204, ended.body
    assert api.post("/auth/refresh", {"refresh_token": phone["refresh_token"]}).status == 401
    renewed = api.post("/auth/refresh", {"refresh_token": laptop["refresh_token"]})
    assert renewed.status == 200
    ids = [i["id"] for i in api.get("/me/sessions", renewed.body["access_token"]).body["items"]]
    assert phone_id not in ids
    assert "auth.session_ended" in [e["action"] for e in audit_events(api, workspace)]


def test_nobody_ends_someone_elses_session(api: ApiClient, workspace: Workspace) -> None:
    mine = api.get("/me/sessions", workspace.token("agent")).body["items"][0]["id"]
    assert api.delete(f"/me/sessions/{mine}", workspace.token("lead")).status == 404
    assert api.delete("/me/sessions/not-a-session", workspace.token("agent")).status == 404
    assert api.get("/me/sessions", workspace.token("agent")).body["items"][0]["id"] == mine


def test_a_password_change_leaves_only_this_session_listed(api: ApiClient, workspace: Workspace) -> None:
    email = workspace.members["viewer"].email
    sign_in(api, workspace, email, PHONE, "198.51.100.7")
    laptop = sign_in(api, workspace, email, LAPTOP, "203.0.113.9")
    changed = api.post(
        "/me/password", {"current_password": PASSWORD, "new_password": "a brand new passphrase"}, laptop["access_token"]
    )
    assert changed.status == 204, changed.body
    renewed = api.post("/auth/refresh", {"refresh_token": laptop["refresh_token"]}).body["access_token"]
    items = api.get("/me/sessions", renewed).body["items"]
    assert [(i["current"], i["device"]) for i in items] == [(True, "Chrome 131 on Windows")]


def test_an_api_key_has_no_sessions(api: ApiClient, workspace: Workspace) -> None:
    key = new_api_key(api, workspace, ["tickets.read"])
    assert api.get("/me/sessions", key).status == 403
