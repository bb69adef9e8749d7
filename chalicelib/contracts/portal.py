"""Answers of the self-service routes: contacts (for agents) and the customer portal (for requesters).

A requester's answers are their own models, not the agents' ``TicketOut``: they carry only what a
customer may see (no assignee, queue, tags, SLA, internal notes or user ids)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.contracts.responses import AttachmentOut, CsatRatingOut, Output, TicketOut

PortalStatus = Literal["open", "solved"]


class ContactOut(Output):
    id: str
    name: str
    email: str
    organisation: str | None = Field(description="The address's domain, unless a free-mail provider's")
    created_at: str
    last_seen_at: str
    ticket_count: int


class ContactListOut(Output):
    items: list[ContactOut]
    next_cursor: str | None


class ContactDetailOut(Output):
    contact: ContactOut
    tickets: list[TicketOut] = Field(description="The contact's tickets, most recently updated first (up to 50)")


class PortalAcceptedOut(Output):
    status: Literal["link_sent"]
    detail: str


class PortalWorkspaceOut(Output):
    name: str
    slug: str
    web_form_enabled: bool


class RequesterOut(Output):
    id: str
    name: str
    email: str


class RequesterTokenOut(Output):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    requester: RequesterOut
    workspace: PortalWorkspaceOut


class PortalRequestOut(Output):
    id: str
    number: int
    subject: str
    description: str
    status: PortalStatus = Field(description="open until the team solves it (or you mark it solved)")
    created_at: str
    updated_at: str
    solved_at: str | None
    attachments: list[AttachmentOut]
    rating: CsatRatingOut | None = Field(default=None, description='Your answer to "How did we do?"; the last counts')


class PortalRequestListOut(Output):
    items: list[PortalRequestOut]
    next_cursor: str | None


class PortalMessageOut(Output):
    id: str
    body: str
    author_name: str
    from_requester: bool = Field(description="Written by the requester (else by the team)")
    created_at: str
    attachments: list[AttachmentOut]


class PortalConversationOut(Output):
    request: PortalRequestOut
    messages: list[PortalMessageOut] = Field(description="Public messages only, oldest first")
    rating_asked: bool = Field(description="Solved, and the team asks how it did: POST .../rating answers")


class PortalUploadStartedOut(Output):
    id: str = Field(description="Name it in the message's `attachments` once the file is uploaded")
    request_id: str = Field(
        description="The request the file is for: a new request's other files, and the request, name it"
    )
    url: str = Field(description="POST the file here as multipart/form-data: `fields` first, then `file`")
    fields: dict[str, str]
    expires_at: str = Field(description="The upload must be done, and the message sent, before this")
    max_bytes: int


class PortalReplyOut(Output):
    message: PortalMessageOut
    request: PortalRequestOut


class WebRequestConfirmedOut(Output):
    request: PortalRequestOut
    token: RequesterTokenOut


class PortalSettingsOut(Output):
    web_form_enabled: bool
    web_form_queue: str
    version: int
