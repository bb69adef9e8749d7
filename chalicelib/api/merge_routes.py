from __future__ import annotations

from typing import Any

from chalicelib.api.macro_schemas import MergeIn
from chalicelib.api.routing import Call, Router
from chalicelib.api.tickets_routes import IF_MATCH, expected_version
from chalicelib.contracts.macros import MergedOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="tickets")


@router.route(
    "/tickets/{id}/merge",
    "POST",
    access=Permission.TICKETS_WRITE,
    body=MergeIn,
    response=MergedOut,
    summary="Merge this ticket into another: its conversation is carried over, it is closed and points "
    "there, its requester is told once and later email replies thread into the target",
    headers=(IF_MATCH,),
)
def merge_ticket(call: Call[MergeIn, Any]) -> MergedOut:
    from chalicelib.services import ticket_merge

    version = expected_version(call, call.body.version)
    return ticket_merge.merge_ticket(call.principal, call.path["id"], call.body.into, version)
