"""Turns an Authorization header into a Principal: an access JWT or a scoped API key."""

from __future__ import annotations

from typing import Any

from chalicelib.data import contacts, identity
from chalicelib.domain.errors import Unauthorized
from chalicelib.domain.permissions import Permission, permissions_for_role
from chalicelib.domain.principal import Principal
from chalicelib.services.revocation import current_access
from chalicelib.services.tokens import secret_matches, verify_access_token

API_KEY_PREFIX = "pdk"
SESSION_ENDED = "The session has ended. Sign in again."


def authenticate(authorization: str | None) -> Principal:
    scheme, _, credential = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not credential:
        raise Unauthorized("Send 'Authorization: Bearer <token>'.")
    if credential.startswith(API_KEY_PREFIX + "_"):
        return _api_key_principal(credential)
    return principal_from_access_token(credential)


def principal_from_access_token(token: str) -> Principal:
    """A valid signature is not enough: the user must still exist, be active, hold the token's role
    and be at the token's generation (see services/revocation.py for the bound)."""
    claims = verify_access_token(token)
    if claims["role"] == "requester":
        return _requester_principal(claims)
    access = current_access(claims["tid"], claims["sub"])
    if (
        access is None
        or not access.active
        or access.role != claims["role"]
        or access.generation != claims.get("gen", 0)
    ):
        raise Unauthorized(SESSION_ENDED)
    return Principal(
        tenant_id=claims["tid"],
        kind="user",
        id=claims["sub"],
        name=claims.get("name", ""),
        role=claims["role"],
        permissions=permissions_for_role(claims["role"]),
        session_id=claims.get("sid") or None,
    )


def _requester_principal(claims: dict[str, Any]) -> Principal:
    """A portal token holds while its contact exists at the token's generation (sign-out raises it)."""
    contact = contacts.get_contact(claims["tid"], claims["sub"])
    if contact is None or int(contact.token_generation or 0) != claims.get("gen", 0):
        raise Unauthorized(SESSION_ENDED)
    return Principal(
        tenant_id=claims["tid"],
        kind="requester",
        id=contact.contact_id,
        name=contact.name,
        role="requester",
        permissions=permissions_for_role("requester"),
        email=contact.email,
    )


def format_api_key(tenant_id: str, key_id: str, secret: str) -> str:
    return f"{API_KEY_PREFIX}_{tenant_id}_{key_id}_{secret}"


def _api_key_principal(credential: str) -> Principal:
    parts = credential.split("_", 3)
    if len(parts) != 4 or not all(parts):  # an empty key id would be a DynamoDB validation error
        raise Unauthorized("The API key is not valid.")
    _, tenant_id, key_id, secret = parts
    key = identity.get_api_key(tenant_id, key_id)
    if key is None or not secret_matches(secret, key.secret_hash):
        raise Unauthorized("The API key is not valid.")
    owner_id = key.owner_id or key.created_by
    owner = current_access(tenant_id, owner_id)
    if owner is None or not owner.active:
        raise Unauthorized("The API key's owner no longer has access; create a new key.")
    identity.touch_api_key(key)
    scopes = frozenset(Permission(s) for s in key.scopes)
    return Principal(
        tenant_id=tenant_id,
        kind="api_key",
        id=key_id,
        name=key.name,
        role=None,
        permissions=scopes & permissions_for_role(owner.role),  # never more than its owner has now
        owner_id=owner_id,
    )
