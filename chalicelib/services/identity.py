"""Sign-in, token refresh (rotation with reuse detection) and sign-out. Sign-up: ``signup.py``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.contracts.responses import MeOut, TokensOut
from chalicelib.data import audit, identity
from chalicelib.data.models import UserItem
from chalicelib.data.store import new_id
from chalicelib.domain.actors import Anonymous, Person
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import Unauthorized
from chalicelib.domain.permissions import permissions_for_role
from chalicelib.domain.principal import Principal
from chalicelib.observability import current_request_info
from chalicelib.services import rate_limits, revocation
from chalicelib.services.passwords import verify_password
from chalicelib.services.presenters import user_public, workspace_public
from chalicelib.services.tokens import hash_secret, issue_access_token, new_secret, secret_matches
from chalicelib.settings import get_settings

INVALID_LOGIN = "The workspace, email or password is not right."
INVALID_REFRESH = "The session has ended. Sign in again."


def login(*, workspace: str, email: str, password: str) -> TokensOut:
    address = current_request_info().source_ip or "unknown"
    slug = workspace.strip().lower()
    tenant_id = identity.tenant_for_slug(slug)
    rate_limits.refuse_if_locked(tenant_id or f"unknown-{slug}", email, address)
    if tenant_id is None:
        verify_password(password, None)
        rate_limits.record_login_failure(f"unknown-{slug}", email, address)
        raise Unauthorized(INVALID_LOGIN)
    user = identity.find_user_by_email(tenant_id, email)
    usable_hash = user.password_hash if user is not None and user.active else None
    if not verify_password(password, usable_hash) or user is None:
        rate_limits.record_login_failure(tenant_id, email, address)
        audit.record(tenant_id, AuditEntry(Anonymous(), "auth.login_failed", AuditTarget("email", email.lower())))
        raise Unauthorized(INVALID_LOGIN)
    rate_limits.clear_login_failures(tenant_id, email, address)
    return start_session(user, "auth.login")


def start_session(user: UserItem, action: str) -> TokensOut:
    settings = get_settings()
    family_id, token_id, secret = new_id(), new_id(), new_secret()
    expires = utcnow() + timedelta(seconds=settings.refresh_token_ttl_seconds)
    session = identity.session_item(user.tenant_id, family_id, user.user_id, token_id, hash_secret(secret), expires)
    identity.create_session(
        session,
        audit=AuditEntry(Person(user.user_id, user.name), action, AuditTarget("session", family_id)),
    )
    return _tokens(user, family_id, f"{user.tenant_id}.{family_id}.{token_id}.{secret}")


def _tokens(user: UserItem, family_id: str, refresh_token: str) -> TokensOut:
    access, ttl = issue_access_token(
        tenant_id=user.tenant_id,
        user_id=user.user_id,
        role=user.role,
        name=user.name,
        generation=int(user.token_generation or 0),
        session_id=family_id,
    )
    return TokensOut(
        access_token=access, refresh_token=refresh_token, token_type="Bearer", expires_in=ttl, user=user_public(user)
    )


def refresh(*, refresh_token: str) -> TokensOut:
    tenant_id, family_id, token_id, secret = _parse_refresh_token(refresh_token)
    session = identity.get_session(tenant_id, family_id)
    if session is None or session.revoked or session.expires < utcnow():
        raise Unauthorized(INVALID_REFRESH)
    if token_id != session.current_token_id:
        _revoke_family_on_reuse(session)
        raise Unauthorized(INVALID_REFRESH)
    if not secret_matches(secret, session.token_hash):
        raise Unauthorized(INVALID_REFRESH)
    user = identity.get_user(tenant_id, session.user_id)
    if user is None or not user.active:
        raise Unauthorized(INVALID_REFRESH)
    ended = user.sessions_valid_after is not None and session.created_at < user.sessions_valid_after
    if ended and family_id != user.session_kept:
        raise Unauthorized(INVALID_REFRESH)
    new_token_id, new_secret_value = new_id(), new_secret()
    if not identity.rotate_session(session, token_id, new_token_id, hash_secret(new_secret_value)):
        _revoke_family_on_reuse(session)
        raise Unauthorized(INVALID_REFRESH)
    identity.touch_user_session(tenant_id, session.user_id, family_id, utcnow())  # "last used" in my sessions
    return _tokens(user, family_id, f"{tenant_id}.{family_id}.{new_token_id}.{new_secret_value}")


def _revoke_family_on_reuse(session: Any) -> None:
    """An old refresh token came back: someone may have stolen it, so end the whole family, and
    every access token of the user (their other devices sign in again silently with their own
    refresh tokens)."""
    identity.revoke_session(
        session,
        audit=AuditEntry(
            Person(session.user_id, ""),
            "auth.refresh_reuse_detected",
            AuditTarget("session", session.pk.rsplit("#", 1)[-1]),
        ),
    )
    identity.end_access_tokens(session.tenant_id, session.user_id)
    revocation.end_user_access(session.tenant_id, session.user_id)


def _parse_refresh_token(token: str) -> tuple[str, str, str, str]:
    parts = token.split(".")
    if len(parts) != 4 or not all(parts):
        raise Unauthorized(INVALID_REFRESH)
    return parts[0], parts[1], parts[2], parts[3]


def logout(principal: Principal, refresh_token: str | None) -> None:
    if not refresh_token:
        return
    tenant_id, family_id, _, secret = _parse_refresh_token(refresh_token)
    session = identity.get_session(tenant_id, family_id)
    if session is None or tenant_id != principal.tenant_id or session.user_id != principal.id:
        return
    if not session.revoked and secret_matches(secret, session.token_hash):
        identity.revoke_session(
            session,
            audit=AuditEntry(principal.as_actor(), "auth.logout", AuditTarget("session", family_id)),
        )
        # The session's access tokens die with it: the user's token generation moves on (their
        # other devices refresh once, silently), and the sockets this session opened close now.
        identity.end_access_tokens(tenant_id, principal.id)
        revocation.end_session_access(tenant_id, principal.id, family_id)


def me(principal: Principal) -> MeOut:
    workspace = identity.get_workspace(principal.tenant_id)
    if workspace is None:
        raise Unauthorized("The workspace no longer exists.")
    user = identity.get_user(principal.tenant_id, principal.id) if principal.kind == "user" else None
    if principal.kind == "user" and (user is None or not user.active):
        raise Unauthorized("The account is no longer active.")
    permissions = permissions_for_role(user.role) if user else principal.permissions
    return MeOut(
        user=user_public(user) if user else None,
        workspace=workspace_public(workspace),
        permissions=[str(permission) for permission in sorted(permissions)],
        api_key={"id": principal.id, "name": principal.name} if principal.kind == "api_key" else None,
    )
