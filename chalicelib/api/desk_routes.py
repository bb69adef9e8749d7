"""The agent's desk: many tickets changed at once, queues as things, tag suggestions."""

from __future__ import annotations

from typing import Any

from chalicelib.api.desk_schemas import QueueIn, QueuePatchIn, TagsQuery, TicketBulkIn
from chalicelib.api.routing import Call, Reply, Router
from chalicelib.contracts.desk import QueueListOut, QueueOut, TagListOut, TicketBulkOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="desk")


@router.route(
    "/tickets/bulk",
    "POST",
    access=Permission.TICKETS_WRITE,
    body=TicketBulkIn,
    response=TicketBulkOut,
    summary="Change up to 100 tickets at once, each against the version you saw; the answer says per "
    "ticket what applied, what conflicted and what was refused",
)
def bulk_update(call: Call[TicketBulkIn, Any]) -> TicketBulkOut:
    from chalicelib.services import bulk_changes

    body = call.body.model_dump(exclude_unset=True)
    return bulk_changes.bulk_update(call.principal, body["tickets"], body["changes"])


@router.route("/queues", "GET", access=Permission.TICKETS_READ, response=QueueListOut, summary="The defined queues")
def list_queues(call: Call[Any, Any]) -> QueueListOut:
    from chalicelib.services import queues

    return queues.list_queues(call.principal)


@router.route(
    "/queues",
    "POST",
    access=Permission.SETTINGS_MANAGE,
    body=QueueIn,
    response=QueueOut,
    status=201,
    summary="Define a queue: its name (what tickets carry), description and who may work it",
)
def create_queue(call: Call[QueueIn, Any]) -> QueueOut:
    from chalicelib.services import queues

    return queues.create_queue(call.principal, call.body.model_dump())


@router.route("/queues/{name}", "GET", access=Permission.TICKETS_READ, response=QueueOut, summary="One queue")
def get_queue(call: Call[Any, Any]) -> QueueOut:
    from chalicelib.services import queues

    return queues.get_queue(call.principal, call.path["name"])


@router.route(
    "/queues/{name}",
    "PATCH",
    access=Permission.SETTINGS_MANAGE,
    body=QueuePatchIn,
    response=QueueOut,
    summary="Describe a queue again or change who may work it",
)
def update_queue(call: Call[QueuePatchIn, Any]) -> QueueOut:
    from chalicelib.services import queues

    return queues.update_queue(call.principal, call.path["name"], call.body.model_dump(exclude_unset=True))


@router.route(
    "/queues/{name}",
    "DELETE",
    access=Permission.SETTINGS_MANAGE,
    status=204,
    summary="Forget a queue's definition (its tickets keep its name)",
)
def delete_queue(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import queues

    queues.delete_queue(call.principal, call.path["name"])
    return Reply(None, 204)


@router.route(
    "/tags",
    "GET",
    access=Permission.TICKETS_READ,
    query=TagsQuery,
    response=TagListOut,
    summary="Tags the workspace's tickets carry now, most used first (for suggestions)",
)
def list_tags(call: Call[Any, TagsQuery]) -> TagListOut:
    from chalicelib.services import tags

    return tags.suggest_tags(call.principal, call.query.prefix, call.query.limit)
