"""Secrets shown back to admins: enough to recognise, never enough to use."""

from __future__ import annotations

from urllib.parse import urlsplit


def mask(secret: str | None, keep: int = 4) -> str | None:
    """``xoxb-…a1b2`` or ``https://hooks.slack.com/…a1b2``: enough to recognise, never enough to use."""
    if not secret:
        return None
    if "://" in secret:
        parts = urlsplit(secret)
        prefix = f"{parts.scheme}://{parts.hostname or ''}/"
    elif "-" in secret[:6]:
        prefix = secret.split("-", 1)[0] + "-"
    else:
        prefix = ""
    return f"{prefix}…{secret[-keep:]}" if len(secret) >= keep * 3 else "…"
