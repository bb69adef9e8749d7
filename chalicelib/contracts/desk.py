"""Answers of the agent's desk routes: bulk changes, queues, tag suggestions."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.contracts.responses import Output, TicketOut


class BulkResultOut(Output):
    id: str
    outcome: Literal["applied", "unchanged", "conflict", "error"]
    error: Literal["not_found", "forbidden", "invalid"] | None = Field(
        description="Why an `error` outcome failed: no such ticket, not allowed, or the change does not fit it"
    )
    detail: str | None = Field(description="What happened, in words (for a conflict or an error)")
    ticket: TicketOut | None = Field(
        description="applied or unchanged: the ticket now; conflict: the ticket as someone else left it"
    )


class TicketBulkOut(Output):
    results: list[BulkResultOut] = Field(description="One per ticket asked for, in the order asked")
    applied: int
    unchanged: int
    conflicts: int
    errors: int


class QueueOut(Output):
    name: str
    description: str
    member_ids: list[str] = Field(description="Who may work it; empty: every agent")
    created_at: str
    updated_at: str
    version: int


class QueueListOut(Output):
    items: list[QueueOut]
    next_cursor: str | None


class TagOut(Output):
    tag: str
    tickets: int = Field(description="Tickets that carry it now")
    last_used_at: str | None


class TagListOut(Output):
    items: list[TagOut] = Field(description="Most used first")
    next_cursor: str | None
