"""A new workspace is no phishing relay (issue 11, item 5): no email outside before the admin's
address is confirmed, a small first-day budget after, and the workspace's name as plain text in
every header. Held mail is audited and kept as a dead letter an admin can replay."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.data import keys
from chalicelib.data.models import WorkspaceItem
from tests.api.client import ApiClient, Workspace, audit_events, latest_email_to, login
from tests.api.notifications_support import QueuePump, deliver, emails_to, overridden_settings, sent_emails
from tests.api.streams import StreamPump
from tests.api.test_signup import signup_body


@pytest.fixture
def queue(api: ApiClient) -> Iterator[QueuePump]:
    with overridden_settings(PULSEDESK_WEBHOOK_RETRY_DELAYS="0,0,0"):
        pump = QueuePump(api.chalice)
        pump.purge()
        yield pump


def reply_publicly(api: ApiClient, workspace: Workspace, requester: str) -> dict[str, Any]:
    """A ticket from ``requester`` and a public reply to it: the email a relay would abuse."""
    ticket = api.post(
        "/tickets",
        {"subject": "Your account", "description": "Hi", "requester": {"email": requester, "name": "Victim"}},
        workspace.token("admin"),
    ).body
    reply = api.post(
        f"/tickets/{ticket['id']}/comments", {"body": "Please verify", "public": True}, workspace.token("agent")
    )
    assert reply.status == 201, reply.body
    return ticket  # type: ignore[no-any-return]


def workspace_item(workspace: Workspace) -> WorkspaceItem:
    return WorkspaceItem.get(*keys.workspace(workspace.tenant_id))


def held(api: ApiClient, workspace: Workspace) -> list[dict[str, Any]]:
    letters = api.get("/notifications/dead-letters", workspace.token("admin")).body["items"]
    return [letter for letter in letters if letter["error"].startswith("held:")]


def test_an_unconfirmed_signup_cannot_email_anyone_but_the_address_it_confirms(api: ApiClient) -> None:
    # GIVEN a sign-up asked for with a victim's address as the admin's, never confirmed
    slug = f"ws-{uuid.uuid4().hex[:10]}"
    body = signup_body(slug, workspace_name="PayPal Security", email=f"victim@{slug}.example.org")
    before = len(sent_emails())

    assert api.post("/auth/signup", body).status == 202

    # THEN exactly one email went out: the platform's own confirmation to that address, which
    # names no workspace in its subject or sender; and there is no workspace to send anything else
    assert len(sent_emails()) == before + 1
    mail = latest_email_to(body["email"])
    assert "PayPal" not in str(mail["From"]) and "PayPal" not in str(mail["Subject"])
    assert login(api, Workspace(slug, ""), body["email"]).status == 401


def test_a_workspace_without_a_confirmed_address_sends_nothing_outside(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    # GIVEN a workspace whose admin address was never confirmed (one created before confirmation existed)
    workspace_item(workspace).update(actions=[WorkspaceItem.email_confirmed_at.remove()])
    victim = f"victim-{workspace.slug}@example.org"

    # WHEN an agent replies publicly to a ticket from an outside address
    ticket = reply_publicly(api, workspace, victim)
    # AND a lead assigns the ticket to the admin, a confirmed member
    current = api.get(f"/tickets/{ticket['id']}", workspace.token("admin")).body["ticket"]
    api.patch(
        f"/tickets/{ticket['id']}",
        {"assignee_id": workspace.members["admin"].id, "version": current["version"]},
        workspace.token("lead"),
    )
    deliver(pump, queue)

    # THEN the outside address got nothing, the member did, and the held email is on record
    assert emails_to(victim) == []
    assert any("assigned" in m["subject"] for m in emails_to(workspace.members["admin"].email))
    (letter,) = [letter for letter in held(api, workspace) if letter["target"].endswith(victim)] or [None]
    assert letter is not None and "not confirmed" in letter["error"]
    events = [e for e in audit_events(api, workspace) if e["action"] == "email.held"]
    assert [e["target"]["id"] for e in events] == [victim]


def test_the_first_day_budget_holds_and_held_mail_goes_out_when_replayed_later(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    victims = [f"victim{n}-{workspace.slug}@example.org" for n in range(3)]

    # GIVEN a budget of two emails to outside addresses in the first day
    with overridden_settings(PULSEDESK_NEW_WORKSPACE_EMAIL_BUDGET="2"):
        # WHEN the workspace replies to three outside requesters
        for victim in victims:
            reply_publicly(api, workspace, victim)
        deliver(pump, queue)

    # THEN two emails left the workspace and the third was held, audited and kept
    outside = [m for m in sent_emails() if m["subject"] and m["subject"].startswith(f"[Team {workspace.slug}]")]
    assert len(outside) == 2
    (letter,) = held(api, workspace)
    assert "first-day budget" in letter["error"]
    assert [e["action"] for e in audit_events(api, workspace)].count("email.held") == 1
    (held_for,) = [v for v in victims if not emails_to(v)]

    # WHEN the first day is over and an admin replays the held email
    with overridden_settings(PULSEDESK_NEW_WORKSPACE_WINDOW="0"):
        replay = api.post(f"/notifications/dead-letters/{letter['id']}/replay", None, workspace.token("admin"))
        assert replay.status == 202, replay.body
        deliver(pump, queue)

    # THEN it is delivered
    assert len(emails_to(held_for)) == 1


def test_a_hostile_workspace_name_gives_a_clean_sender_and_subject(
    api: ApiClient, workspace: Workspace, pump: StreamPump, queue: QueuePump
) -> None:
    # GIVEN a workspace whose stored name tries header injection and a spoofed address (written
    # straight to the table: whatever input validation does, stored names are not trusted)
    hostile = "PayPal <security@paypal.example>\r\nBcc: y@evil.example"
    workspace_item(workspace).update(actions=[WorkspaceItem.name.set(hostile)])
    victim = f"victim-{workspace.slug}@example.org"

    # WHEN the workspace emails a requester
    reply_publicly(api, workspace, victim)
    deliver(pump, queue)

    # THEN the email has one sender, the platform's address, with a plain display name
    mail = latest_email_to(victim)
    (sender,) = mail["From"].addresses
    assert sender.addr_spec == "support@pulsedesk.local"
    assert sender.display_name == "PayPal security paypal.example Bcc: y evil.example via Pulsedesk"
    # AND no injected header, no second recipient, a one-line subject without markup
    assert mail["Bcc"] is None and emails_to("y@evil.example") == []
    subject = str(mail["Subject"]).strip()  # a folded header reads back with its fold's space
    assert not set(subject) & set("\r\n<>") and subject.startswith("[PayPal security paypal.example Bcc")
