"""Email through SES: multipart (plain text + HTML) with the workspace's name and a Reply-To that
names the ticket, so replies can be threaded back into it later. Every workspace email passes the
outbound gate first (``outbound_email.admit``); the sign-up and password-reset links are the
platform's own email (``send_platform_email``)."""

from __future__ import annotations

import base64
import os
from email.headerregistry import Address
from email.message import EmailMessage
from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.domain.delivery import DeliveryFailed, Job
from chalicelib.domain.email_headers import display_name, plain_header_text, recipient, sender
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.notification_templates import RenderedEmail, render_email, ticket_link
from chalicelib.services import outbound_email
from chalicelib.services.email_feedback import TENANT_TAG
from chalicelib.settings import get_settings

# SES answers these for a message that will never be accepted as it is; anything else is retried.
_PERMANENT = {"MessageRejected", "MailFromDomainNotVerifiedException", "InvalidParameterValue"}


@lru_cache(maxsize=4)
def _ses_client(endpoint: str | None, region: str | None) -> Any:
    return boto3.client("ses", region_name=region)


def _ses() -> Any:
    return _ses_client(os.environ.get("AWS_ENDPOINT_URL_SES"), os.environ.get("AWS_DEFAULT_REGION"))


def reply_to_address(tenant_id: str, ticket_id: str) -> str:
    """``reply+<tenant>.<ticket>@domain``, the ids in base32 so the local part stays within SMTP's
    64 characters; an inbound handler can route a reply to its ticket."""
    settings = get_settings()
    domain = settings.email_reply_to_domain or settings.email_sender.partition("@")[2]
    return f"reply+{_compact(tenant_id)}.{_compact(ticket_id)}@{domain}"


def _compact(hex_id: str) -> str:
    try:
        return base64.b32encode(bytes.fromhex(hex_id)).decode().rstrip("=").lower()
    except ValueError:
        return hex_id


def send_job(job: Job) -> dict[str, Any]:
    event = DomainEvent.from_dict(job.event)
    to_email = str(job.extra["email"])
    outbound_email.admit(job.tenant_id, to_email, event.id)
    ticket_id = str(event.ticket.get("id") or "")
    link = ticket_link(get_settings().public_base_url, ticket_id) if ticket_id else ""
    # the name goes into the subject and the body as well as the sender: plain text everywhere
    workspace = display_name(str(job.extra.get("workspace") or "")) or "Pulsedesk"
    rendered = render_email(str(job.extra["template"]), workspace, event, link, job.extra)
    reply_to = reply_to_address(job.tenant_id, ticket_id) if ticket_id else None
    message = build_message(
        sender(workspace, get_settings().email_sender),
        recipient(str(job.extra.get("name") or ""), to_email),
        rendered,
        reply_to,
        event.id,
    )
    return {"channel": "email", "message_id": send(message, tenant_id=job.tenant_id)}


def build_message(
    from_: Address, to: Address, rendered: RenderedEmail, reply_to: str | None, event_id: str | None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = from_
    message["To"] = to
    message["Subject"] = plain_header_text(rendered.subject)
    if reply_to:
        message["Reply-To"] = reply_to
    if event_id:
        message["X-Pulsedesk-Event"] = event_id
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


def send(message: EmailMessage, tenant_id: str | None = None) -> str:
    """``tenant_id`` tags a workspace's mail, so SES's bounce and complaint events find its suppression list."""
    settings = get_settings()
    options: dict[str, Any] = {}
    if settings.email_configuration_set:
        options["ConfigurationSetName"] = settings.email_configuration_set
    if tenant_id:
        options["Tags"] = [{"Name": TENANT_TAG, "Value": tenant_id}]
    try:
        answer = _ses().send_raw_email(Source=settings.email_sender, RawMessage={"Data": message.as_bytes()}, **options)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        raise DeliveryFailed(f"SES {code}: {error}"[:500], permanent=code in _PERMANENT) from error
    except BotoCoreError as error:
        raise DeliveryFailed(f"SES unreachable: {error}"[:500]) from error
    return str(answer.get("MessageId", ""))


def send_platform_email(to_email: str, to_name: str, rendered: RenderedEmail) -> str:
    """The platform's own email (not a workspace's), from "Pulsedesk": only ever to an address whose
    owner is proving it (sign-up confirmation, password reset), so it needs no outbound gate."""
    settings = get_settings()
    message = build_message(
        Address(display_name="Pulsedesk", addr_spec=settings.email_sender),
        recipient(to_name, to_email),
        rendered,
        None,
        None,
    )
    return send(message)
