"""Answering a ticket: a public reply or an internal note, with its formatting, attachments and CC."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.data import reply_uploads
from chalicelib.data.models import PendingUploadItem
from chalicelib.data.store import new_id
from chalicelib.data.ticket_changes import Committed, Consume, commit, retrying, ticket_of
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import invalid
from chalicelib.domain.principal import Principal
from chalicelib.domain.reply_uploads import cc_problem
from chalicelib.domain.ticket_change import AddComment, CommentFormat, comment
from chalicelib.services import upload_claims
from chalicelib.services.presenters import comment_public, ticket_public
from chalicelib.services.sla_context import sla_context
from chalicelib.services.ticket_reads import existing_ticket
from chalicelib.settings import get_settings


@dataclass(frozen=True)
class Reply:
    body: str
    public: bool
    format: CommentFormat = "text"
    cc: tuple[str, ...] = ()
    attachment_ids: tuple[str, ...] = ()


def add_comment(principal: Principal, ticket_id: str, reply: Reply) -> dict[str, Any]:
    """Comments never conflict with a colleague's edit: on a version race the reply is re-applied
    to the ticket as it is now."""
    stored = existing_ticket(principal, ticket_id)
    problem = cc_problem(list(reply.cc), reply.public, str(stored.requester["email"]))
    if problem is not None:
        raise invalid(*problem)
    uploads = _checked_uploads(principal, ticket_id, reply.attachment_ids)
    attachments = upload_claims.attachment_refs(uploads)
    request = AddComment(new_id(), reply.body, reply.public, attachments=attachments, format=reply.format, cc=reply.cc)
    # deleted in the reply's own transaction: a reply never saved leaves them; of two racing, one is saved
    taken = [Consume(item) for item in uploads]

    unused_read = [stored]  # the first attempt decides on the read above; a retry reads afresh

    def attempt() -> Committed:
        if not unused_read:
            _still_pending(principal, ticket_id, uploads)  # a lost race may have been for an upload
        current = ticket_of(unused_read.pop() if unused_read else existing_ticket(principal, ticket_id))
        change = comment(current, principal.as_actor(), request, utcnow(), sla_context(principal.tenant_id))
        return commit(principal.tenant_id, change, taken)

    committed = retrying(attempt, "The ticket is changing too fast; try again.")
    assert committed.comment is not None  # commit returns the comment a comment change carries
    return {"comment": comment_public(committed.comment, True), "ticket": ticket_public(committed.ticket)}


def _checked_uploads(
    principal: Principal, ticket_id: str, upload_ids: tuple[str, ...]
) -> tuple[PendingUploadItem, ...]:
    """Every named upload must be this caller's, for this ticket, and in S3 with the declared size.
    They are taken only by the reply's own transaction (``commit``), so a reply that fails leaves them
    claimable."""
    if not upload_ids:
        return ()
    pending = upload_claims.pending_uploads(
        principal.tenant_id,
        ticket_id,
        upload_ids,
        principal.acting_user_id,
        get_settings().inbound_max_message_bytes,
    )
    upload_claims.check_stored(principal.tenant_id, pending)
    return pending


def _still_pending(principal: Principal, ticket_id: str, uploads: tuple[PendingUploadItem, ...]) -> None:
    for item in uploads:
        if reply_uploads.get_pending(principal.tenant_id, ticket_id, item.upload_id) is None:
            raise invalid("attachments", f"names a file another reply took: {item.filename}")
