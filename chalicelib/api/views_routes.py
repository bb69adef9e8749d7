from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Reply, Router
from chalicelib.api.schemas import ViewIn, ViewPatchIn
from chalicelib.contracts.responses import ViewListOut, ViewOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="views")


@router.route(
    "/views",
    "GET",
    access=Permission.TICKETS_READ,
    response=ViewListOut,
    summary="Your saved views and the workspace's shared ones, each with a live count",
)
def list_views(call: Call[Any, Any]) -> dict[str, Any]:
    from chalicelib.services import views

    return views.list_views(call.principal)


@router.route(
    "/views",
    "POST",
    access=Permission.TICKETS_READ,
    body=ViewIn,
    response=ViewOut,
    status=201,
    summary="Save a view; shared views need 'views.share'",
)
def create_view(call: Call[ViewIn, Any]) -> dict[str, Any]:
    from chalicelib.services import views

    body = call.body
    return views.create_view(call.principal, body.name, body.filters.model_dump(mode="json"), body.shared)


@router.route(
    "/views/{id}",
    "PATCH",
    access=Permission.TICKETS_READ,
    body=ViewPatchIn,
    response=ViewOut,
    summary="Rename, refilter or (un)share a view",
)
def update_view(call: Call[ViewPatchIn, Any]) -> dict[str, Any]:
    from chalicelib.services import views

    changes = call.body.model_dump(mode="json", exclude_unset=True)
    return views.update_view(call.principal, call.path["id"], changes)


@router.route("/views/{id}", "DELETE", access=Permission.TICKETS_READ, status=204, summary="Delete a view")
def delete_view(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import views

    views.delete_view(call.principal, call.path["id"])
    return Reply(None, 204)
