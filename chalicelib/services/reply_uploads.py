"""Starting a reply attachment's upload: checks what the agent declares, remembers it, and hands back
a presigned S3 POST that accepts exactly that file under a key bound to this workspace and ticket."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.contracts.replies import UploadStartedOut
from chalicelib.data import reply_uploads
from chalicelib.data.store import new_id
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.errors import invalid
from chalicelib.domain.principal import Principal
from chalicelib.domain.reply_uploads import UPLOAD_WINDOW_SECONDS, UploadRequest, post_policy_conditions, upload_problem
from chalicelib.services.ticket_reads import existing_ticket
from chalicelib.settings import get_settings


def start_upload(principal: Principal, ticket_id: str, request: UploadRequest) -> UploadStartedOut:
    existing_ticket(principal, ticket_id)
    return presigned_upload(principal.tenant_id, ticket_id, principal.acting_user_id, request)


def presigned_upload(tenant_id: str, ticket_id: str, owner_id: str, request: UploadRequest) -> UploadStartedOut:
    """Checks the declared file against the limits of an inbound email's, remembers it as ``owner_id``'s
    pending upload, and answers the presigned POST (an agent's reply and the portal alike)."""
    settings = get_settings()
    problem = upload_problem(request, settings.inbound_max_attachment_bytes)
    if problem is not None:
        raise invalid(*problem)
    upload_id = new_id()
    now = utcnow()
    expires = now + timedelta(seconds=UPLOAD_WINDOW_SECONDS)
    reply_uploads.save_pending(
        tenant_id, ticket_id, upload_id, owner_id, request.filename, request.content_type, request.size, now, expires
    )
    post = reply_uploads.presigned_post(
        settings.attachments_bucket,
        tenant_id,
        ticket_id,
        upload_id,
        post_policy_conditions(request),
        UPLOAD_WINDOW_SECONDS,
        request.content_type,
    )
    url = (
        f"{settings.attachments_upload_url}/{settings.attachments_bucket}"
        if settings.attachments_upload_url
        else post["url"]
    )
    return UploadStartedOut(
        id=upload_id,
        url=url,
        fields=post["fields"],
        expires_at=to_text(expires),
        max_bytes=settings.inbound_max_attachment_bytes,
    )
