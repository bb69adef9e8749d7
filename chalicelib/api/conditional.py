"""Conditional reads (RFC 9110 §8.8.3, §13.1.2): a strong ``ETag`` made from the exact bytes of an answer,
and ``If-None-Match`` answered with 304 and no body when the caller already holds those bytes.

The tag is a hash of the body the caller would get, so it is per caller by construction: a viewer, whose
answer hides internal notes, never shares a tag with an agent reading the same ticket unless the bytes are the
same. Answers still carry ``Cache-Control: no-store`` (no cache, private or shared, keeps them); the client
keeps its own copy and revalidates it. ``Vary: Authorization`` says the answer depends on the caller, for any
cache that would otherwise ignore ``no-store``.
"""

from __future__ import annotations

import hashlib
import re

# One entity tag of a list (`W/` allowed, ignored by the weak comparison If-None-Match uses)
_TAG = re.compile(r'\s*(?:W/)?("[\x21\x23-\x7e]*")\s*(?:,|$)')
# Any printable value of reasonable length is accepted: one that names no tag we could have sent (unquoted,
# malformed) simply matches nothing, so the whole answer is sent, as RFC 9110 lets a server do.
IF_NONE_MATCH_PATTERN = r"^[ -~]{0,2048}$"
VARY = "Authorization"


def entity_tag(body: bytes) -> str:
    """A strong validator: equal bytes, equal tag; 128 bits of BLAKE2b."""
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def none_match(if_none_match: str | None, tag: str) -> bool:
    """False when ``If-None-Match`` names ``tag`` (or is ``*``): the caller's copy is current."""
    if if_none_match is None:
        return True
    if if_none_match.strip() == "*":
        return False
    return tag not in _TAG.findall(if_none_match)
