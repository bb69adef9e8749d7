"""Request models of the agent's desk: bulk changes, queues, tag suggestions."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from chalicelib.api.schemas import WHOLE_NUMBER, Description, Id, Input, PlainText, Queue, Tags
from chalicelib.contracts.responses import Priority, Status

MAX_BULK = 100


class BulkTicketRef(Input):
    id: Id
    version: Annotated[int, Field(ge=1), WHOLE_NUMBER] = Field(description="The version you saw in the list")


class BulkChangesIn(Input):
    status: Status | None = None
    priority: Priority | None = None
    queue: Queue | None = None
    tags: Tags | None = Field(default=None, description="Replaces each ticket's tags")
    tags_add: Tags | None = Field(default=None, description="Added to each ticket's own tags (kept once)")
    tags_remove: Tags | None = Field(default=None, description="Taken out of each ticket's own tags")
    assignee_id: Id | None = Field(default=None, description="A user id, or null to unassign")


class TicketBulkIn(Input):
    tickets: Annotated[list[BulkTicketRef], Field(min_length=1, max_length=MAX_BULK)]
    changes: BulkChangesIn


class QueueIn(Input):
    name: Queue
    description: Description = ""
    member_ids: Annotated[list[Id], Field(max_length=100)] = Field(
        default_factory=list, description="Who may work it; empty: every agent"
    )


class QueuePatchIn(Input):
    description: Description | None = None
    member_ids: Annotated[list[Id], Field(max_length=100)] | None = None


class TagsQuery(Input):
    prefix: Annotated[str, StringConstraints(max_length=50, to_lower=True), PlainText(stripped=True)] | None = None
    limit: Annotated[int, Field(ge=1, le=100), WHOLE_NUMBER] = 20
