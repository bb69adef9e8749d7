from __future__ import annotations

import re
from typing import Any

from chalicelib.api.routing import Call, HeaderParam, Router
from chalicelib.api.schemas import CommentIn, PageQuery, TicketCreateIn, TicketListQuery, TicketPatchIn
from chalicelib.contracts.responses import (
    CommentCreatedOut,
    HistoryOut,
    TicketListOut,
    TicketOut,
    TicketWithConversationOut,
    WatchersOut,
)
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="tickets")
IF_MATCH = HeaderParam(
    "If-Match",
    pattern=r'^ *(W/)?"?[0-9]{1,15}"? *$',
    description="The ticket's version you edited (or send `version` in the body; one is required: 428)",
)


@router.route(
    "/tickets",
    "POST",
    access=Permission.TICKETS_WRITE,
    body=TicketCreateIn,
    response=TicketOut,
    status=201,
    summary="Open a ticket",
)
def create_ticket(call: Call[TicketCreateIn, Any]) -> TicketOut:
    from chalicelib.services import ticket_writes

    return ticket_writes.create_ticket(call.principal, call.body.model_dump())


@router.route(
    "/tickets",
    "GET",
    access=Permission.TICKETS_READ,
    query=TicketListQuery,
    response=TicketListOut,
    summary="List tickets by any combination of filters, newest change first by default",
    conditional=True,
)
def list_tickets(call: Call[Any, TicketListQuery]) -> dict[str, Any]:
    from chalicelib.services import ticket_lists

    return ticket_lists.list_tickets(call.principal, call.query.model_dump())


@router.route(
    "/tickets/{id}",
    "GET",
    access=Permission.TICKETS_READ,
    response=TicketWithConversationOut,
    summary="A ticket with its whole conversation",
    conditional=True,
)
def get_ticket(call: Call[Any, Any]) -> dict[str, Any]:
    from chalicelib.services import ticket_reads

    return ticket_reads.get_ticket(call.principal, call.path["id"])


@router.route(
    "/tickets/{id}",
    "PATCH",
    access=Permission.TICKETS_WRITE,
    body=TicketPatchIn,
    response=TicketOut,
    summary="Change status, priority, queue, tags or assignee; send If-Match: <version>",
    headers=(IF_MATCH,),
)
def update_ticket(call: Call[TicketPatchIn, Any]) -> TicketOut:
    from chalicelib.services import ticket_writes

    changes = call.body.model_dump(exclude_unset=True)
    version = changes.pop("version", None)
    return ticket_writes.update_ticket(call.principal, call.path["id"], changes, expected_version(call, version))


@router.route(
    "/tickets/{id}/comments",
    "POST",
    access=Permission.TICKETS_WRITE,
    body=CommentIn,
    response=CommentCreatedOut,
    status=201,
    summary="Reply publicly or add an internal note (Markdown, CC, uploaded attachments)",
)
def add_comment(call: Call[CommentIn, Any]) -> dict[str, Any]:
    from chalicelib.services import comments

    body = call.body
    reply = comments.Reply(body.body, body.public, body.format, tuple(body.cc), tuple(body.attachments))
    return comments.add_comment(call.principal, call.path["id"], reply)


@router.route(
    "/tickets/{id}/history",
    "GET",
    access=Permission.TICKETS_READ,
    query=PageQuery,
    response=HistoryOut,
    summary="Every change to the ticket: who, when, field, from, to",
)
def ticket_history(call: Call[Any, PageQuery]) -> dict[str, Any]:
    from chalicelib.services import ticket_reads

    return ticket_reads.ticket_history(call.principal, call.path["id"], call.query.limit, call.query.cursor)


@router.route(
    "/tickets/{id}/watchers/{user_id}",
    "PUT",
    access=Permission.TICKETS_READ,
    response=WatchersOut,
    summary="Watch a ticket (`me`), or add a teammate (needs tickets.assign): watchers are emailed about "
    "comments, status changes and SLA breaches",
)
def add_watcher(call: Call[Any, Any]) -> dict[str, Any]:
    from chalicelib.services import watchers

    return watchers.set_watching(call.principal, call.path["id"], call.path["user_id"], watching=True)


@router.route(
    "/tickets/{id}/watchers/{user_id}",
    "DELETE",
    access=Permission.TICKETS_READ,
    response=WatchersOut,
    summary="Stop watching (`me`), or remove a teammate (needs tickets.assign)",
)
def remove_watcher(call: Call[Any, Any]) -> dict[str, Any]:
    from chalicelib.services import watchers

    return watchers.set_watching(call.principal, call.path["id"], call.path["user_id"], watching=False)


def expected_version(call: Call[Any, Any], body_version: int | None) -> int | None:
    header = call.headers.get("if-match")  # checked against IF_MATCH's pattern already
    if header is None:
        return body_version
    return int(re.sub(r"[^0-9]", "", header))
