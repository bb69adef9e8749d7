"""Helpers of the self-service tests: a requester signed in to the portal the whole real way
(a ticket in their name, the stream that makes them a contact, the emailed magic link)."""

from __future__ import annotations

import re
from typing import Any

from tests.api.client import ApiClient, Workspace, latest_email_to
from tests.api.streams import StreamPump

_LINK = re.compile(r"/portal/[a-z0-9-]+/(?:sign-in|confirm)#token=([A-Za-z0-9_\-]+)")


def emailed_token(address: str) -> str:
    body = latest_email_to(address).get_body(preferencelist=("plain",))
    assert body is not None
    found = _LINK.search(body.get_content())
    assert found, body.get_content()[:500]
    return found.group(1)


def ticket_for(
    api: ApiClient, workspace: Workspace, email: str, subject: str = "Printer jams", **extra: Any
) -> dict[str, Any]:
    body = {
        "subject": subject,
        "description": "It jams on every page.",
        "requester": {"email": email, "name": "Rita Requester"},
    }
    reply = api.post("/tickets", {**body, **extra}, workspace.token("agent"))
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]


def sign_in(api: ApiClient, workspace: Workspace, email: str) -> str:
    asked = api.post(f"/portal/{workspace.slug}/sign-in", {"email": email})
    assert asked.status == 202, asked.body
    confirmed = api.post(f"/portal/{workspace.slug}/sign-in/confirm", {"token": emailed_token(email)})
    assert confirmed.status == 200, confirmed.body
    return str(confirmed.body["access_token"])


def new_requester(api: ApiClient, workspace: Workspace, pump: StreamPump, email: str) -> tuple[str, dict[str, Any]]:
    """A requester with one ticket, signed in: (their token, the ticket as agents see it)."""
    ticket = ticket_for(api, workspace, email)
    pump.pump(("workflows",))
    return sign_in(api, workspace, email), ticket
