"""Taking uploaded files into a message: which pending uploads a message may name, and what it lists.

Shared by every message that carries uploads. The message's commit deletes the pending records in its
own transaction (``ticket_changes.commit`` with ``Consume``), so a file is taken exactly when the message
is written: two messages cannot both take it, and a message that fails leaves it for the next try.
"""

from __future__ import annotations

from chalicelib.data import reply_uploads
from chalicelib.data.models import PendingUploadItem
from chalicelib.domain.errors import invalid
from chalicelib.domain.ticket_change import AttachmentRef
from chalicelib.settings import get_settings


def pending_uploads(
    tenant_id: str, ticket_id: str, upload_ids: tuple[str, ...], owner_id: str, max_total_bytes: int
) -> tuple[PendingUploadItem, ...]:
    """The named uploads, each started by ``owner_id`` for this ticket and not taken yet, at most
    ``max_total_bytes`` together; a 422 naming ``attachments`` otherwise. Read by every attempt of the
    message: what it spends must still be there."""
    if len(set(upload_ids)) != len(upload_ids):
        raise invalid("attachments", "names the same file twice")
    found = []
    for upload_id in upload_ids:
        item = reply_uploads.get_pending(tenant_id, ticket_id, upload_id)
        if item is None or item.user_id != owner_id:
            raise invalid("attachments", f"names an upload that does not exist or has expired: {upload_id}")
        found.append(item)
    if sum(int(item.size) for item in found) > max_total_bytes:
        raise invalid("attachments", f"may hold at most {max_total_bytes} bytes together")
    return tuple(found)


def check_stored(tenant_id: str, items: tuple[PendingUploadItem, ...]) -> None:
    """Every file is in S3 with the size it declared (checked once per message: objects stay)."""
    bucket = get_settings().attachments_bucket
    for item in items:
        size = reply_uploads.uploaded_size(bucket, tenant_id, str(item.ticket_id), str(item.upload_id))
        if size is None or size != int(item.size):
            raise invalid("attachments", f"names a file that was not uploaded (yet): {item.filename}")


def attachment_refs(items: tuple[PendingUploadItem, ...]) -> tuple[AttachmentRef, ...]:
    return tuple(
        AttachmentRef(str(item.upload_id), str(item.filename), str(item.content_type), int(item.size), False)
        for item in items
    )
