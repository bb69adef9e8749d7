"""What a person does to their own account: change the password (the current one required, every
other session ended) and sign out everywhere (every session and access token, this one too)."""

from __future__ import annotations

from chalicelib.data import identity
from chalicelib.data.models import UserItem
from chalicelib.data.store import TransactionConflict
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import Conflict, Forbidden, Unauthorized, invalid
from chalicelib.domain.principal import Principal
from chalicelib.services import revocation
from chalicelib.services.passwords import new_password_hash, verify_password, words_about


def change_password(principal: Principal, current_password: str, new_password: str) -> None:
    user = _me(principal)
    if not verify_password(current_password, user.password_hash):
        raise invalid("current_password", "is not your current password")
    about = words_about(user.tenant_id, user.name, user.email)
    user.password_hash = new_password_hash(new_password, about=about, field="new_password")
    _end_sessions(user, keep=principal.session_id)
    _save(user, principal, "auth.password_changed", {"password": "changed", "other_sessions": "ended"})


def sign_out_everywhere(principal: Principal) -> None:
    user = _me(principal)
    _end_sessions(user, keep=None)
    _save(user, principal, "auth.signed_out_everywhere", {"sessions": "ended"})


def _me(principal: Principal) -> UserItem:
    if principal.kind != "user":
        raise Forbidden("Only a person signed in can do this, not an API key.")
    user = identity.get_user(principal.tenant_id, principal.id)
    if user is None or not user.active:
        raise Unauthorized("The account is no longer active.")
    return user


def _end_sessions(user: UserItem, keep: str | None) -> None:
    """Refresh tokens issued before now die (but ``keep``'s), and every access token with them."""
    user.sessions_valid_after = utcnow()
    user.session_kept = keep
    user.token_generation = int(user.token_generation or 0) + 1
    user.updated_at = utcnow()


def _save(user: UserItem, principal: Principal, action: str, after: dict[str, str]) -> None:
    audit = AuditEntry(principal.as_actor(), action, AuditTarget("user", user.user_id, name=user.name), after=after)
    try:
        identity.save_user(user, user.email, audit)
    except TransactionConflict as conflict:
        raise Conflict("Your account changed meanwhile; try again.") from conflict
    revocation.end_user_access(user.tenant_id, user.user_id)
