"""Email's storage: raw inbound messages and attachments in S3, and in the main table the
Message-ID records (inbound idempotency markers, outbound ids), ticket numbers and additional
support addresses. Every function takes the tenant first where there is one."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from botocore.config import Config
from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys
from chalicelib.data.models import InboundAddressItem, MailRecordItem, TicketItem, TicketNumberItem
from chalicelib.data.store import transaction
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.clock import utcnow

INBOUND_RECORD_DAYS = 400  # a redelivery or a late duplicate is recognised for this long
OUTBOUND_RECORD_DAYS = 400  # replies to older emails still thread by the reply address or subject tag


@lru_cache(maxsize=4)
def _s3_client(endpoint: str | None, region: str | None) -> Any:
    # SigV4: presigned links carry their own lifetime (X-Amz-Expires) and work with KMS-encrypted objects
    import boto3  # loaded with the first client: most requests never make one

    return boto3.client("s3", region_name=region, config=Config(signature_version="s3v4"))


def s3() -> Any:
    return _s3_client(
        os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"),
        os.environ.get("AWS_DEFAULT_REGION"),
    )


# --- S3 --------------------------------------------------------------------------------------------


def read_object(bucket: str, key: str, max_bytes: int) -> bytes | None:
    """The object's bytes, or None when it is larger than ``max_bytes`` (never read whole then)."""
    answer = s3().get_object(Bucket=bucket, Key=key)
    if int(answer.get("ContentLength") or 0) > max_bytes:
        answer["Body"].close()
        return None
    return bytes(answer["Body"].read())


def attachment_key(tenant_id: str, ticket_id: str, attachment_id: str) -> str:
    return f"{tenant_id}/tickets/{ticket_id}/attachments/{attachment_id}"


def store_attachment(bucket: str, tenant_id: str, ticket_id: str, attachment_id: str, content: bytes) -> None:
    """Stored as opaque bytes: the type a download is served with is chosen when it is served."""
    s3().put_object(
        Bucket=bucket,
        Key=attachment_key(tenant_id, ticket_id, attachment_id),
        Body=content,
        ContentType="application/octet-stream",
        ServerSideEncryption="AES256",
    )


def attachment_url(
    bucket: str, tenant_id: str, ticket_id: str, attachment_id: str, filename: str, content_type: str, ttl: int
) -> str:
    """A short-lived GET URL whose answer is always a download of the given (harmless) type."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    quoted = quote(filename, safe="")
    return str(
        s3().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": bucket,
                "Key": attachment_key(tenant_id, ticket_id, attachment_id),
                "ResponseContentDisposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quoted}",
                "ResponseContentType": content_type,
            },
            ExpiresIn=ttl,
        )
    )


# --- Message-ID records ----------------------------------------------------------------------------


def inbound_marker(
    tenant_id: str, message_id: str, ticket_id: str, ticket_number: int, comment_id: str | None
) -> MailRecordItem:
    """The marker an inbound message's ticket or comment is written with (only if none exists)."""
    now = utcnow()
    return MailRecordItem(
        *keys.mail_record(tenant_id, message_id, "IN"),
        tenant_id=tenant_id,
        message_id=message_id[:1000],
        ticket_id=ticket_id,
        ticket_number=ticket_number,
        comment_id=comment_id,
        at=now,
        expires=now + timedelta(days=INBOUND_RECORD_DAYS),
    )


def get_mail_record(tenant_id: str, message_id: str, direction: str) -> MailRecordItem | None:
    try:
        return MailRecordItem.get(*keys.mail_record(tenant_id, message_id, direction))
    except DoesNotExist:
        return None


def record_outbound(
    tenant_id: str, message_ids: list[str], ticket_id: str | None, ticket_number: int | None, at: datetime
) -> None:
    """What a reply's In-Reply-To/References will name: the ids an email we sent carries (one BatchWriteItem
    for them all: an email names three or four)."""
    # one item per key: a batch refuses two writes of the same item
    by_key = {keys.mail_record(tenant_id, message_id, "OUT"): message_id for message_id in message_ids}
    with MailRecordItem.batch_write() as batch:
        for key, message_id in by_key.items():
            batch.save(
                MailRecordItem(
                    *key,
                    tenant_id=tenant_id,
                    message_id=message_id[:1000],
                    ticket_id=ticket_id,
                    ticket_number=ticket_number,
                    at=at,
                    expires=at + timedelta(days=OUTBOUND_RECORD_DAYS),
                )
            )


# --- tickets by number -----------------------------------------------------------------------------


def ticket_by_number(tenant_id: str, number: int) -> TicketItem | None:
    try:
        ticket_id = TicketNumberItem.get(*keys.ticket_number(tenant_id, number)).ticket_id
    except DoesNotExist:
        return None
    try:
        return TicketItem.get(keys.ticket(tenant_id, ticket_id), keys.TICKET_SK)
    except DoesNotExist:
        return None


# --- additional support addresses ------------------------------------------------------------------


def list_addresses(tenant_id: str) -> list[InboundAddressItem]:
    return list(InboundAddressItem.query(keys.inbound_addresses(tenant_id)))


def get_address(tenant_id: str, name: str) -> InboundAddressItem | None:
    try:
        return InboundAddressItem.get(keys.inbound_addresses(tenant_id), name)
    except DoesNotExist:
        return None


def address_item(tenant_id: str, address_id: str, name: str, queue: str, created_by: str) -> InboundAddressItem:
    return InboundAddressItem(
        keys.inbound_addresses(tenant_id),
        name,
        tenant_id=tenant_id,
        address_id=address_id,
        name=name,
        queue=queue,
        created_by=created_by,
        created_at=utcnow(),
    )


def create_address(address: InboundAddressItem, audit: AuditEntry) -> None:
    """Raises TransactionConflict when the name is taken."""
    with transaction(address.tenant_id, audit) as tx:
        tx.save(address, condition=InboundAddressItem.pk.does_not_exist())


def delete_address(address: InboundAddressItem, audit: AuditEntry) -> None:
    with transaction(address.tenant_id, audit) as tx:
        tx.delete(address, condition=InboundAddressItem.pk.exists())
