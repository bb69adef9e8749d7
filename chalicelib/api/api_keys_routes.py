from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Reply, Router
from chalicelib.api.schemas import ApiKeyCreateIn
from chalicelib.contracts.responses import ApiKeyCreatedOut, ApiKeyListOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="api-keys")


@router.route(
    "/api-keys",
    "POST",
    access=Permission.API_KEYS_MANAGE,
    body=ApiKeyCreateIn,
    response=ApiKeyCreatedOut,
    status=201,
    summary="Create a scoped API key; the secret is shown once",
)
def create_api_key(call: Call[ApiKeyCreateIn, Any]) -> ApiKeyCreatedOut:
    from chalicelib.services import api_keys

    return api_keys.create_api_key(call.principal, call.body.name, [str(s) for s in call.body.scopes])


@router.route(
    "/api-keys",
    "GET",
    access=Permission.API_KEYS_MANAGE,
    response=ApiKeyListOut,
    summary="List API keys (never their secrets)",
)
def list_api_keys(call: Call[Any, Any]) -> dict[str, Any]:
    from chalicelib.services import api_keys

    return api_keys.list_api_keys(call.principal)


@router.route("/api-keys/{id}", "DELETE", access=Permission.API_KEYS_MANAGE, status=204, summary="Revoke a key")
def delete_api_key(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import api_keys

    api_keys.delete_api_key(call.principal, call.path["id"])
    return Reply(None, 204)
