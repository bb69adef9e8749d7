"""Rules of joining a workspace by invitation that need no AWS: the one-time token, the link and the
email. Like the password reset's, the token names whose invitation it is (``<tenant id><invitation
id><secret>``, the ids as fixed-width hex) and only the secret's hash is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.domain.email_headers import display_name
from chalicelib.domain.notification_templates import RenderedEmail, platform_email

INVITE_SUBJECT = "You are invited to a Pulsedesk workspace"
INVITATION_TTL_SECONDS = 7 * 24 * 3600
_TOKEN = re.compile(r"^([0-9a-f]{32})([0-9a-f]{32})([A-Za-z0-9_-]{32,64})$")


@dataclass(frozen=True)
class InvitationToken:
    tenant_id: str
    invitation_id: str
    secret: str

    def __str__(self) -> str:
        return f"{self.tenant_id}{self.invitation_id}{self.secret}"


def parse_invitation_token(text: str) -> InvitationToken | None:
    found = _TOKEN.match(text)
    return InvitationToken(found.group(1), found.group(2), found.group(3)) if found else None


def invitation_link(public_base_url: str, token: InvitationToken) -> str:
    """In the fragment: browsers never send it to a server or in a Referer."""
    return f"{public_base_url.rstrip('/')}/accept-invitation#token={token}"


def invitation_email(
    inviter: str, workspace_name: str, workspace_slug: str, role: str, link: str, days: int
) -> RenderedEmail:
    inviter, workspace_name = display_name(inviter), display_name(workspace_name)
    lines = [
        "Hello,",
        f'{inviter} invited you to join the Pulsedesk workspace "{workspace_name}" ("{workspace_slug}") as {role}.',
        f"Choose your name and password within {days} days: {link}",
        "If you did not expect this, ignore this email: no account is made until you accept. The link works once.",
    ]
    return platform_email(
        INVITE_SUBJECT, lines, "Accept the invitation", link, closing=f"The link works for {days} days."
    )
