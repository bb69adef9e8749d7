"""Email through SES: multipart (plain text + HTML) with the workspace's name and a Reply-To that
names the ticket, so replies can be threaded back into it later."""

from __future__ import annotations

import base64
import os
from email.message import EmailMessage
from email.utils import formataddr
from functools import lru_cache
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.domain.delivery import DeliveryFailed, Job
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.notification_templates import RenderedEmail, render_email, ticket_link
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
    ticket_id = str(event.ticket.get("id") or "")
    link = ticket_link(get_settings().public_base_url, ticket_id) if ticket_id else ""
    workspace = str(job.extra.get("workspace") or "Pulsedesk")
    rendered = render_email(str(job.extra["template"]), workspace, event, link, job.extra)
    reply_to = reply_to_address(job.tenant_id, ticket_id) if ticket_id else None
    message_id = send(
        str(job.extra["email"]), str(job.extra.get("name") or ""), workspace, rendered, reply_to, event.id
    )
    return {"channel": "email", "message_id": message_id}


def send(
    to_email: str, to_name: str, workspace: str, rendered: RenderedEmail, reply_to: str | None, event_id: str
) -> str:
    sender = get_settings().email_sender
    message = EmailMessage()
    message["From"] = formataddr((_one_line(f"{workspace} via Pulsedesk"), sender))
    message["To"] = formataddr((_one_line(to_name), to_email))
    message["Subject"] = _one_line(rendered.subject)
    if reply_to:
        message["Reply-To"] = reply_to
    message["X-Pulsedesk-Event"] = event_id
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    try:
        answer = _ses().send_raw_email(Source=sender, RawMessage={"Data": message.as_bytes()})
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        raise DeliveryFailed(f"SES {code}: {error}"[:500], permanent=code in _PERMANENT) from error
    except BotoCoreError as error:
        raise DeliveryFailed(f"SES unreachable: {error}"[:500]) from error
    return str(answer.get("MessageId", ""))


def _one_line(value: str) -> str:
    """Customer text in a header: no line breaks (header injection), bounded length."""
    return " ".join(value.split())[:200]
