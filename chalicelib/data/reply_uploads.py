"""Reply attachments on their way in: the pending-upload records and the presigned S3 POST. The object
key is the one inbound attachments use, so downloads (services/attachments.py) serve both alike."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError
from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys, mail
from chalicelib.data.models import PendingUploadItem


def save_pending(
    tenant_id: str,
    ticket_id: str,
    upload_id: str,
    user_id: str,
    filename: str,
    content_type: str,
    size: int,
    created_at: datetime,
    expires: datetime,
) -> None:
    PendingUploadItem(
        *keys.pending_upload(tenant_id, ticket_id, upload_id),
        tenant_id=tenant_id,
        upload_id=upload_id,
        ticket_id=ticket_id,
        user_id=user_id,
        filename=filename,
        content_type=content_type,
        size=size,
        created_at=created_at,
        expires=expires,
    ).save(condition=PendingUploadItem.pk.does_not_exist())


def get_pending(tenant_id: str, ticket_id: str, upload_id: str) -> PendingUploadItem | None:
    try:
        return PendingUploadItem.get(*keys.pending_upload(tenant_id, ticket_id, upload_id), consistent_read=True)
    except DoesNotExist:
        return None


def presigned_post(
    bucket: str, tenant_id: str, ticket_id: str, upload_id: str, conditions: list[Any], ttl: int, content_type: str
) -> dict[str, Any]:
    """``{"url", "fields"}`` for a browser's multipart POST to S3, valid ``ttl`` seconds for this one key."""
    answer = mail.s3().generate_presigned_post(
        Bucket=bucket,
        Key=mail.attachment_key(tenant_id, ticket_id, upload_id),
        Fields={"Content-Type": content_type},
        Conditions=conditions,
        ExpiresIn=ttl,
    )
    return {"url": str(answer["url"]), "fields": {str(k): str(v) for k, v in answer["fields"].items()}}


def uploaded_size(bucket: str, tenant_id: str, ticket_id: str, upload_id: str) -> int | None:
    """The stored object's size, or None when nothing was uploaded under the key."""
    try:
        answer = mail.s3().head_object(Bucket=bucket, Key=mail.attachment_key(tenant_id, ticket_id, upload_id))
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise
    return int(answer.get("ContentLength") or 0)
