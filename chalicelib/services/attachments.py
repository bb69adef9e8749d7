"""Downloading a file that came with an email: a short-lived presigned S3 link, to people who may
read the ticket, always served as a download of a type a browser will not run."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.contracts.responses import AttachmentLinkOut
from chalicelib.data import mail
from chalicelib.data import tickets as repo
from chalicelib.data.tickets import Conversation
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.errors import NotFound
from chalicelib.domain.permissions import sees_internal_notes
from chalicelib.domain.principal import Principal
from chalicelib.settings import get_settings

# Shown by a browser, never run: raster images only (SVG may hold script, HTML and PDF run code).
SAFE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def served_type(declared: str) -> str:
    return declared if declared in SAFE_TYPES else "application/octet-stream"


def attachment_link(principal: Principal, ticket_id: str, attachment_id: str) -> AttachmentLinkOut:
    found = repo.get_ticket_with_conversation(principal.tenant_id, ticket_id)
    if found is None:
        raise NotFound("No such ticket.")
    return link_to(principal.tenant_id, found, attachment_id, internal=sees_internal_notes(principal.permissions))


def link_to(tenant_id: str, found: Conversation, attachment_id: str, *, internal: bool) -> AttachmentLinkOut:
    """The link to one of the files of the ticket and its public messages (and of its internal notes
    when ``internal``); a 404 for any other id."""
    ticket_id = found.ticket.ticket_id
    readable = [*(found.ticket.attachments or ())]
    for comment in found.comments:
        if comment.public or internal:
            readable += comment.attachments or ()
    attachment = next((a for a in readable if a.get("id") == attachment_id), None)
    if attachment is None:
        raise NotFound("No such attachment on this ticket.")
    settings = get_settings()
    ttl = settings.attachment_url_ttl_seconds
    url = mail.attachment_url(
        settings.attachments_bucket,
        tenant_id,
        ticket_id,
        attachment_id,
        str(attachment["filename"]),
        served_type(str(attachment["content_type"])),
        ttl,
    )
    return AttachmentLinkOut(
        url=url, filename=str(attachment["filename"]), expires_at=to_text(utcnow() + timedelta(seconds=ttl))
    )
