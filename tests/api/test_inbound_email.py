"""Email in, through the app's S3 handler (as SES's receipt rule would trigger it) and moto."""

from __future__ import annotations

from typing import Any

from tests.api.client import ApiClient, Workspace
from tests.api.inbound_mail import deliver, message, support_address


def tickets_of(api: ApiClient, workspace: Workspace, **query: str) -> list[dict[str, Any]]:
    params = "&".join(f"{k}={v}" for k, v in query.items())
    reply = api.get(f"/tickets?{params}", token=workspace.token("admin"))
    assert reply.status == 200, reply.body
    return list(reply.body["items"])


def test_a_message_to_the_support_address_opens_a_ticket(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a customer writes to the workspace's support address
    mail = message(support_address(workspace.slug), subject="Printer on fire", body="It is on fire.")
    # WHEN SES stores it and the handler runs
    answer = deliver(api, mail)
    # THEN one ticket exists, by the customer, from email
    assert answer == {"results": ["created"]}
    [ticket] = tickets_of(api, workspace)
    assert ticket["subject"] == "Printer on fire"
    assert ticket["description"] == "It is on fire."
    assert ticket["channel"] == "email"
    assert ticket["requester"] == {"email": "ada@customer.example", "name": "Ada Customer"}
    assert ticket["status"] == "new"
