"""What a person does to their own account: change the password (the current one required, every
other session ended), list my sessions and end one, and sign out everywhere (every session and access
token, this one too)."""

from __future__ import annotations

from chalicelib.contracts.sessions import MySessionListOut, MySessionOut
from chalicelib.data import identity
from chalicelib.data.models import UserItem, UserSessionIndexItem
from chalicelib.data.store import TransactionConflict
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.devices import device_of
from chalicelib.domain.errors import Conflict, Forbidden, NotFound, Unauthorized, invalid
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


def my_sessions(principal: Principal) -> MySessionListOut:
    """My live sessions, this one first, then the most recently used; one Query of my session list."""
    user = _me(principal)
    now = utcnow()
    live = [
        item
        for item in identity.list_user_sessions(principal.tenant_id, user.user_id)
        if item.expires > now and not _ended(user, item)
    ]
    live.sort(key=lambda item: (str(item.sk) != principal.session_id, -item.last_used_at.timestamp()))
    return MySessionListOut(items=[_session_public(item, str(item.sk) == principal.session_id) for item in live])


def end_my_session(principal: Principal, family_id: str) -> None:
    """Signs one of my sessions out: its refresh token stops working and its access tokens end."""
    user = _me(principal)
    session = identity.get_session(principal.tenant_id, family_id)
    if session is None or session.user_id != user.user_id or session.revoked:
        raise NotFound("No such session of yours.")
    identity.revoke_session(
        session, audit=AuditEntry(principal.as_actor(), "auth.session_ended", AuditTarget("session", family_id))
    )
    identity.end_access_tokens(principal.tenant_id, user.user_id)  # others renew silently; this one cannot
    revocation.end_session_access(principal.tenant_id, user.user_id, family_id)


def _ended(user: UserItem, item: UserSessionIndexItem) -> bool:
    """Ended by "sign out everywhere" or a password change (all but the kept one), as refresh sees it."""
    cutoff = user.sessions_valid_after
    return cutoff is not None and item.created_at < cutoff and str(item.sk) != user.session_kept


def _session_public(item: UserSessionIndexItem, current: bool) -> MySessionOut:
    return MySessionOut(
        id=str(item.sk),
        device=device_of(item.user_agent),
        user_agent=item.user_agent,
        source_ip=item.source_ip,
        created_at=to_text(item.created_at),
        last_used_at=to_text(item.last_used_at),
        current=current,
    )
