"""The admin's "send a test email": a real email from the platform's sender to the workspace's
support address, through the same outbound path as every email; the inbound path makes a ticket
of it, found again by its Message-ID."""

from __future__ import annotations

import secrets
from email.headerregistry import Address

from chalicelib.contracts.responses import EmailTestSentOut, EmailTestStatusOut
from chalicelib.data import identity, mail
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import NotFound
from chalicelib.domain.inbound_addresses import support_address
from chalicelib.domain.notification_templates import RenderedEmail
from chalicelib.domain.principal import Principal
from chalicelib.services.email import Threading, build_message, send
from chalicelib.settings import get_settings

TEST_PREFIX = "test-"
NOT_SENT = "No test email with this id was sent from this workspace."


def send_test_email(principal: Principal) -> EmailTestSentOut:
    settings = get_settings()
    workspace = identity.get_workspace(principal.tenant_id)
    if workspace is None:
        raise NotFound("No such workspace.")
    to = support_address(workspace.slug, settings.inbound_domain)
    token = f"{TEST_PREFIX}{utcnow().strftime('%Y%m%d%H%M%S')}-{principal.tenant_id[:8]}-{secrets.token_hex(6)}"
    message_id = _message_id(token)
    text = (
        "This is a test email from Pulsedesk. If it became a ticket in your workspace, email in works: "
        "messages sent or forwarded to this address open tickets."
    )
    rendered = RenderedEmail("Pulsedesk test email", text, f"<p>{text}</p>")
    message = build_message(
        Address(display_name="Pulsedesk", addr_spec=settings.email_sender),
        Address(addr_spec=to),
        rendered,
        Threading(message_id),
        None,
    )
    send(message)
    mail.record_outbound(principal.tenant_id, [message_id], None, None, utcnow())
    return EmailTestSentOut(message_id=token)


def test_status(principal: Principal, token: str) -> EmailTestStatusOut:
    if not token.startswith(TEST_PREFIX) or len(token) > 100:
        raise NotFound(NOT_SENT)
    message_id = _message_id(token)
    received = mail.get_mail_record(principal.tenant_id, message_id, "IN")
    if received is not None:
        number = int(received.ticket_number) if received.ticket_number is not None else None
        return EmailTestStatusOut(status="received", ticket_id=received.ticket_id, ticket_number=number)
    if mail.get_mail_record(principal.tenant_id, message_id, "OUT") is None:
        raise NotFound(NOT_SENT)
    return EmailTestStatusOut(status="sent", ticket_id=None, ticket_number=None)


def _message_id(token: str) -> str:
    return f"<{token}@{get_settings().inbound_domain}>"
