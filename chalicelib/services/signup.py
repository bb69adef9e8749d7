"""Sign-up in two steps, so that nobody gets a workspace (and a sender name on our domain) without
proving an email address, and so that sign-up never tells a stranger whether a workspace exists.

1. ``request_signup``: always the same answer. Stores a pending sign-up keyed by the hash of a
   one-time token (the password only as its argon2 hash), emails the link, audits the request in
   the platform log. Whether the slug is taken is not said, here or in the email.
2. ``confirm_signup``: the emailed token creates the workspace and its admin, both marked as
   confirmed, and signs the admin in. A slug taken meanwhile (or already) is a 409 naming
   ``workspace_slug``; the same token may be sent again with another ``workspace_slug``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.contracts.responses import TokensOut
from chalicelib.data import identity, signups
from chalicelib.data.models import PendingSignupItem
from chalicelib.data.store import TransactionConflict, new_id
from chalicelib.domain.actors import Anonymous, Person
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import utcnow
from chalicelib.domain.delivery import DeliveryFailed
from chalicelib.domain.errors import Conflict, invalid
from chalicelib.domain.permissions import Role
from chalicelib.domain.signup_rules import confirmation_email, confirmation_link, is_reserved_slug
from chalicelib.observability import logger
from chalicelib.services import email as outgoing_email
from chalicelib.services.identity import start_session
from chalicelib.services.passwords import new_password_hash
from chalicelib.services.presenters import user_snapshot, workspace_snapshot
from chalicelib.services.tokens import hash_secret, new_secret
from chalicelib.settings import get_settings

ACCEPTED = {
    "status": "confirmation_sent",
    "detail": "Check your email: we sent a link to confirm your address and create the workspace.",
}
RESERVED = "This workspace address is reserved; choose another."
TAKEN = "That workspace address is taken; choose another and confirm again with the same link."
EXPIRED = "This link has expired or was already used. Sign up again to get a new one."


def request_signup(*, workspace_name: str, workspace_slug: str, name: str, email: str, password: str) -> dict[str, Any]:
    slug = workspace_slug.lower()
    address = email.lower()
    _refuse_reserved(slug)
    password_hash = new_password_hash(password, about=[name, address, workspace_name, slug])
    settings = get_settings()
    token = new_secret()
    signups.save_pending(
        hash_secret(token),
        utcnow() + timedelta(seconds=settings.signup_token_ttl_seconds),
        workspace_name=workspace_name,
        workspace_slug=slug,
        name=name,
        email=address,
        password_hash=password_hash,
    )
    hours = max(1, settings.signup_token_ttl_seconds // 3600)
    link = confirmation_link(settings.public_base_url, token)
    try:
        outgoing_email.send_platform_email(address, name, confirmation_email(name, workspace_name, slug, link, hours))
    except DeliveryFailed as failure:
        # the answer stays the same (it must not depend on the address); the person can ask again
        logger.warning("sign-up link not sent", extra={"reason": failure.reason})
    signups.record_platform_event(
        AuditEntry(
            Anonymous(),
            "auth.signup_requested",
            AuditTarget("workspace_slug", slug),
            # whether the slug was taken is recorded for operators, never answered
            after={"email": address, "workspace_name": workspace_name, "slug_taken": identity.slug_taken(slug)},
        )
    )
    return dict(ACCEPTED)


def confirm_signup(*, token: str, workspace_slug: str | None = None) -> TokensOut:
    pending = signups.get_pending(hash_secret(token))
    if pending is None or pending.expires < utcnow():
        raise invalid("token", EXPIRED)
    slug = (workspace_slug or pending.workspace_slug).lower()
    _refuse_reserved(slug)
    try:
        if identity.slug_taken(slug):
            raise Conflict(TAKEN, field="workspace_slug")
        return _create_workspace(
            pending.workspace_name, slug, pending.name, pending.email, pending.password_hash, pending
        )
    except Conflict:
        _record_refusal(pending, slug)
        raise


def _create_workspace(
    workspace_name: str, slug: str, name: str, address: str, password_hash: str, pending: PendingSignupItem | None
) -> TokensOut:
    tenant_id, user_id, now = new_id(), new_id(), utcnow()
    vetted = now if pending is None else None  # an operator made it, and vouches for it
    workspace = identity.workspace_item(
        tenant_id, workspace_name, slug, email_confirmed_at=now, outbound_vetted_at=vetted
    )
    admin = identity.user_item(
        tenant_id,
        user_id,
        name=name,
        email=address,
        role=Role.ADMIN.value,
        password_hash=password_hash,
        availability="online",
        email_confirmed_at=now,
    )
    try:
        identity.create_workspace(
            workspace,
            admin,
            audit=AuditEntry(
                Person(user_id, name),
                "workspace.created",
                AuditTarget("workspace", tenant_id),
                after={"workspace": workspace_snapshot(workspace), "admin": user_snapshot(admin)},
            ),
            confirmed_signup=pending,
        )
    except TransactionConflict as conflict:
        # items in order: the pending sign-up (if any), then the slug claim
        if pending is not None and conflict.reasons and conflict.reasons[0] == "ConditionalCheckFailed":
            raise invalid("token", EXPIRED) from conflict
        raise Conflict(TAKEN, field="workspace_slug") from conflict
    signups.record_platform_event(
        AuditEntry(
            Person(user_id, name),
            "auth.signup_confirmed" if pending is not None else "workspace.created_confirmed",
            AuditTarget("workspace", tenant_id),
            after={"email": address, "workspace_slug": slug},
        )
    )
    return start_session(admin, "auth.signup")


def _record_refusal(pending: PendingSignupItem, slug: str) -> None:
    signups.record_platform_event(
        AuditEntry(
            Anonymous(), "auth.signup_slug_taken", AuditTarget("workspace_slug", slug), after={"email": pending.email}
        )
    )


def _refuse_reserved(slug: str) -> None:
    if is_reserved_slug(slug):
        raise invalid("workspace_slug", RESERVED)


def create_confirmed_workspace(
    *, workspace_name: str, workspace_slug: str, name: str, email: str, password: str
) -> TokensOut:
    """For operators and the local demo: a workspace whose admin address and purpose the operator
    vouches for (no link, no first-day email budget). Same rules otherwise: reserved slugs,
    password strength, a free slug."""
    slug = workspace_slug.lower()
    _refuse_reserved(slug)
    password_hash = new_password_hash(password, about=[name, email, workspace_name, slug])
    if identity.slug_taken(slug):
        raise Conflict(TAKEN, field="workspace_slug")
    return _create_workspace(workspace_name, slug, name, email.lower(), password_hash, None)
