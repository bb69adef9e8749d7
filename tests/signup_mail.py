"""Reading the sign-up link out of the confirmation email, as a person would click it."""

from __future__ import annotations

import re

_LINK = re.compile(r"/sign-up/confirm#token=([A-Za-z0-9_\-]+)")


def token_in(text: str) -> str:
    """The one-time token of the confirmation link in an email's text."""
    found = _LINK.search(text)
    assert found, f"no confirmation link in: {text[:500]}"
    return found.group(1)
