"""SES bounces and complaints for a workspace's mail suppress the address in that workspace: the outbound
gate refuses it from then on, and other workspaces are not affected."""

from __future__ import annotations

import json
import uuid
from email.message import EmailMessage
from typing import Any

import boto3

from chalicelib.domain.delivery import DeliveryFailed
from chalicelib.services import email, outbound_email
from chalicelib.services.email_feedback import record_feedback
from tests.api.client import ApiClient, Workspace
from tests.api.notifications_support import overridden_settings


def _event(kind: str, tenant_id: str, address: str, bounce_type: str = "Permanent") -> dict[str, Any]:
    """An SES event as the configuration set publishes it (the ``email_feedback`` handler's SNS message)."""
    event: dict[str, Any] = {"eventType": kind, "mail": {"messageId": "m1", "tags": {"tenant": [tenant_id]}}}
    if kind == "Bounce":
        event["bounce"] = {
            "bounceType": bounce_type,
            "bouncedRecipients": [{"emailAddress": address, "diagnosticCode": "smtp; 550 5.1.1 user unknown"}],
        }
    else:
        event["complaint"] = {"complainedRecipients": [{"emailAddress": address}], "complaintFeedbackType": "abuse"}
    return event


def _address() -> str:
    return f"Someone.{uuid.uuid4().hex[:8]}@Example.com"


def _admitted(tenant_id: str, address: str) -> bool:
    try:
        outbound_email.admit(tenant_id, address, "e1")
    except DeliveryFailed as failure:
        assert failure.permanent
        return False
    return True


