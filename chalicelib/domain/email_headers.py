"""Customer text (a workspace's name, a ticket's subject) as plain text in email headers.

A workspace named ``PayPal <security@paypal.example>\\r\\nBcc: victim@example.com`` must give a
sender that reads as a name and nothing else: no second header (line breaks), no address of its
own (angle brackets, ``@`` pairs inside quotes), no quote that ends the display name early, no
invisible or direction-changing characters that make one name look like another.
"""

from __future__ import annotations

import unicodedata
from email.headerregistry import Address

MAX_DISPLAY_NAME = 78
MAX_SUBJECT = 200

# Characters that end or escape a display name, or make text in it read as an address.
_STRUCTURAL = str.maketrans({c: " " for c in '<>"\\@'})


def plain_header_text(value: str, limit: int = MAX_SUBJECT) -> str:
    """One line of visible text: control and format characters (line breaks, NUL, bidi overrides,
    zero-width joiners) become spaces, runs of space collapse, and the result is bounded."""
    visible = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in value)
    return " ".join(visible.split())[:limit].strip()


def display_name(value: str) -> str:
    """Text fit to be the name part of ``Name <address>``: plain, and without the characters that
    could close the name or smuggle an address into it."""
    return " ".join(plain_header_text(value, 10 * MAX_DISPLAY_NAME).translate(_STRUCTURAL).split())[
        :MAX_DISPLAY_NAME
    ].strip()


def sender(workspace_name: str, address: str) -> Address:
    """``"<workspace> via Pulsedesk" <sender>``; the address is always the platform's own."""
    name = display_name(workspace_name) or "Pulsedesk"
    return Address(display_name=f"{name} via Pulsedesk", addr_spec=address)


def recipient(name: str, address: str) -> Address:
    return Address(display_name=display_name(name), addr_spec=address)
