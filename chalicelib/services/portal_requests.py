"""A requester's own requests in the portal: list, read (public conversation only), reply, mark
solved, and open a new one. Every write is a typed ticket change by the requester (a
``PortalRequester`` actor) through the one write path.

Isolation: the token's workspace must be the one the address names, and a ticket is the caller's
only when its requester address is theirs; anything else is a 404 (never a 403, which would say the
ticket exists).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from chalicelib.contracts.portal import (
    PortalConversationOut,
    PortalMessageOut,
    PortalReplyOut,
    PortalRequestListOut,
    PortalRequestOut,
)
from chalicelib.contracts.responses import AttachmentOut, CsatRatingOut
from chalicelib.data import contacts, identity
from chalicelib.data import tickets as repo
from chalicelib.data.models import CommentItem, MainItem, PendingUploadItem, TicketItem
from chalicelib.data.store import new_id
from chalicelib.data.ticket_changes import Committed, Consume, commit, retrying, ticket_of
from chalicelib.domain.actors import PortalRequester
from chalicelib.domain.clock import maybe_text, to_text, utcnow
from chalicelib.domain.csat import RatingValue
from chalicelib.domain.errors import NotFound, invalid
from chalicelib.domain.portal_links import OPEN_STATUSES, SOLVED_STATUSES, portal_status
from chalicelib.domain.principal import Principal
from chalicelib.domain.ticket_change import (
    AddComment,
    AttachmentRef,
    CreateTicket,
    RateTicket,
    Requester,
    UpdateTicket,
    comment,
    create,
    decide,
    update,
)
from chalicelib.services import csat, upload_claims
from chalicelib.services.sla_context import sla_context
from chalicelib.settings import get_settings

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
        rating=CsatRatingOut.model_validate(ticket.csat) if ticket.csat else None,
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
    solved = conversation.ticket.status in SOLVED_STATUSES
    return PortalConversationOut(
        request=request_public(conversation.ticket),
        messages=[message_public(c, email) for c in public],
        rating_asked=solved and csat.surveys_enabled(principal.tenant_id),
    )


def reply(
    principal: Principal, slug: str, ticket_id: str, body: str, upload_ids: tuple[str, ...] = ()
) -> PortalReplyOut:
    """A public message by the requester: reopens a solved request, as an emailed reply does. The
    files it names are taken in the message's own transaction."""
    own_ticket(principal, slug, ticket_id)
    files = _uploads(principal, ticket_id, upload_ids)
    upload_claims.check_stored(principal.tenant_id, files)
    request = AddComment(new_id(), body, True, "web", attachments=upload_claims.attachment_refs(files))
    actor = _actor(principal)

    def attempt() -> Committed:
        current = own_ticket(principal, slug, ticket_id)
        change = comment(ticket_of(current), actor, request, utcnow(), sla_context(principal.tenant_id))
        return commit(principal.tenant_id, change, [Consume(f) for f in _uploads(principal, ticket_id, upload_ids)])

    committed = retrying(attempt, "The request is changing too fast; try again.")
    assert committed.comment is not None
    return PortalReplyOut(
        message=message_public(committed.comment, principal.email or ""), request=request_public(committed.ticket)
    )


def rate(principal: Principal, slug: str, ticket_id: str, rating: RatingValue, remark: str | None) -> PortalRequestOut:
    """The portal's "How did we do?": the same typed rating as the emailed survey link (the last
    answer counts; the same answer again changes nothing), for a solved request, while the workspace
    asks for ratings."""
    actor = _actor(principal)

    def attempt() -> TicketItem:
        current = own_ticket(principal, slug, ticket_id)
        if current.status not in SOLVED_STATUSES:
            raise invalid("rating", "can be given once the request is solved")
        sla = sla_context(principal.tenant_id)
        change = decide(ticket_of(current), actor, RateTicket(rating, remark), utcnow(), sla)
        return current if change is None else commit(principal.tenant_id, change).ticket

    if not csat.surveys_enabled(principal.tenant_id):
        raise invalid("rating", "is not asked for by this team")
    return request_public(retrying(attempt, "The request is changing too fast; try again."))


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


def new_request(
    principal: Principal,
    slug: str,
    subject: str,
    description: str,
    request_id: str | None = None,
    upload_ids: tuple[str, ...] = (),
) -> PortalRequestOut:
    """A request by the signed-in requester; with files, the id their uploads were started under."""
    check_workspace(principal, slug)
    if upload_ids and request_id is None:
        raise invalid("request_id", "is needed with attachments: the id their uploads answered")
    if request_id is not None and repo.get_ticket(principal.tenant_id, request_id) is not None:
        raise invalid("request_id", "names a request that was already sent")
    ticket_id = request_id or new_id()
    files = _uploads(principal, ticket_id, upload_ids)
    upload_claims.check_stored(principal.tenant_id, files)
    return request_public(
        open_ticket(
            principal.tenant_id,
            _actor(principal),
            principal.email or "",
            principal.name,
            subject,
            description,
            ticket_id=ticket_id,
            attachments=upload_claims.attachment_refs(files),
            spending=lambda: _uploads(principal, ticket_id, upload_ids),
        )
    )


def open_ticket(
    tenant_id: str,
    actor: PortalRequester,
    email: str,
    name: str,
    subject: str,
    description: str,
    ticket_id: str | None = None,
    attachments: tuple[AttachmentRef, ...] = (),
    spending: Callable[[], Sequence[MainItem]] = tuple,
) -> TicketItem:
    """A request from the web (the portal or the confirmed web form), into the form's queue.
    ``ticket_id`` fixed by the caller makes a repeated attempt create nothing more; ``spending``
    names, on each attempt, what the request uses up (deleted in its transaction; it may refuse)."""
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
        attachments=attachments,
    )
    change = create(actor, request, utcnow(), sla_context(tenant_id))
    return retrying(
        lambda: commit(tenant_id, change, [Consume(item) for item in spending()]),
        "The request could not be saved; try again.",
    ).ticket


def uploader_id(principal: Principal) -> str:
    """Whose an upload is: a requester's contact, in a namespace no user id can take."""
    return f"contact:{principal.id}"


def _uploads(principal: Principal, ticket_id: str, upload_ids: tuple[str, ...]) -> tuple[PendingUploadItem, ...]:
    limits = get_settings()
    if len(upload_ids) > limits.inbound_max_attachments:
        raise invalid("attachments", f"may name at most {limits.inbound_max_attachments} files")
    return upload_claims.pending_uploads(
        principal.tenant_id, ticket_id, upload_ids, uploader_id(principal), limits.inbound_max_message_bytes
    )


def _actor(principal: Principal) -> PortalRequester:
    return PortalRequester(principal.email or "", principal.name)
