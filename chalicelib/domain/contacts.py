"""Requesters as people: the rules of a contact record that need no AWS.

A contact is keyed by the hash of its lower-cased address, so every writer (the stream, the portal,
the web form) finds the same record without a lookup, and the id in a URL names no address.
"""

from __future__ import annotations

import hashlib

# Addresses at these domains belong to no organisation: the domain says nothing about the employer.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "web.de",
        "mail.com",
        "yandex.com",
        "zoho.com",
    }
)
MAX_NAME_KEY = 80  # characters of a name kept in the name index's sort key


def normalised_email(email: str) -> str:
    return email.strip().lower()


def contact_id(email: str) -> str:
    return hashlib.sha256(normalised_email(email).encode()).hexdigest()[:32]


def organisation(email: str) -> str | None:
    """The organisation an address speaks for: its domain, unless that is a free-mail provider."""
    _, at, domain = normalised_email(email).rpartition("@")
    if not at or not domain or domain in FREE_MAIL_DOMAINS:
        return None
    return domain


def name_key(name: str) -> str:
    """The name as searched: lower-cased, spaces folded (a prefix of it finds the contact)."""
    return " ".join(name.lower().split())[:MAX_NAME_KEY]
