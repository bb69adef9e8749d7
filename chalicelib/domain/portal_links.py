"""The customer portal's emailed links (sign-in, and the web form's confirmation): token shape,
links and wording. Pure code.

A token names its link (``<tenant id><link id><secret>``, the ids as fixed-width hex) so the stored
link lives in the tenant's partition; only the secret's hash is stored, and the link is spent by a
conditional delete, so it opens once. It rides in the URL's fragment, which browsers never send to a
server or in a Referer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from chalicelib.domain.email_headers import display_name
from chalicelib.domain.notification_templates import RenderedEmail, platform_email

LinkPurpose = Literal["sign_in", "web_request"]
_TOKEN = re.compile(r"^([0-9a-f]{32})([0-9a-f]{32})([A-Za-z0-9_-]{32,64})$")
USED_OR_EXPIRED = "This link has expired or was already used. Ask for a new one."


@dataclass(frozen=True)
class LinkToken:
    tenant_id: str
    link_id: str
    secret: str

    def __str__(self) -> str:
        return f"{self.tenant_id}{self.link_id}{self.secret}"


def parse_link_token(text: str) -> LinkToken | None:
    found = _TOKEN.match(text)
    return LinkToken(found.group(1), found.group(2), found.group(3)) if found else None


def portal_link(base_url: str, slug: str, purpose: LinkPurpose, token: LinkToken) -> str:
    page = "sign-in" if purpose == "sign_in" else "confirm"
    return f"{base_url.rstrip('/')}/portal/{slug}/{page}#token={token}"


def sign_in_email(workspace_name: str, link: str, minutes: int) -> RenderedEmail:
    name = display_name(workspace_name)
    lines = [
        "Hello,",
        f'someone (we hope you) asked to sign in to the support portal of "{name}" with this address.',
        f"Sign in within {minutes} minutes: {link}",
        "If it was not you, ignore this email: nobody can sign in without the link. It works once.",
    ]
    return platform_email(
        f"Sign in to {name} support"[:120], lines, "Sign in", link, closing=f"The link works for {minutes} minutes."
    )


def web_request_email(workspace_name: str, subject: str, link: str, hours: int) -> RenderedEmail:
    """The request's subject is the sender's own text: shown in the body as escaped plain text only."""
    name = display_name(workspace_name)
    lines = [
        "Hello,",
        f'a request "{display_name(subject)[:200]}" was written to "{name}" support with this address. '
        "It is sent once you confirm.",
        f"Confirm within {hours} hours: {link}",
        "If it was not you, ignore this email and nothing is sent.",
    ]
    return platform_email(
        f"Confirm your request to {name} support"[:120],
        lines,
        "Confirm and send the request",
        link,
        closing=f"The link works once, for {hours} hours.",
    )


def portal_status(status: str) -> Literal["open", "solved"]:
    """What a customer sees: the team's working states are all "open"."""
    return "solved" if status in ("solved", "closed") else "open"


OPEN_STATUSES = ("new", "open", "pending", "on_hold")
SOLVED_STATUSES = ("solved", "closed")
