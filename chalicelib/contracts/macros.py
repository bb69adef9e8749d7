"""The answers of the macro routes and of merging tickets."""

from __future__ import annotations

from pydantic import Field

from chalicelib.contracts.responses import CommentOut, Output, TicketOut
from chalicelib.domain.ticket_actions import FieldActions


class MacroReplyOut(Output):
    body: str = Field(description="A template: {{ ticket.number }}, {{ requester.name }}, {{ agent.name }}...")
    public: bool = Field(description="A public reply (emailed to the requester) or an internal note")


class MacroOut(Output):
    id: str
    name: str
    actions: FieldActions
    reply: MacroReplyOut | None
    shared: bool = Field(description="Shared with the workspace (leads and admins), or personal to its owner")
    owner_id: str
    usage_count: int = Field(description="How often it was applied")
    editable: bool = Field(description="Whether the caller may change or delete it")
    created_at: str
    updated_at: str


class MacroListOut(Output):
    items: list[MacroOut]
    next_cursor: str | None


class MacroPreviewOut(Output):
    reply: MacroReplyOut | None = Field(description="The reply as it would be written on this ticket")
    changes: list[str] = Field(description="What applying it would change, in words")


class MacroAppliedOut(Output):
    ticket: TicketOut
    comment: CommentOut | None


class MergedOut(Output):
    ticket: TicketOut = Field(description="The duplicate, now closed and pointing to the target")
    target: TicketOut = Field(description="The ticket the conversation was carried into")
    carried_over: int = Field(description="How many messages were carried over")
