"""Scoped API keys for integrators: shown once, stored hashed."""

from __future__ import annotations

from typing import Any

from chalicelib.contracts.responses import ApiKeyCreatedOut
from chalicelib.data import identity
from chalicelib.data.store import new_id
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.errors import Forbidden, NotFound, invalid
from chalicelib.domain.permissions import parse_scopes
from chalicelib.domain.principal import Principal
from chalicelib.services.auth import format_api_key
from chalicelib.services.presenters import api_key_public, api_key_snapshot
from chalicelib.services.tokens import hash_secret, new_secret


def create_api_key(principal: Principal, name: str, scopes: list[str]) -> ApiKeyCreatedOut:
    try:
        permissions = parse_scopes(scopes)
    except ValueError as error:
        raise invalid("scopes", str(error)) from error
    if not permissions <= principal.permissions:
        raise Forbidden("A key cannot have a scope its creator lacks.")
    key_id, secret = new_id(), new_secret()
    key = identity.api_key_item(
        principal.tenant_id,
        key_id,
        name=name,
        scopes={str(p) for p in permissions},
        secret_hash=hash_secret(secret),
        prefix=f"pdk_…{key_id[-6:]}",
        created_by=principal.id,
        owner_id=principal.acting_user_id,
    )
    identity.create_api_key(
        key,
        audit=AuditEntry(
            principal.as_actor(), "api_key.created", AuditTarget("api_key", key_id), after=api_key_snapshot(key)
        ),
    )
    return ApiKeyCreatedOut(
        **api_key_public(key).model_dump(), secret=format_api_key(principal.tenant_id, key_id, secret)
    )


def list_api_keys(principal: Principal) -> dict[str, Any]:
    keys = sorted(identity.list_api_keys(principal.tenant_id), key=lambda k: k.created_at, reverse=True)
    return {"items": [api_key_public(k) for k in keys], "next_cursor": None}


def delete_api_key(principal: Principal, key_id: str) -> None:
    key = identity.get_api_key(principal.tenant_id, key_id)
    if key is None:
        raise NotFound("No such API key.")
    identity.delete_api_key(
        key,
        audit=AuditEntry(
            principal.as_actor(), "api_key.revoked", AuditTarget("api_key", key_id), before=api_key_snapshot(key)
        ),
    )
