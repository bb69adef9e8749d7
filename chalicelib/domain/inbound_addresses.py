"""Which workspace and ticket an inbound address names, and the signed reply addresses we hand
out. Pure code: callers pass the key and the inbound domain in.

A workspace's support address is ``<slug>@<domain>``; an additional address is
``<slug>+<name>@<domain>`` and maps to a queue; a reply address is ``reply+<token>@<domain>``
where the token carries the tenant, the ticket number and an HMAC over both, so it cannot be
guessed, altered, or replayed on another workspace's ticket. ``reply`` is a reserved slug, and a
workspace slug never holds ``+``, so the three forms never collide.

The token is the tenant id (16 bytes), the ticket number (variable-length, 1-5 bytes) and the
first 10 bytes (80 bits) of the HMAC, in lower-case base32: at most 50 characters, so the local
part stays within SMTP's 64.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

REPLY_LOCAL = "reply"
MAC_BYTES = 10
ADDRESS_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?$")
_SUBJECT_TAG = re.compile(r"\[#(\d{1,9})\]")


@dataclass(frozen=True)
class WorkspaceAddress:
    slug: str
    name: str | None  # None: the workspace's main support address


@dataclass(frozen=True)
class ReplyAddress:
    tenant_id: str
    ticket_number: int


@dataclass(frozen=True)
class BadReplyToken:
    """A ``reply+`` address whose token does not verify (forged, altered, truncated)."""

    token: str


Destination = WorkspaceAddress | ReplyAddress | BadReplyToken


def support_address(slug: str, domain: str, name: str | None = None) -> str:
    return f"{slug}+{name}@{domain}" if name else f"{slug}@{domain}"


def reply_address(key: bytes, tenant_id: str, ticket_number: int, domain: str) -> str:
    return f"{REPLY_LOCAL}+{reply_token(key, tenant_id, ticket_number)}@{domain}"


def reply_token(key: bytes, tenant_id: str, ticket_number: int) -> str:
    body = bytes.fromhex(tenant_id) + _varint(ticket_number)
    mac = hmac.new(key, b"reply\0" + body, hashlib.sha256).digest()[:MAC_BYTES]
    return base64.b32encode(body + mac).decode().rstrip("=").lower()


def read_reply_token(key: bytes, token: str) -> ReplyAddress | None:
    """The tenant and ticket a token names, or None when it does not verify."""
    try:
        data = base64.b32decode(token.upper() + "=" * (-len(token) % 8))
    except ValueError:
        return None
    if len(data) < 16 + 1 + MAC_BYTES or base64.b32encode(data).decode().rstrip("=").lower() != token.lower():
        return None  # too short, or not the one spelling we issue (the last character's spare bits)
    body, mac = data[:-MAC_BYTES], data[-MAC_BYTES:]
    expected = hmac.new(key, b"reply\0" + body, hashlib.sha256).digest()[:MAC_BYTES]
    if not hmac.compare_digest(mac, expected):
        return None
    number = _read_varint(body[16:])
    return ReplyAddress(body[:16].hex(), number) if number is not None else None


def destination(address: str, domain: str, key: bytes) -> Destination | None:
    """What an address of ours names; None for an address on another domain or of no valid form."""
    local, at, host = address.strip().lower().rpartition("@")
    if not at or host != domain.lower() or not local:
        return None
    base, plus, detail = local.partition("+")
    if base == REPLY_LOCAL and plus:
        found = read_reply_token(key, detail)
        return found if found is not None else BadReplyToken(detail)
    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", base) or base == REPLY_LOCAL:
        return None
    if plus:
        return WorkspaceAddress(base, detail) if ADDRESS_NAME.match(detail) else None
    return WorkspaceAddress(base, None)


def subject_ticket_number(subject: str) -> int | None:
    """The ``[#123]`` tag our emails' subjects carry (the last one, if a subject grew several)."""
    found = _SUBJECT_TAG.findall(subject)
    return int(found[-1]) if found else None


def _varint(number: int) -> bytes:
    if number < 0:
        raise ValueError("a ticket number is positive")
    out = bytearray()
    while True:
        byte, number = number & 0x7F, number >> 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _read_varint(data: bytes) -> int | None:
    number = 0
    for index, byte in enumerate(data):
        number |= (byte & 0x7F) << (7 * index)
        if not byte & 0x80:
            return number if index == len(data) - 1 else None
    return None
