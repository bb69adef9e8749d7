"""What the inbound email API tests share: building a message, storing it where SES would, and
invoking the app's S3 handler on it."""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from typing import Any

import boto3

from tests.events.s3 import object_created_event


def inbound_domain() -> str:
    from chalicelib.settings import get_settings

    return get_settings().inbound_domain


def support_address(slug: str, name: str | None = None) -> str:
    return f"{slug}+{name}@{inbound_domain()}" if name else f"{slug}@{inbound_domain()}"


def message(
    to: str,
    sender: str = "Ada Customer <ada@customer.example>",
    subject: str = "Printer on fire",
    body: str = "It is on fire. Please help.",
    message_id: str | None = None,
    **headers: str,
) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Message-ID"] = message_id or f"<{uuid.uuid4().hex}@customer.example>"
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(body)
    return mail


def deliver(api: Any, *raw: bytes | EmailMessage) -> dict[str, Any]:
    """Stores each message under ``raw/`` of the inbound bucket and hands the app one S3 event for
    all of them; returns the handler's answer."""
    from chalicelib.settings import get_settings

    bucket = get_settings().inbound_bucket
    s3 = boto3.client("s3", region_name="us-east-1")
    keys = []
    for item in raw:
        key = f"raw/{uuid.uuid4().hex}"
        s3.put_object(Bucket=bucket, Key=key, Body=item.as_bytes() if isinstance(item, EmailMessage) else item)
        keys.append(key)
    answer = api.chalice.lambda_.invoke("inbound_email", object_created_event(bucket, *keys))
    return dict(answer.payload)
