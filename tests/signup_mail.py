"""Reading the sign-up and password-reset links out of their emails, as a person would click them."""

from __future__ import annotations

import re

_LINK = re.compile(r"/sign-up/confirm#token=([A-Za-z0-9_\-]+)")


def token_in(text: str) -> str:
    """The one-time token of the confirmation link in an email's text."""
    found = _LINK.search(text)
    assert found, f"no confirmation link in: {text[:500]}"
    return found.group(1)


_RESET_LINK = re.compile(r"/reset-password#token=([A-Za-z0-9_\-]+)")


def reset_token_in(text: str) -> str:
    """The one-time token of the password-reset link in an email's text."""
    found = _RESET_LINK.search(text)
    assert found, f"no password-reset link in: {text[:500]}"
    return found.group(1)
