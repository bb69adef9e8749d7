"""Rules of the "forgot password" flow that need no AWS: the shape of the one-time token, the link
and the wording of the email.

The token names whose reset it is (``<tenant id><user id><secret>``, the ids as fixed-width hex), so
the stored reset lives in the tenant's own partition, one per user: asking again replaces it. Only
the secret's hash is stored; the ids alone open nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.domain.email_headers import display_name
from chalicelib.domain.notification_templates import RenderedEmail, platform_email

RESET_SUBJECT = "Reset your Pulsedesk password"
_TOKEN = re.compile(r"^([0-9a-f]{32})([0-9a-f]{32})([A-Za-z0-9_-]{32,64})$")


@dataclass(frozen=True)
class ResetToken:
    tenant_id: str
    user_id: str
    secret: str

    def __str__(self) -> str:
        return f"{self.tenant_id}{self.user_id}{self.secret}"


def parse_reset_token(text: str) -> ResetToken | None:
    """The parts of a token as emailed, or None for anything else."""
    found = _TOKEN.match(text)
    return ResetToken(found.group(1), found.group(2), found.group(3)) if found else None


def reset_link(public_base_url: str, token: ResetToken) -> str:
    """In the fragment, as the sign-up link: browsers never send it to a server or in a Referer."""
    return f"{public_base_url.rstrip('/')}/reset-password#token={token}"


def reset_email(name: str, workspace_name: str, workspace_slug: str, link: str, minutes: int) -> RenderedEmail:
    """A fixed subject, and the workspace named only in the body as plain text."""
    name, workspace_name = display_name(name), display_name(workspace_name)
    lines = [
        f"Hello {name},",
        f'someone (we hope you) asked to reset your password for the Pulsedesk workspace "{workspace_name}" '
        f'("{workspace_slug}").',
        f"Choose a new password within {minutes} minutes: {link}",
        "If it was not you, ignore this email: your password stays as it is. The link works once.",
    ]
    return platform_email(
        RESET_SUBJECT, lines, "Choose a new password", link, closing=f"The link works for {minutes} minutes."
    )
