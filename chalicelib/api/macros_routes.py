from __future__ import annotations

from typing import Any

from chalicelib.api.macro_schemas import ApplyMacroIn, MacroIn, MacroPatchIn, PreviewQuery
from chalicelib.api.routing import Call, Reply, Router
from chalicelib.api.tickets_routes import IF_MATCH, expected_version
from chalicelib.contracts.macros import MacroAppliedOut, MacroListOut, MacroOut, MacroPreviewOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="macros")


@router.route(
    "/macros",
    "GET",
    access=Permission.TICKETS_READ,
    response=MacroListOut,
    summary="Your personal macros and the workspace's shared ones, with usage counts",
)
def list_macros(call: Call[Any, Any]) -> MacroListOut:
    from chalicelib.services import macros

    return macros.list_macros(call.principal)


@router.route(
    "/macros",
    "POST",
    access=Permission.TICKETS_WRITE,
    body=MacroIn,
    response=MacroOut,
    status=201,
    summary="Create a macro: actions and an optional templated reply; shared macros need 'macros.share'",
)
def create_macro(call: Call[MacroIn, Any]) -> MacroOut:
    from chalicelib.services import macros

    return macros.create_macro(call.principal, call.body.model_dump(mode="json"))


@router.route("/macros/{id}", "GET", access=Permission.TICKETS_READ, response=MacroOut, summary="One macro")
def get_macro(call: Call[Any, Any]) -> MacroOut:
    from chalicelib.services import macros

    return macros.get_macro(call.principal, call.path["id"])


@router.route(
    "/macros/{id}",
    "PATCH",
    access=Permission.TICKETS_WRITE,
    body=MacroPatchIn,
    response=MacroOut,
    summary="Change a macro (your own; shared ones need 'macros.share')",
)
def update_macro(call: Call[MacroPatchIn, Any]) -> MacroOut:
    from chalicelib.services import macros

    return macros.update_macro(call.principal, call.path["id"], call.body.model_dump(mode="json", exclude_unset=True))


@router.route("/macros/{id}", "DELETE", access=Permission.TICKETS_WRITE, status=204, summary="Delete a macro")
def delete_macro(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import macros

    macros.delete_macro(call.principal, call.path["id"])
    return Reply(None, 204)


@router.route(
    "/macros/{id}/preview",
    "GET",
    access=Permission.TICKETS_WRITE,
    query=PreviewQuery,
    response=MacroPreviewOut,
    summary="The macro's reply filled in for a ticket, and what it would change; changes nothing",
)
def preview_macro(call: Call[Any, PreviewQuery]) -> MacroPreviewOut:
    from chalicelib.services import macro_application

    return macro_application.preview_macro(call.principal, call.path["id"], call.query.ticket)


@router.route(
    "/tickets/{id}/macros/{macro_id}",
    "POST",
    access=Permission.TICKETS_WRITE,
    body=ApplyMacroIn,
    response=MacroAppliedOut,
    summary="Apply a macro to a ticket as one change; send If-Match: <version>",
    headers=(IF_MATCH,),
)
def apply_macro(call: Call[ApplyMacroIn, Any]) -> MacroAppliedOut:
    from chalicelib.services import macro_application

    version = expected_version(call, call.body.version)
    return macro_application.apply_macro(call.principal, call.path["id"], call.path["macro_id"], version)
