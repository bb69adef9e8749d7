""" "Forgot password": a one-time link mailed to the account's address, then a new password.

1. ``request_reset``: always the same answer, whether or not the workspace or the account exists
   or is active, and whether or not the account is past its per-account limit (so nobody learns
   who has an account, and nobody can mail-bomb one). For an active account within its limit it
   stores the reset (the secret only as a hash, one per user: a new request replaces the old link),
   mails the link through the platform's own email and audits the request.
2. ``confirm_reset``: the link's token and a strong new password set the password, mark the
   address confirmed (the person just proved it), end every session and access token of the user
   at once (as a password change by an admin does) and spend the token.

Timing: both answers do the tenant and account reads, the per-account counter write and the token
generation; only an existing account adds the stored reset and the SES call, a difference that the
per-address limit on auth routes makes slow to measure.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.data import identity, password_resets
from chalicelib.data.models import PasswordResetItem, UserItem
from chalicelib.data.store import TransactionConflict, new_id
from chalicelib.domain.actors import Anonymous, Person
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.delivery import DeliveryFailed
from chalicelib.domain.errors import invalid
from chalicelib.domain.password_reset_rules import ResetToken, parse_reset_token, reset_email, reset_link
from chalicelib.observability import current_request_info, logger, metrics
from chalicelib.services import email as outgoing_email
from chalicelib.services import rate_limits, revocation
from chalicelib.services.passwords import new_password_hash, words_about
from chalicelib.services.tokens import hash_secret, new_secret, secret_matches
from chalicelib.settings import get_settings

EXPIRED = "This link has expired or was already used. Ask for a new one from the sign-in page."
_SAVE_ATTEMPTS = 3


def accepted() -> dict[str, Any]:
    minutes = max(1, get_settings().password_reset_token_ttl_seconds // 60)
    return {
        "status": "reset_link_sent",
        "detail": "If this workspace has an active account with this email, we sent it a link to choose "
        f"a new password. The link works once, for {minutes} minutes.",
    }


def request_reset(*, workspace: str, email: str) -> dict[str, Any]:
    slug, address = workspace.strip().lower(), email.strip().lower()
    tenant_id = identity.tenant_for_slug(slug)
    user = identity.find_user_by_email(tenant_id, address) if tenant_id else None
    # counted for unknown accounts too, so both kinds of request do the same reads and write
    within_limit = rate_limits.within("password_reset.account", f"{tenant_id or 'unknown-' + slug}#{address}")
    token = ResetToken(tenant_id or new_id(), user.user_id if user else new_id(), new_secret())
    if user is None or not user.active:
        return accepted()
    if not within_limit:
        logger.warning("password reset not sent: account over its limit", extra={"user_id": user.user_id})
        metrics.add_metric(name="PasswordResetsLimited", unit="Count", value=1)
        return accepted()
    _store_and_send(user, token)
    return accepted()


def _store_and_send(user: UserItem, token: ResetToken) -> None:
    settings = get_settings()
    expires = utcnow() + timedelta(seconds=settings.password_reset_token_ttl_seconds)
    password_resets.save_reset(
        user.tenant_id,
        user.user_id,
        user.email,
        hash_secret(token.secret),
        expires,
        audit=AuditEntry(
            Anonymous(),
            "auth.password_reset_requested",
            _target(user),
            after={"email": user.email, "expires_at": to_text(expires)},
        ),
    )
    workspace = identity.get_workspace(user.tenant_id)
    rendered = reset_email(
        user.name,
        workspace.name if workspace else "",
        workspace.slug if workspace else "",
        reset_link(settings.public_base_url, token),
        max(1, settings.password_reset_token_ttl_seconds // 60),
    )
    try:
        outgoing_email.send_platform_email(user.email, user.name, rendered)
    except DeliveryFailed as failure:
        # the answer must not depend on the account; the person can ask again
        logger.warning("password reset link not sent", extra={"reason": failure.reason})


def confirm_reset(*, token: str, password: str) -> None:
    parsed = parse_reset_token(token)
    if parsed is None:
        raise invalid("token", EXPIRED)
    reset, user = _live_reset(parsed)
    password_hash = new_password_hash(password, about=words_about(user.tenant_id, user.name, user.email))
    for attempt in range(_SAVE_ATTEMPTS):
        _apply_new_password(user, password_hash)
        try:
            password_resets.spend_reset(
                reset,
                user,
                audit=AuditEntry(
                    Person(user.user_id, user.name),
                    "auth.password_reset",
                    _target(user),
                    after={"password": "changed", "sessions": "ended", "email_confirmed": True},
                ),
            )
            break
        except TransactionConflict as conflict:
            if conflict.reasons and conflict.reasons[0] == "ConditionalCheckFailed":
                raise invalid("token", EXPIRED) from conflict  # spent meanwhile, or replaced by a newer link
            if attempt == _SAVE_ATTEMPTS - 1:
                raise
            reset, user = _live_reset(parsed)  # the user changed meanwhile: apply to the new version
    revocation.end_user_access(user.tenant_id, user.user_id)
    rate_limits.clear_account_login_failures(user.tenant_id, user.email, current_request_info().source_ip or "unknown")


def _live_reset(token: ResetToken) -> tuple[PasswordResetItem, UserItem]:
    """The unexpired reset this token opens, and its user, still active and at the mailed address."""
    reset = password_resets.get_reset(token.tenant_id, token.user_id)
    if reset is None or reset.expires < utcnow() or not secret_matches(token.secret, reset.token_hash):
        raise invalid("token", EXPIRED)
    user = identity.get_user(token.tenant_id, token.user_id)
    if user is None or not user.active or user.email.lower() != reset.email:
        raise invalid("token", EXPIRED)
    return reset, user


def _apply_new_password(user: UserItem, password_hash: str) -> None:
    now = utcnow()
    user.password_hash = password_hash
    user.sessions_valid_after = now  # every refresh token issued before is dead ...
    user.session_kept = None  # ... with no exception: whoever reset is signed in nowhere yet
    user.token_generation = int(user.token_generation or 0) + 1  # ... and every access token
    user.email_confirmed_at = user.email_confirmed_at or now
    user.updated_at = now


def _target(user: UserItem) -> AuditTarget:
    return AuditTarget("user", user.user_id, name=user.name)
