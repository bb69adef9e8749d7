"""Rules of sign-up that need no AWS: which workspace addresses nobody may claim, the link and
the wording of the confirmation email."""

from __future__ import annotations

from chalicelib.domain.email_headers import display_name
from chalicelib.domain.notification_templates import RenderedEmail, platform_email

# Addresses that look like the platform's own (a subdomain, a path, a brand) or that a person
# would trust as official. A workspace named one of these could pass for us in a link or a sender.
RESERVED_SLUGS = frozenset(
    {
        "abuse", "account", "accounts", "admin", "administrator", "api", "app", "apps", "assets", "auth",
        "billing", "blog", "cdn", "dashboard", "demo-admin", "dev", "docs", "download", "email", "ftp",
        "help", "helpdesk", "hostmaster", "imap", "info", "internal", "legal", "login", "logout", "mail",
        "marketing", "media", "mx", "news", "noreply", "no-reply", "ns1", "ns2", "official", "ops",
        "owner", "password", "pop", "portal", "postmaster", "privacy", "pulsedesk", "register", "reply", "reset",
        "root", "sales", "security", "security-team", "settings", "signin", "signup", "smtp", "stage",
        "staging", "static", "status", "superuser", "support", "sysadmin", "system", "team", "terms",
        "test", "verify", "webmaster", "webmail", "ws", "www",
    }
)  # fmt: skip


def is_reserved_slug(slug: str) -> bool:
    """Reserved as written, or the platform's name inside it (``pulsedesk-support``)."""
    normalised = slug.strip().lower()
    return normalised in RESERVED_SLUGS or "pulsedesk" in normalised


def confirmation_link(public_base_url: str, token: str) -> str:
    """The token rides in the fragment: browsers never send it to a server, so it stays out of
    access logs, CDN logs and Referer headers; the page posts it to the API itself."""
    return f"{public_base_url.rstrip('/')}/sign-up/confirm#token={token}"


def confirmation_email(name: str, workspace_name: str, workspace_slug: str, link: str, hours: int) -> RenderedEmail:
    """The same wording whether or not the address is free: the email must not tell, the confirmed
    sign-up does. The subject is fixed, so the email cannot be made to say anything in its subject."""
    name, workspace_name = display_name(name), display_name(workspace_name)
    lines = [
        f"Hello {name},",
        f'someone (we hope you) asked to create the Pulsedesk workspace "{workspace_name}" at the address '
        f'"{workspace_slug}" with this email address.',
        f"Confirm within {hours} hours to finish: {link}",
        "If it was not you, ignore this email: nothing is created and nobody is signed in.",
    ]
    return platform_email(
        CONFIRMATION_SUBJECT,
        lines,
        "Confirm your email and create the workspace",
        link,
        closing=f"Confirm within {hours} hours.",
    )


CONFIRMATION_SUBJECT = "Confirm your email to create your Pulsedesk workspace"
