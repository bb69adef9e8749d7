"""The customer portal: magic-link sign-in, a requester's own requests, replies and solving, the
public web form with its email confirmation, and the admins' settings."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.client import ApiClient, Workspace, latest_email_to
from tests.api.notifications_support import overridden_settings
from tests.api.portal_support import emailed_token, new_requester, ticket_for
from tests.api.streams import StreamPump


def sent_count(address: str) -> int:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    sent = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    return sum(1 for m in sent if any(address in d for d in getattr(m, "destinations", None) or []))


# --- sign-in ------------------------------------------------------------------------------------


def test_a_known_requester_signs_in_by_the_emailed_link_once(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    # GIVEN a requester with a ticket (a contact, thanks to the stream)
    ticket_for(api, workspace, "gina@acme.example")
    pump.pump(("workflows",))

    # WHEN they ask for a link and confirm it
    asked = api.post(f"/portal/{workspace.slug}/sign-in", {"email": "Gina@Acme.example"})
    token = emailed_token("gina@acme.example")
    confirmed = api.post(f"/portal/{workspace.slug}/sign-in/confirm", {"token": token})

    # THEN they hold a requester token of this workspace; the link does not work twice
    assert asked.status == 202 and asked.body["status"] == "link_sent"
    assert confirmed.status == 200, confirmed.body
    assert confirmed.body["requester"]["email"] == "gina@acme.example"
    assert confirmed.body["workspace"]["slug"] == workspace.slug
    again = api.post(f"/portal/{workspace.slug}/sign-in/confirm", {"token": token})
    assert again.status == 422 and again.body["errors"][0]["field"] == "token"


def test_an_unknown_address_gets_the_same_answer_and_no_email(api: ApiClient, workspace: Workspace) -> None:
    known_shape = api.post(f"/portal/{workspace.slug}/sign-in", {"email": "nobody@acme.example"})
    unknown_workspace = api.post("/portal/no-such-workspace-x/sign-in", {"email": "nobody@acme.example"})

    assert known_shape.status == unknown_workspace.status == 202
    assert known_shape.body == unknown_workspace.body
    assert sent_count("nobody@acme.example") == 0


def test_a_tampered_or_foreign_link_is_refused(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace, pump: StreamPump
) -> None:
    ticket_for(api, workspace, "hal@acme.example")
    pump.pump(("workflows",))
    api.post(f"/portal/{workspace.slug}/sign-in", {"email": "hal@acme.example"})
    token = emailed_token("hal@acme.example")
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    assert api.post(f"/portal/{workspace.slug}/sign-in/confirm", {"token": tampered}).status == 422
    # the link of one workspace opens nothing in another
    assert api.post(f"/portal/{other_workspace.slug}/sign-in/confirm", {"token": token}).status == 422
    assert api.post(f"/portal/{workspace.slug}/sign-in/confirm", {"token": "short"}).status == 422
    # the untampered link still works once
    assert api.post(f"/portal/{workspace.slug}/sign-in/confirm", {"token": token}).status == 200


def test_an_expired_link_is_refused(api: ApiClient, workspace: Workspace, pump: StreamPump) -> None:
    from datetime import timedelta

    from chalicelib.data import contacts
    from chalicelib.domain.clock import utcnow
    from chalicelib.domain.portal_links import parse_link_token

    ticket_for(api, workspace, "ida@acme.example")
    pump.pump(("workflows",))
    api.post(f"/portal/{workspace.slug}/sign-in", {"email": "ida@acme.example"})
    token = emailed_token("ida@acme.example")
    parsed = parse_link_token(token)
    assert parsed is not None
    link = contacts.get_link(parsed.tenant_id, parsed.link_id)
    assert link is not None
    assert timedelta(minutes=14) < link.expires - utcnow() <= timedelta(minutes=15)
    link.expires = utcnow() - timedelta(seconds=1)
    link.save()

    assert api.post(f"/portal/{workspace.slug}/sign-in/confirm", {"token": token}).status == 422


def test_sign_in_is_limited_per_address_with_retry_after(api: ApiClient, workspace: Workspace) -> None:
    replies = [api.post(f"/portal/{workspace.slug}/sign-in", {"email": "flood@acme.example"}) for _ in range(6)]

    assert [r.status for r in replies[:5]] == [202] * 5
    assert replies[5].status == 429
    assert int(replies[5].headers["Retry-After"]) > 0


def test_sign_out_ends_the_requester_token(api: ApiClient, workspace: Workspace, pump: StreamPump) -> None:
    token, _ = new_requester(api, workspace, pump, "jon@acme.example")
    assert api.get(f"/portal/{workspace.slug}/requests", token).status == 200

    assert api.post(f"/portal/{workspace.slug}/sign-out", None, token).status == 204
    assert api.get(f"/portal/{workspace.slug}/requests", token).status == 401


def test_bad_sign_in_input_is_422_naming_the_field(api: ApiClient, workspace: Workspace) -> None:
    reply = api.post(f"/portal/{workspace.slug}/sign-in", {"email": "not an address"})
    assert reply.status == 422 and reply.body["errors"][0]["field"] == "email"


# --- my requests --------------------------------------------------------------------------------


def test_my_requests_are_mine_only_split_open_and_solved(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    token, first = new_requester(api, workspace, pump, "kim@acme.example")
    solved = ticket_for(api, workspace, "kim@acme.example", subject="Old one")
    ticket_for(api, workspace, "someone@acme.example", subject="Not Kim's")
    patched = api.patch(
        f"/tickets/{solved['id']}", {"status": "solved", "version": solved["version"]}, workspace.token("agent")
    )
    assert patched.status == 200, patched.body

    open_list = api.get(f"/portal/{workspace.slug}/requests", token)
    solved_list = api.get(f"/portal/{workspace.slug}/requests?status=solved", token)

    assert open_list.status == 200, open_list.body
    assert [r["id"] for r in open_list.body["items"]] == [first["id"]]
    assert [r["id"] for r in solved_list.body["items"]] == [solved["id"]]
    assert set(open_list.body["items"][0]) == {
        "id",
        "number",
        "subject",
        "description",
        "status",
        "created_at",
        "updated_at",
        "solved_at",
        "attachments",
        "rating",
    }


def test_a_request_shows_its_public_conversation_only(api: ApiClient, workspace: Workspace, pump: StreamPump) -> None:
    token, ticket = new_requester(api, workspace, pump, "lea@acme.example")
    agent = workspace.token("agent")
    assert api.post(f"/tickets/{ticket['id']}/comments", {"body": "We are on it."}, agent).status == 201
    assert api.post(f"/tickets/{ticket['id']}/comments", {"body": "SECRET note", "public": False}, agent).status == 201

    reply = api.get(f"/portal/{workspace.slug}/requests/{ticket['id']}", token)

    assert reply.status == 200, reply.body
    assert [m["body"] for m in reply.body["messages"]] == ["We are on it."]
    assert reply.body["messages"][0]["from_requester"] is False
    assert "SECRET" not in str(reply.body)


def test_a_reply_from_the_portal_lands_in_the_agents_conversation_and_reopens_a_solved_request(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    token, ticket = new_requester(api, workspace, pump, "max@acme.example")
    solved = api.post(f"/portal/{workspace.slug}/requests/{ticket['id']}/solve", None, token)
    assert solved.status == 200 and solved.body["status"] == "solved"

    replied = api.post(f"/portal/{workspace.slug}/requests/{ticket['id']}/replies", {"body": "Still broken"}, token)

    assert replied.status == 201, replied.body
    assert replied.body["request"]["status"] == "open"
    assert replied.body["message"]["from_requester"] is True
    agent_view = api.get(f"/tickets/{ticket['id']}", workspace.token("agent")).body
    last = agent_view["comments"][-1]
    assert last["body"] == "Still broken" and last["public"] is True
    assert last["author"] == {
        "type": "requester",
        "id": "max@acme.example",
        "name": "Rita Requester",
        "channel": "portal",
    }
    assert agent_view["ticket"]["status"] == "open"


def test_a_new_request_from_the_portal_goes_to_the_forms_queue(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    token, _ = new_requester(api, workspace, pump, "ned@acme.example")
    admin = workspace.token("admin")
    assert api.put("/portal-settings", {"web_form_enabled": True, "web_form_queue": "billing"}, admin).status == 200

    created = api.post(f"/portal/{workspace.slug}/requests", {"subject": "Invoice", "description": "Wrong VAT"}, token)

    assert created.status == 201, created.body
    as_agent = api.get(f"/tickets/{created.body['id']}", workspace.token("agent")).body["ticket"]
    assert as_agent["queue"] == "billing"
    assert as_agent["requester"]["email"] == "ned@acme.example"
    assert as_agent["channel"] == "web"


@pytest.mark.parametrize(
    "body", [{"subject": "", "description": "x"}, {"subject": "x"}, {"subject": "x", "description": "y", "queue": "z"}]
)
def test_a_bad_new_request_is_422_and_creates_nothing(
    api: ApiClient, workspace: Workspace, pump: StreamPump, body: dict[str, Any]
) -> None:
    token, _ = new_requester(api, workspace, pump, "ola@acme.example")
    reply = api.post(f"/portal/{workspace.slug}/requests", body, token)
    assert reply.status == 422, reply.body
    assert len(api.get(f"/portal/{workspace.slug}/requests", token).body["items"]) == 1


# --- isolation ----------------------------------------------------------------------------------


def test_a_requester_never_reaches_another_requesters_ticket(
    api: ApiClient, workspace: Workspace, pump: StreamPump
) -> None:
    token, _ = new_requester(api, workspace, pump, "pam@acme.example")
    theirs = ticket_for(api, workspace, "quinn@acme.example")
    base = f"/portal/{workspace.slug}/requests/{theirs['id']}"

    assert api.get(base, token).status == 404
    assert api.post(f"{base}/replies", {"body": "hi"}, token).status == 404
    assert api.post(f"{base}/solve", None, token).status == 404
    assert api.get(f"/tickets/{theirs['id']}", workspace.token("agent")).body["ticket"]["status"] == "new"


def test_a_requester_token_opens_nothing_of_the_team_nor_another_workspace(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace, pump: StreamPump
) -> None:
    token, ticket = new_requester(api, workspace, pump, "rae@acme.example")

    for path in ("/me", "/users", "/views", "/tickets", f"/tickets/{ticket['id']}", "/metrics", "/contacts", "/audit"):
        assert api.get(path, token).status == 403, path
    assert api.get(f"/portal/{other_workspace.slug}/requests", token).status == 404
    assert api.get(f"/portal/{other_workspace.slug}/requests/{ticket['id']}", token).status == 404


def test_a_team_token_is_refused_on_the_portal(api: ApiClient, workspace: Workspace) -> None:
    for role in ("admin", "agent", "viewer"):
        reply = api.get(f"/portal/{workspace.slug}/requests", workspace.token(role))
        assert reply.status == 403 and "requests.own" in reply.body["detail"]


# --- the public web form --------------------------------------------------------------------------


def web_request(**fields: Any) -> dict[str, Any]:
    return {"email": "sam@acme.example", "name": "Sam", "subject": "Broken login", "description": "Help", **fields}


def test_the_web_form_opens_a_ticket_only_once_the_address_confirms(api: ApiClient, workspace: Workspace) -> None:
    # WHEN someone writes the form
    asked = api.post(f"/portal/{workspace.slug}/web-requests", web_request())

    # THEN nothing is opened until the emailed link is clicked
    assert asked.status == 202, asked.body
    assert api.get("/tickets?requester=sam@acme.example", workspace.token("agent")).body["items"] == []
    token = emailed_token("sam@acme.example")
    confirmed = api.post(f"/portal/{workspace.slug}/web-requests/confirm", {"token": token})
    assert confirmed.status == 201, confirmed.body
    tickets = api.get("/tickets?requester=sam@acme.example", workspace.token("agent")).body["items"]
    assert [t["subject"] for t in tickets] == ["Broken login"]
    assert tickets[0]["requester"] == {"email": "sam@acme.example", "name": "Sam"}
    # and the requester is signed in to the portal
    mine = api.get(f"/portal/{workspace.slug}/requests", confirmed.body["token"]["access_token"])
    assert [r["id"] for r in mine.body["items"]] == [tickets[0]["id"]]
    # a second click opens nothing more
    assert api.post(f"/portal/{workspace.slug}/web-requests/confirm", {"token": token}).status == 422
    assert len(api.get("/tickets?requester=sam@acme.example", workspace.token("agent")).body["items"]) == 1


def test_a_filled_honeypot_gets_the_same_answer_and_sends_nothing(api: ApiClient, workspace: Workspace) -> None:
    honest = api.post(f"/portal/{workspace.slug}/web-requests", web_request(email="tia@acme.example"))
    bot = api.post(
        f"/portal/{workspace.slug}/web-requests", web_request(email="bot@acme.example", website="http://spam")
    )

    assert honest.status == bot.status == 202 and honest.body == bot.body
    assert sent_count("bot@acme.example") == 0
    assert latest_email_to("tia@acme.example") is not None


def test_a_closed_web_form_takes_nothing(api: ApiClient, workspace: Workspace) -> None:
    admin = workspace.token("admin")
    turned = api.put("/portal-settings", {"web_form_enabled": False, "web_form_queue": "support", "version": 0}, admin)
    assert turned.status == 200, turned.body
    assert api.get(f"/portal/{workspace.slug}").body["web_form_enabled"] is False

    assert api.post(f"/portal/{workspace.slug}/web-requests", web_request(email="uma@acme.example")).status == 404
    assert sent_count("uma@acme.example") == 0


def test_the_web_form_is_limited_per_ip_and_per_workspace(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    with overridden_settings(PULSEDESK_RATE_LIMITS="web_form.ip=2/3599"):
        replies = [
            api.post(f"/portal/{workspace.slug}/web-requests", web_request(email=f"w{i}@acme.example"))
            for i in range(3)
        ]
    assert [r.status for r in replies] == [202, 202, 429]
    assert int(replies[-1].headers["Retry-After"]) > 0
    with overridden_settings(PULSEDESK_RATE_LIMITS="web_form.workspace=1/3598,web_form.ip=1000000/60"):
        replies = [
            api.post(f"/portal/{workspace.slug}/web-requests", web_request(email=f"x{i}@acme.example"))
            for i in range(2)
        ]
    assert [r.status for r in replies] == [202, 429]


# (an odd window gives the limit a counter of its own: the session's other requests came from this address too)
def test_sign_in_is_limited_per_ip(api: ApiClient, workspace: Workspace) -> None:
    with overridden_settings(PULSEDESK_RATE_LIMITS="portal_sign_in.ip=2/899"):
        replies = [api.post(f"/portal/{workspace.slug}/sign-in", {"email": f"y{i}@acme.example"}) for i in range(3)]
    assert [r.status for r in replies] == [202, 202, 429]
    assert int(replies[-1].headers["Retry-After"]) > 0


def test_bad_web_form_input_is_422_naming_the_field(api: ApiClient, workspace: Workspace) -> None:
    reply = api.post(f"/portal/{workspace.slug}/web-requests", web_request(subject=""))
    assert reply.status == 422 and reply.body["errors"][0]["field"] == "subject"
    assert api.post("/portal/no-such-workspace-y/web-requests", web_request()).status == 404


# --- settings --------------------------------------------------------------------------------------


def test_portal_settings_are_versioned_and_audited(api: ApiClient, workspace: Workspace) -> None:
    admin = workspace.token("admin")
    assert api.get("/portal-settings", admin).body == {
        "web_form_enabled": True,
        "web_form_queue": "support",
        "version": 0,
    }

    changed = api.put("/portal-settings", {"web_form_enabled": True, "web_form_queue": "sales", "version": 0}, admin)
    stale = api.put("/portal-settings", {"web_form_enabled": False, "web_form_queue": "sales", "version": 0}, admin)
    bad = api.put("/portal-settings", {"web_form_enabled": True, "web_form_queue": "Not A Queue"}, admin)

    assert changed.status == 200 and changed.body["version"] == 1
    assert stale.status == 409
    assert bad.status == 422 and bad.body["errors"][0]["field"] == "web_form_queue"
    from tests.api.client import audit_events

    assert any(e["action"] == "portal.settings_changed" for e in audit_events(api, workspace))
