"""Files a requester attaches in the portal: to a reply on one of their requests, or to a new request
before it exists. The same presigned S3 POST as an agent's reply attachment (the key bound to the
workspace, the ticket and a fresh id; the exact type and size pinned by the policy) and the same limits
as an inbound email (per file, per message, how many).

A new request's files are uploaded under the id the request will take (``request_id``, chosen here on
the first file), so the ticket created with that id lists them where downloads look for them.

An upload is the uploader's own: recorded with the requester's contact, and taken only by a message of
that requester on that request, in the same transaction as the message (services/upload_claims.py).

Downloads: only of the caller's own requests, only the request's own files and those of public
messages (never an internal note's), always as a download (services/attachments.py).
"""

from __future__ import annotations

from chalicelib.contracts.portal import PortalUploadStartedOut
from chalicelib.contracts.responses import AttachmentLinkOut
from chalicelib.data import tickets as repo
from chalicelib.data.store import new_id
from chalicelib.domain.errors import NotFound, invalid
from chalicelib.domain.principal import Principal
from chalicelib.domain.reply_uploads import UploadRequest
from chalicelib.services.attachments import link_to
from chalicelib.services.portal_requests import NOT_YOURS, check_workspace, own_ticket, uploader_id
from chalicelib.services.reply_uploads import presigned_upload


def start_reply_upload(
    principal: Principal, slug: str, ticket_id: str, request: UploadRequest
) -> PortalUploadStartedOut:
    own_ticket(principal, slug, ticket_id)
    return _start(principal, ticket_id, request)


def start_request_upload(
    principal: Principal, slug: str, request_id: str | None, request: UploadRequest
) -> PortalUploadStartedOut:
    """A file for a request not sent yet: its first file chooses the request's id, the others name it."""
    check_workspace(principal, slug)
    if request_id is not None and repo.get_ticket(principal.tenant_id, request_id) is not None:
        raise invalid("request_id", "names a request that was already sent; start a new one")
    return _start(principal, request_id or new_id(), request)


def _start(principal: Principal, ticket_id: str, request: UploadRequest) -> PortalUploadStartedOut:
    started = presigned_upload(principal.tenant_id, ticket_id, uploader_id(principal), request)
    return PortalUploadStartedOut(request_id=ticket_id, **started.model_dump())


def download_link(principal: Principal, slug: str, ticket_id: str, attachment_id: str) -> AttachmentLinkOut:
    check_workspace(principal, slug)
    conversation = repo.get_ticket_with_conversation(principal.tenant_id, ticket_id)
    if conversation is None or str(conversation.ticket.requester.get("email", "")).lower() != (principal.email or ""):
        raise NotFound(NOT_YOURS)
    return link_to(principal.tenant_id, conversation, attachment_id, internal=False)
