from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Reply, Router
from chalicelib.api.schemas import PageQuery
from chalicelib.contracts.email_suppressions import RequesterEmailOut, SuppressionListOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="email")


@router.route(
    "/settings/email/suppressions",
    "GET",
    access=Permission.SETTINGS_MANAGE,
    query=PageQuery,
    response=SuppressionListOut,
    summary="Addresses not emailed any more: they bounced for good or complained (as SES reported)",
)
def list_suppressions(call: Call[Any, PageQuery]) -> SuppressionListOut:
    from chalicelib.services import email_suppressions

    return email_suppressions.list_suppressions(call.principal, call.query.limit, call.query.cursor)


@router.route(
    "/settings/email/suppressions/{address}",
    "DELETE",
    access=Permission.SETTINGS_MANAGE,
    status=204,
    summary="Lift a suppression: the address is emailed again",
)
def lift_suppression(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import email_suppressions

    email_suppressions.lift_suppression(call.principal, call.path["address"])
    return Reply(None, 204)


@router.route(
    "/tickets/{id}/requester-email",
    "GET",
    access=Permission.TICKETS_READ,
    response=RequesterEmailOut,
    summary="Whether the ticket's requester can be emailed (not suppressed by a bounce or complaint)",
)
def get_requester_email(call: Call[Any, Any]) -> RequesterEmailOut:
    from chalicelib.services import email_suppressions

    return email_suppressions.requester_email(call.principal, call.path["id"])
