"""A requester's own requests in the portal: list, read (public conversation only), reply, mark
solved, and open a new one. Every write is a typed ticket change by the requester (a
``PortalRequester`` actor) through the one write path.

Isolation: the token's workspace must be the one the address names, and a ticket is the caller's
only when its requester address is theirs; anything else is a 404 (never a 403, which would say the
ticket exists).
"""

from __future__ import annotations

from chalicelib.contracts.portal import (
    PortalConversationOut,
    PortalMessageOut,
    PortalReplyOut,
    PortalRequestListOut,
    PortalRequestOut,
)
from chalicelib.contracts.responses import AttachmentOut
from chalicelib.data import contacts, identity
from chalicelib.data import tickets as repo
from chalicelib.data.models import CommentItem, TicketItem
from chalicelib.data.store import new_id
from chalicelib.data.ticket_changes import Committed, commit, retrying, ticket_of
from chalicelib.domain.actors import PortalRequester
from chalicelib.domain.clock import maybe_text, to_text, utcnow
from chalicelib.domain.errors import NotFound
from chalicelib.domain.portal_links import OPEN_STATUSES, SOLVED_STATUSES, portal_status
from chalicelib.domain.principal import Principal
from chalicelib.domain.ticket_change import AddComment, CreateTicket, Requester, UpdateTicket, comment, create, update
from chalicelib.services.sla_context import sla_context

NOT_YOURS = "No such request."


def request_public(ticket: TicketItem) -> PortalRequestOut:
    return PortalRequestOut(
        id=ticket.ticket_id,
        number=int(ticket.number),
        subject=ticket.subject,
        description=ticket.description,
        status=portal_status(ticket.status),
        created_at=to_text(ticket.created_at),
        updated_at=to_text(ticket.updated_at),
        solved_at=maybe_text(ticket.solved_at),
        attachments=_attachments(ticket.attachments),
    )


def message_public(comment_item: CommentItem, requester_email: str) -> PortalMessageOut:
    author = comment_item.author or {}
    from_requester = author.get("type") == "requester" and str(author.get("id", "")).lower() == requester_email
    return PortalMessageOut(
        id=comment_item.comment_id,
        body=comment_item.body,
        author_name=str(author.get("name") or ("You" if from_requester else "Support")),
        from_requester=from_requester,
        created_at=to_text(comment_item.created_at),
        attachments=_attachments(comment_item.attachments),
    )


def _attachments(stored: list[dict[str, object]] | None) -> list[AttachmentOut]:
    return [
        AttachmentOut(
            id=str(a["id"]),
            filename=str(a["filename"]),
            content_type=str(a["content_type"]),
            size=int(str(a["size"])),
            inline=bool(a.get("inline", False)),
        )
        for a in stored or []
    ]


def check_workspace(principal: Principal, slug: str) -> None:
    """The portal address must name the token's own workspace."""
    if identity.tenant_for_slug(slug.strip().lower()) != principal.tenant_id:
        raise NotFound("No such workspace.")


def own_ticket(principal: Principal, slug: str, ticket_id: str) -> TicketItem:
    check_workspace(principal, slug)
    ticket = repo.get_ticket(principal.tenant_id, ticket_id)
    if ticket is None or str(ticket.requester.get("email", "")).lower() != (principal.email or ""):
        raise NotFound(NOT_YOURS)
    return ticket


def list_requests(principal: Principal, slug: str, status: str, limit: int, cursor: str | None) -> PortalRequestListOut:
    check_workspace(principal, slug)
    wanted = SOLVED_STATUSES if status == "solved" else OPEN_STATUSES
    tickets, next_cursor = contacts.requester_tickets(
        principal.tenant_id, principal.email or "", limit, cursor, statuses=wanted
    )
    return PortalRequestListOut(items=[request_public(t) for t in tickets], next_cursor=next_cursor)


def get_request(principal: Principal, slug: str, ticket_id: str) -> PortalConversationOut:
    check_workspace(principal, slug)
    conversation = repo.get_ticket_with_conversation(principal.tenant_id, ticket_id)
    email = principal.email or ""
    if conversation is None or str(conversation.ticket.requester.get("email", "")).lower() != email:
        raise NotFound(NOT_YOURS)
    public = [c for c in conversation.comments if c.public]  # never an internal note, not even its existence
    return PortalConversationOut(
        request=request_public(conversation.ticket), messages=[message_public(c, email) for c in public]
    )


def reply(principal: Principal, slug: str, ticket_id: str, body: str) -> PortalReplyOut:
    """A public message by the requester: reopens a solved request, as an emailed reply does."""
    own_ticket(principal, slug, ticket_id)
    request = AddComment(new_id(), body, True, "web")
    actor = _actor(principal)

    def attempt() -> Committed:
        current = own_ticket(principal, slug, ticket_id)
        change = comment(ticket_of(current), actor, request, utcnow(), sla_context(principal.tenant_id))
        return commit(principal.tenant_id, change)

    committed = retrying(attempt, "The request is changing too fast; try again.")
    assert committed.comment is not None
    return PortalReplyOut(
        message=message_public(committed.comment, principal.email or ""), request=request_public(committed.ticket)
    )


def mark_solved(principal: Principal, slug: str, ticket_id: str) -> PortalRequestOut:
    actor = _actor(principal)

    def attempt() -> TicketItem:
        current = own_ticket(principal, slug, ticket_id)
        if current.status in SOLVED_STATUSES:
            return current
        change = update(
            ticket_of(current), actor, UpdateTicket(status="solved"), utcnow(), sla_context(principal.tenant_id)
        )
        return current if change is None else commit(principal.tenant_id, change).ticket

    return request_public(retrying(attempt, "The request is changing too fast; try again."))


def new_request(principal: Principal, slug: str, subject: str, description: str) -> PortalRequestOut:
    check_workspace(principal, slug)
    return request_public(
        open_ticket(principal.tenant_id, _actor(principal), principal.email or "", principal.name, subject, description)
    )


def open_ticket(
    tenant_id: str,
    actor: PortalRequester,
    email: str,
    name: str,
    subject: str,
    description: str,
    ticket_id: str | None = None,
) -> TicketItem:
    """A request from the web (the portal or the confirmed web form), into the form's queue.
    ``ticket_id`` fixed by the caller makes a repeated attempt create nothing more."""
    settings = contacts.get_settings_item(tenant_id)
    request = CreateTicket(
        ticket_id=ticket_id or new_id(),
        number=repo.next_ticket_number(tenant_id),
        subject=subject,
        description=description,
        requester=Requester(email, name),
        priority="normal",
        queue=str(settings.web_form_queue or "support"),
        channel="web",
    )
    change = create(actor, request, utcnow(), sla_context(tenant_id))
    return retrying(lambda: commit(tenant_id, change), "The request could not be saved; try again.").ticket


def _actor(principal: Principal) -> PortalRequester:
    return PortalRequester(principal.email or "", principal.name)
