"""Email through SES: multipart (plain text + HTML) with the workspace's name. An email about a ticket
threads both ways: its Reply-To is the ticket's signed ``reply+<token>@`` address, and it carries a
Message-ID of ours (recorded, so a reply's In-Reply-To finds the ticket) plus In-Reply-To and
References naming the ticket's thread, so the customer's mail client groups the conversation.
Every workspace email passes the outbound gate first (``outbound_email.admit``); the sign-up and
password-reset links are the platform's own email (``send_platform_email``)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from functools import lru_cache
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.data import mail
from chalicelib.domain.clock import utcnow
from chalicelib.domain.delivery import DeliveryFailed, Job
from chalicelib.domain.email_headers import display_name, plain_header_text, recipient, sender
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.inbound_addresses import reply_address
from chalicelib.domain.notification_templates import RenderedEmail, render_email, ticket_link
from chalicelib.services import csat, outbound_email
from chalicelib.services.email_feedback import TENANT_TAG
from chalicelib.settings import get_settings

# SES answers these for a message that will never be accepted as it is; anything else is retried.
_PERMANENT = {"MessageRejected", "MailFromDomainNotVerifiedException", "InvalidParameterValue"}


@lru_cache(maxsize=4)
def _ses_client(endpoint: str | None, region: str | None) -> Any:
    import boto3  # loaded with the first client: most requests never make one

    return boto3.client("ses", region_name=region)


def _ses() -> Any:
    return _ses_client(os.environ.get("AWS_ENDPOINT_URL_SES"), os.environ.get("AWS_DEFAULT_REGION"))


def reply_to_address(tenant_id: str, ticket_number: int) -> str:
    """The ticket's signed reply address (see domain/inbound_addresses.py)."""
    settings = get_settings()
    return reply_address(settings.reply_token_key, tenant_id, ticket_number, settings.inbound_domain)


def new_message_id(prefix: str = "") -> str:
    return f"<{prefix}{uuid.uuid4().hex}@{get_settings().inbound_domain}>"


def thread_id(ticket_id: str) -> str:
    """The id every email about one ticket refers to, so mail clients thread them together."""
    return f"<ticket-{ticket_id}@{get_settings().inbound_domain}>"


@dataclass(frozen=True)
class Threading:
    message_id: str
    reply_to: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()


def send_job(job: Job) -> dict[str, Any]:
    event = DomainEvent.from_dict(job.event)
    to_email = str(job.extra["email"])
    outbound_email.admit(job.tenant_id, to_email, event.id)
    ticket_id = str(event.ticket.get("id") or "")
    link = ticket_link(get_settings().public_base_url, ticket_id) if ticket_id else ""
    # the name goes into the subject and the body as well as the sender: plain text everywhere
    workspace = display_name(str(job.extra.get("workspace") or "")) or "Pulsedesk"
    extra = dict(job.extra)
    if job.extra.get("template") == "solved" and ticket_id:
        extra["survey"] = csat.survey_links(job.tenant_id, ticket_id, utcnow())
    rendered = render_email(str(job.extra["template"]), workspace, event, link, extra)
    number = event.ticket.get("number")
    threading = Threading(new_message_id())
    if ticket_id and isinstance(number, int):
        root = thread_id(ticket_id)
        threading = Threading(threading.message_id, reply_to_address(job.tenant_id, number), root, (root,))
    message = build_message(
        sender(workspace, get_settings().email_sender),
        recipient(str(job.extra.get("name") or ""), to_email),
        rendered,
        threading,
        event.id,
    )
    if job.extra.get("template") == "public_reply" and event.comment is not None:
        _add_reply_extras(message, job.tenant_id, ticket_id, event.comment, event.id)
    ses_id = send(message, tenant_id=job.tenant_id)
    if ticket_id and isinstance(number, int):
        mail.record_outbound(
            job.tenant_id,
            [threading.message_id, *threading.references, *ses_message_ids(ses_id)],
            ticket_id,
            number,
            utcnow(),
        )
    return {"channel": "email", "message_id": ses_id}


def _add_reply_extras(
    message: EmailMessage, tenant_id: str, ticket_id: str, comment: dict[str, Any], event_id: str
) -> None:
    """A public reply's email carries its CC (each address through the same gate as the requester's;
    a held one is left off and recorded) and its attachments (up to the inbound limit of one message;
    the requester has no other way to fetch them)."""
    admitted = []
    for address in comment.get("cc") or ():
        try:
            outbound_email.admit(tenant_id, str(address), event_id)
        except DeliveryFailed:
            continue
        admitted.append(str(address))
    if admitted:
        message["Cc"] = ", ".join(admitted)
    settings = get_settings()
    budget = settings.inbound_max_message_bytes
    for attachment in comment.get("attachments") or ():
        size = int(attachment.get("size") or 0)
        if size > budget:
            continue
        content = mail.read_object(
            settings.attachments_bucket,
            mail.attachment_key(tenant_id, ticket_id, str(attachment["id"])),
            settings.inbound_max_attachment_bytes,
        )
        if content is None:
            continue
        budget -= len(content)
        maintype, _, subtype = str(attachment.get("content_type") or "application/octet-stream").partition("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=str(attachment["filename"]))


def ses_message_ids(ses_id: str) -> list[str]:
    """SES may replace our Message-ID with one built from its own id: a reply then names that."""
    if not ses_id:
        return []
    region = os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    return [f"<{ses_id}@email.amazonses.com>", f"<{ses_id}@{region}.amazonses.com>"]


def build_message(
    from_: Address, to: Address, rendered: RenderedEmail, threading: Threading | None, event_id: str | None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = from_
    message["To"] = to
    message["Subject"] = plain_header_text(rendered.subject)
    message["Message-ID"] = threading.message_id if threading else new_message_id()
    if threading is not None and threading.reply_to:
        message["Reply-To"] = threading.reply_to
    if threading is not None and threading.in_reply_to:
        message["In-Reply-To"] = threading.in_reply_to
    if threading is not None and threading.references:
        message["References"] = " ".join(threading.references)
    # RFC 3834: an automatic answer to this email is no answer at all
    message["Auto-Submitted"] = "auto-generated"
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