def test_a_hard_bounce_suppresses_the_address_in_its_workspace_only(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    address = _address()
    assert record_feedback(_event("Bounce", workspace.tenant_id, address)) == [address.lower()]
    assert not _admitted(workspace.tenant_id, address.upper())
    from chalicelib.data.suppressions import suppression_of

    assert suppression_of(other_workspace.tenant_id, address) is None


def test_a_complaint_suppresses_and_a_transient_bounce_does_not(api: ApiClient, workspace: Workspace) -> None:
    full_mailbox, complainer = _address(), _address()
    assert record_feedback(_event("Bounce", workspace.tenant_id, full_mailbox, bounce_type="Transient")) == []
    assert record_feedback(_event("Complaint", workspace.tenant_id, complainer)) == [complainer.lower()]
    from chalicelib.data.suppressions import suppression_of

    assert suppression_of(workspace.tenant_id, full_mailbox) is None
    suppressed = suppression_of(workspace.tenant_id, complainer)
    assert suppressed is not None and suppressed.reason == "complaint"


def test_platform_mail_events_without_a_workspace_change_nothing(api: ApiClient) -> None:
    event = _event("Bounce", "", _address())
    event["mail"]["tags"] = {}
    assert record_feedback(event) == []


def test_the_sns_handler_reads_the_published_event(api: ApiClient, workspace: Workspace) -> None:
    from app import email_feedback

    address = _address()

    class Event:
        message = json.dumps(_event("Complaint", workspace.tenant_id, address))

    email_feedback.func(Event())  # type: ignore[attr-defined]
    assert not _admitted(workspace.tenant_id, address)


def test_workspace_mail_goes_with_the_configuration_set_and_its_workspace_tag(aws: None) -> None:
    ses = boto3.client("ses", region_name="us-east-1")
    ses.create_configuration_set(ConfigurationSet={"Name": "pulsedesk-test"})
    sent: list[dict[str, Any]] = []
    client = email._ses()

    def capture(params: dict[str, Any], **_: Any) -> None:
        sent.append(params)

    client.meta.events.register("provide-client-params.ses.SendRawEmail", capture)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "support@pulsedesk.local", "a@example.com", "hi"
    message.set_content("hello")
    with overridden_settings(PULSEDESK_EMAIL_CONFIGURATION_SET="pulsedesk-test"):
        email.send(message, tenant_id="t-123")
        email.send(message)  # the platform's own mail carries no workspace tag
    client.meta.events.unregister("provide-client-params.ses.SendRawEmail", capture)
    assert sent[0]["ConfigurationSetName"] == "pulsedesk-test"
    assert sent[0]["Tags"] == [{"Name": "tenant", "Value": "t-123"}]
    assert "Tags" not in sent[1]


# --- seeing and lifting them ---------------------------------------------------------------------


def _audit_actions(api: ApiClient, workspace: Workspace) -> list[str]:
    return [e["action"] for e in api.get("/audit?limit=20", workspace.token("admin")).body["items"]]


def test_an_admin_lists_suppressed_addresses_and_lifts_one(
    api: ApiClient, workspace: Workspace, other_workspace: Workspace
) -> None:
    # GIVEN an address that bounced and one that complained, and one suppressed in another workspace
    bounced, complainer, elsewhere = _address(), _address(), _address()
    record_feedback(_event("Bounce", workspace.tenant_id, bounced))
    record_feedback(_event("Complaint", workspace.tenant_id, complainer))
    record_feedback(_event("Bounce", other_workspace.tenant_id, elsewhere))
    # WHEN the admin lists them
    reply = api.get("/settings/email/suppressions", workspace.token("admin"))
    # THEN they see their workspace's, with the reason SES gave
    assert reply.status == 200, reply.body
    listed = {i["address"]: i for i in reply.body["items"]}
    assert set(listed) == {bounced.lower(), complainer.lower()}
    assert listed[bounced.lower()]["reason"] == "bounce"
    assert "user unknown" in listed[bounced.lower()]["detail"]
    assert listed[complainer.lower()]["reason"] == "complaint"
    # WHEN they lift the bounce (the customer fixed their mailbox), the @ encoded in the path
    lifted = api.delete(f"/settings/email/suppressions/{bounced.replace('@', '%40')}", workspace.token("admin"))
    # THEN mail goes to that address again, and the log says who did it
    assert lifted.status == 204, lifted.body
    assert _admitted(workspace.tenant_id, bounced)
    assert not _admitted(workspace.tenant_id, complainer)
    assert "email_suppression.lifted" in _audit_actions(api, workspace)
    remaining = api.get("/settings/email/suppressions", workspace.token("admin")).body["items"]
    assert [i["address"] for i in remaining] == [complainer.lower()]


def test_the_suppression_list_pages_with_a_cursor(api: ApiClient, workspace: Workspace) -> None:
    addresses = {_address().lower() for _ in range(3)}
    for address in addresses:
        record_feedback(_event("Bounce", workspace.tenant_id, address))
    first = api.get("/settings/email/suppressions?limit=2", workspace.token("admin")).body
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = api.get(f"/settings/email/suppressions?limit=2&cursor={first['next_cursor']}", workspace.token("admin"))
    assert {i["address"] for i in first["items"] + rest.body["items"]} == addresses


def test_lifting_what_is_not_suppressed_or_is_no_address_changes_nothing(api: ApiClient, workspace: Workspace) -> None:
    missing = api.delete("/settings/email/suppressions/nobody@example.com", workspace.token("admin"))
    assert missing.status == 404
    bad = api.delete("/settings/email/suppressions/not-an-address", workspace.token("admin"))
    assert bad.status == 422 and bad.body["errors"][0]["field"] == "address"
    assert "email_suppression.lifted" not in _audit_actions(api, workspace)


def test_the_ticket_page_learns_its_requester_gets_no_mail(api: ApiClient, workspace: Workspace) -> None:
    # GIVEN a ticket whose requester's mail bounced
    address = _address()
    body = {"subject": "Hi", "description": "Hello", "requester": {"email": address}}
    ticket = api.post("/tickets", body, workspace.token("agent")).body
    fine = api.get(f"/tickets/{ticket['id']}/requester-email", workspace.token("viewer"))
    assert fine.status == 200 and fine.body == {"address": address.lower(), "suppression": None}
    record_feedback(_event("Bounce", workspace.tenant_id, address))
    # WHEN an agent opens it
    seen = api.get(f"/tickets/{ticket['id']}/requester-email", workspace.token("agent"))
    # THEN they are told mail will not arrive, and why
    assert seen.status == 200, seen.body
    assert seen.body["suppression"]["reason"] == "bounce"
    assert api.get("/tickets/nope/requester-email", workspace.token("agent")).status == 404
