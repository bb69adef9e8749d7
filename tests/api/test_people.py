"""People lifecycle (issue 17, item 6): invitations (single-use link that expires, the invitee sets name
and password, nobody exists until then, resend and revoke), my password (the current one required,
other sessions end), sign out everywhere; every step audited."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from chalicelib.data import invitations as repo
from chalicelib.domain.clock import utcnow
from tests.api.client import PASSWORD, ApiClient, Workspace, audit_events, latest_email_to, login

NEW_PASSWORD = "amber kestrel lighthouse 9"
TOKEN = re.compile(r"/accept-invitation#token=([A-Za-z0-9_-]+)")


def invitation_token(address: str) -> str:
    body = latest_email_to(address).get_body(preferencelist=("plain",))
    assert body is not None
    found = TOKEN.search(body.get_content())
    assert found is not None
    return found.group(1)


def invite(api: ApiClient, workspace: Workspace, role: str = "agent") -> tuple[str, dict[str, object]]:
    address = f"new-{uuid.uuid4().hex[:8]}@{workspace.slug}.example.com"
    answer = api.post("/invitations", {"email": address, "role": role}, workspace.token("admin"))
    assert answer.status == 201, answer.body
    return address, answer.body


def accept(api: ApiClient, token: str, name: str = "Nia New", password: str = NEW_PASSWORD) -> object:
    return api.post("/auth/invitations/accept", {"token": token, "name": name, "password": password})


def test_an_invitee_is_pending_until_they_accept_then_signs_in_with_their_own_password(
    api: ApiClient, workspace: Workspace
) -> None:
    # GIVEN an admin invites an address as an agent
    address, invitation = invite(api, workspace)

    # THEN nobody with that address exists yet; the invitation is listed as pending
    users = api.get("/users?limit=100", workspace.token("admin")).body["items"]
    assert address not in [u["email"] for u in users]
    pending = api.get("/invitations", workspace.token("admin")).body["items"]
    assert [(i["email"], i["role"], i["expired"]) for i in pending] == [(address, "agent", False)]
    assert login(api, workspace, address, NEW_PASSWORD).status == 401

    # WHEN the invitee opens the emailed link and chooses a name and a password
    accepted = accept(api, invitation_token(address))

    # THEN they are signed in, as the role they were invited to, with a confirmed address
    assert accepted.status == 201, accepted.body  # type: ignore[attr-defined]
    me = api.get("/me", accepted.body["access_token"]).body  # type: ignore[attr-defined]
    assert (me["user"]["email"], me["user"]["name"], me["user"]["role"]) == (address, "Nia New", "agent")
    assert login(api, workspace, address, NEW_PASSWORD).status == 200
    # AND the invitation is gone, and the link is spent
    assert api.get("/invitations", workspace.token("admin")).body["items"] == []
    again = accept(api, invitation_token(address), name="Mallory")
    assert again.status == 422 and again.body["errors"][0]["field"] == "token"  # type: ignore[attr-defined]
    # AND each step is in the audit log
    actions = [e["action"] for e in audit_events(api, workspace)]
    assert "user.invited" in actions and "user.invitation_accepted" in actions
    assert invitation["id"] not in str(accepted.body)  # type: ignore[attr-defined]


def test_an_expired_invitation_opens_nothing(api: ApiClient, workspace: Workspace) -> None:
    address, invitation = invite(api, workspace)
    item = repo.get_invitation(workspace.tenant_id, str(invitation["id"]))
    assert item is not None
    item.expires = utcnow() - timedelta(seconds=1)
    item.save()
    assert api.get("/invitations", workspace.token("admin")).body["items"][0]["expired"] is True
    refused = accept(api, invitation_token(address))
    assert refused.status == 422 and "expired" in refused.body["errors"][0]["message"]  # type: ignore[attr-defined]
    assert login(api, workspace, address, NEW_PASSWORD).status == 401


def test_resending_replaces_the_link_and_revoking_ends_it(api: ApiClient, workspace: Workspace) -> None:
    address, invitation = invite(api, workspace)
    first = invitation_token(address)
    resent = api.post(f"/invitations/{invitation['id']}/resend", None, workspace.token("admin"))
    assert resent.status == 200, resent.body
    second = invitation_token(address)
    assert second != first
    assert accept(api, first).status == 422  # type: ignore[attr-defined]

    revoked = api.delete(f"/invitations/{invitation['id']}", workspace.token("admin"))
    assert revoked.status == 204
    assert accept(api, second).status == 422  # type: ignore[attr-defined]
    actions = [e["action"] for e in audit_events(api, workspace)]
    assert {"user.invitation_resent", "user.invitation_revoked"} <= set(actions)


def test_an_invitation_is_refused_for_a_member_twice_for_one_address_and_above_ones_role(
    api: ApiClient, workspace: Workspace
) -> None:
    member = api.post(
        "/invitations", {"email": workspace.members["agent"].email, "role": "agent"}, workspace.token("admin")
    )
    assert member.status == 409 and member.body.get("field") == "email", member.body
    address, _ = invite(api, workspace)
    twice = api.post("/invitations", {"email": address, "role": "lead"}, workspace.token("admin"))
    assert twice.status == 409
    bad = api.post("/invitations", {"email": "not an address", "role": "agent"}, workspace.token("admin"))
    assert bad.status == 422 and bad.body["errors"][0]["field"] == "email"
    assert api.post("/invitations", {"email": "x@example.org", "role": "admin"}, workspace.token("lead")).status == 403


def test_a_weak_password_or_a_bad_token_makes_no_account(api: ApiClient, workspace: Workspace) -> None:
    address, _ = invite(api, workspace)
    weak = accept(api, invitation_token(address), password="password123")
    assert weak.status == 422 and weak.body["errors"][0]["field"] == "password"  # type: ignore[attr-defined]
    assert accept(api, "0" * 64 + "x" * 40).status == 422  # type: ignore[attr-defined]
    assert address not in [u["email"] for u in api.get("/users?limit=100", workspace.token("admin")).body["items"]]
    # the link still works after a refused password
    assert accept(api, invitation_token(address)).status == 201  # type: ignore[attr-defined]


def test_changing_my_password_needs_the_current_one_and_ends_my_other_sessions(
    api: ApiClient, workspace: Workspace
) -> None:
    agent = workspace.members["agent"]
    other = login(api, workspace, agent.email).body
    wrong = api.post("/me/password", {"current_password": "not it", "new_password": NEW_PASSWORD}, agent.token)
    assert wrong.status == 422 and wrong.body["errors"][0]["field"] == "current_password"
    assert login(api, workspace, agent.email, PASSWORD).status == 200

    changed = api.post("/me/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, agent.token)
    assert changed.status == 204, changed.body
    assert api.post("/auth/refresh", {"refresh_token": other["refresh_token"]}).status == 401
    assert api.post("/auth/refresh", {"refresh_token": agent.refresh_token}).status == 200
    assert login(api, workspace, agent.email, NEW_PASSWORD).status == 200
    assert "auth.password_changed" in [e["action"] for e in audit_events(api, workspace)]
    # and a stolen access token alone can no longer set a password through the user route
    patched = api.patch(f"/users/{agent.id}", {"password": "attacker chosen words 1"}, agent.token)
    assert patched.status in (401, 403)


def test_signing_out_everywhere_ends_every_session_this_one_too(api: ApiClient, workspace: Workspace) -> None:
    agent = workspace.members["agent"]
    here = login(api, workspace, agent.email).body
    there = login(api, workspace, agent.email).body
    ended = api.post("/me/sessions/sign-out-everywhere", None, here["access_token"])
    assert ended.status == 204, ended.body
    for session in (here, there):
        assert api.get("/tickets", session["access_token"]).status == 401
        assert api.post("/auth/refresh", {"refresh_token": session["refresh_token"]}).status == 401
    assert login(api, workspace, agent.email).status == 200
    assert "auth.signed_out_everywhere" in [e["action"] for e in audit_events(api, workspace)]
