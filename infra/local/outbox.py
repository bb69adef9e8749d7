"""What SES was asked to send, read back from moto server, as a list a person or a test can read."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any

_HTML_TAG = re.compile(r"<[a-zA-Z][^>]*>")
THREADING_HEADERS = ("Message-ID", "In-Reply-To", "References", "Reply-To", "Auto-Submitted")


def outbox_from_moto_data(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Normalise moto's SES section (``/_local/ses/sent`` or ``/moto-api/data.json``) to
    ``[{to, cc, bcc, from, subject, text, html}]``;
    raw messages also carry their threading headers (``headers``: Message-ID, In-Reply-To, References,
    Reply-To, Auto-Submitted)."""
    ses = data.get("ses", {})
    emails = [_simple_message(message) for message in ses.get("Message", [])]
    emails += [_raw_message(message) for message in ses.get("RawMessage", [])]
    emails += [_template_message(message) for message in ses.get("TemplateMessage", [])]
    return emails


def _simple_message(message: Mapping[str, Any]) -> dict[str, Any]:
    """moto keeps one body: the HTML part when the message had one, else the text part."""
    body: str = message.get("body") or ""
    is_html = bool(_HTML_TAG.search(body))
    destinations = message.get("destinations") or {}
    return {
        "id": message.get("id"),
        "kind": "simple",
        "from": message.get("source"),
        "to": destinations.get("ToAddresses", []),
        "cc": destinations.get("CcAddresses", []),
        "bcc": destinations.get("BccAddresses", []),
        "subject": message.get("subject"),
        "text": None if is_html else body,
        "html": body if is_html else None,
    }


def _raw_message(message: Mapping[str, Any]) -> dict[str, Any]:
    parsed = email.message_from_string(message.get("raw_data") or "", policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return {
        "id": message.get("id"),
        "kind": "raw",
        "from": message.get("source") or parsed.get("From"),
        "to": _addresses(parsed, "To") or list(dict.fromkeys(message.get("destinations") or [])),
        "cc": _addresses(parsed, "Cc"),
        "bcc": [],
        "subject": parsed.get("Subject"),
        "text": _part(parsed, "plain"),
        "html": _part(parsed, "html"),
        "attachments": [part.get_filename() or "" for part in parsed.iter_attachments()],
        "headers": {name: " ".join(str(parsed[name]).split()) for name in THREADING_HEADERS if name in parsed},
    }


def _template_message(message: Mapping[str, Any]) -> dict[str, Any]:
    destinations = message.get("destinations") or {}
    return {
        "id": message.get("id"),
        "kind": "template",
        "from": message.get("source"),
        "to": destinations.get("ToAddresses", []),
        "cc": destinations.get("CcAddresses", []),
        "bcc": destinations.get("BccAddresses", []),
        "subject": None,
        "text": None,
        "html": None,
        "template": message.get("template"),
        "template_data": message.get("template_data"),
    }


def _addresses(parsed: EmailMessage, header: str) -> list[str]:
    value = parsed.get(header)
    return [address.addr_spec for address in value.addresses] if value is not None else []


def _part(parsed: EmailMessage, subtype: str) -> str | None:
    part = parsed.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return None
    content = part.get_content()
    return content if isinstance(content, str) else None
