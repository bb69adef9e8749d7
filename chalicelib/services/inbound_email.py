"""Email in: one raw message becomes a new ticket, or a public comment on the ticket it answers
(an internal note when the sender is not the ticket's requester).

The workspace comes from the address the message was sent to (``<slug>@``, ``<slug>+<name>@`` or
a signed ``reply+<token>@``). A reply is recognised, in this order, by its signed reply address,
by its In-Reply-To/References naming an email we sent (or one we received) about a ticket, or by
a ``[#123]`` subject tag from the ticket's own requester, when the receiving server authenticated
the From (DMARC, or DKIM aligned with it; a message with no verdicts at all, only on the local
stack, is believed). Every write is a ``TicketChange``
committed with the message's idempotency marker in the same transaction, so the same message
delivered twice makes one ticket or comment.

Never a loop: mail a machine sent (auto-submitted, bounces, out-of-office, bulk, our own sender) is
tagged ``auto-reply`` and gets no email back; it never reopens a solved ticket. Never a flood: past
the per-sender or per-workspace limit a message is kept in the Spam view, like SES's spam verdict; a virus verdict
drops it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from chalicelib.data import identity, mail
from chalicelib.data import tickets as repo
from chalicelib.data.models import TicketItem
from chalicelib.data.store import new_id
from chalicelib.data.ticket_changes import Committed, CreateOnce, commit, retrying, ticket_of
from chalicelib.domain.actors import ROUTER, EmailRequester
from chalicelib.domain.clock import utcnow
from chalicelib.domain.email_headers import plain_header_text
from chalicelib.domain.inbound_addresses import (
    BadReplyToken,
    ReplyAddress,
    WorkspaceAddress,
    destination,
    subject_ticket_number,
)
from chalicelib.domain.inbound_message import InboundMessage, Limits, parse_message
from chalicelib.domain.ticket_change import (
    AddComment,
    AttachmentRef,
    CreateTicket,
    Requester,
    comment,
    create,
)
from chalicelib.domain.tickets import AUTO_REPLY_TAG, SPAM_TAG
from chalicelib.observability import logger
from chalicelib.services import rate_limits
from chalicelib.services.sla_context import sla_context
from chalicelib.settings import get_settings

DEFAULT_QUEUE = "support"
MAX_SUBJECT = 250
MAX_THREAD_LOOKUPS = 20
MAX_MERGE_HOPS = 5

Result = Literal["created", "commented", "duplicate", "dropped"]


@dataclass(frozen=True)
class Outcome:
    result: Result
    reason: str = ""
    tenant_id: str | None = None
    ticket_id: str | None = None
    ticket_number: int | None = None
    comment_id: str | None = None


@dataclass(frozen=True)
class _Route:
    tenant_id: str
    queue: str
    reply_to: ReplyAddress | None  # a verified reply address of this workspace


def limits() -> Limits:
    settings = get_settings()
    return Limits(
        max_attachment_bytes=settings.inbound_max_attachment_bytes,
        max_message_bytes=settings.inbound_max_message_bytes,
        max_attachments=settings.inbound_max_attachments,
    )


def receive_stored(bucket: str, key: str) -> Outcome:
    """The message SES (or the local SMTP server) stored at ``bucket``/``key``."""
    # the raw message may hold attachments past their limits (dropped with a note); not without end
    ceiling = get_settings().inbound_max_message_bytes * 2 + 5 * 1024 * 1024
    raw = mail.read_object(bucket, key, ceiling)
    if raw is None:
        return _drop(f"message larger than {ceiling} bytes", key=key)
    return receive(raw, source=key)


def receive(raw: bytes, source: str = "") -> Outcome:
    message = parse_message(raw, limits())
    if message.verdicts.has_virus:
        return _drop("the receiving server found a virus", source=source, message_id=message.message_id)
    route = _route(message)
    if isinstance(route, Outcome):
        return route
    sender = message.from_address
    if sender is None:
        return _drop("the From header names no address to answer", tenant_id=route.tenant_id, source=source)
    message_id = message.message_id or _content_id(raw)
    if mail.get_mail_record(route.tenant_id, message_id, "IN") is not None:
        return _duplicate(route.tenant_id, message_id)
    spam = (
        message.verdicts.is_spam
        or not rate_limits.within("inbound.sender", f"{route.tenant_id}#{sender}")
        or not rate_limits.within("inbound.workspace", route.tenant_id)
    )
    own = sender == get_settings().email_sender.lower() or sender.endswith("@" + get_settings().inbound_domain)
    automatic = message.auto is not None or own
    target = None if spam else _thread(route, message, sender)
    if target is not None and target.status in ("solved", "closed") and automatic:
        return _drop(
            f"an automatic message ({message.auto or 'from our own sender'}) does not reopen ticket #{target.number}",
            tenant_id=route.tenant_id,
            message_id=message_id,
        )
    outcome = _write(route, message, message_id, sender, target, spam=spam, automatic=automatic)
    logger.info(
        "inbound email",
        extra={
            "result": outcome.result,
            "tenant_id": route.tenant_id,
            "ticket_number": outcome.ticket_number,
            "spam": spam,
            "automatic": message.auto or ("own sender" if own else None),
            "attachments": len(message.attachments),
            "dropped": len(message.dropped),
        },
    )
    return outcome


# --- where it goes -------------------------------------------------------------------------------


def _route(message: InboundMessage) -> _Route | Outcome:
    """The first recipient that is an address of ours decides the workspace."""
    settings = get_settings()
    refused: list[str] = []
    for address in message.recipients:
        found = destination(address, settings.inbound_domain, settings.reply_token_key)
        if found is None:
            continue
        if isinstance(found, BadReplyToken):
            refused.append(address)
            continue
        if isinstance(found, ReplyAddress):
            if identity.get_workspace(found.tenant_id) is None:
                refused.append(address)
                continue
            return _Route(found.tenant_id, DEFAULT_QUEUE, found)
        route = _workspace_route(found)
        if route is not None:
            return route
        refused.append(address)
    reason = "no recipient is a known address of a workspace"
    if refused:
        reason += f" (refused: {', '.join(refused)[:300]})"
    return _drop(reason, recipients=", ".join(message.recipients)[:300], message_id=message.message_id)


def _workspace_route(address: WorkspaceAddress) -> _Route | None:
    tenant_id = identity.tenant_for_slug(address.slug)
    if tenant_id is None:
        return None
    if address.name is None:
        return _Route(tenant_id, DEFAULT_QUEUE, None)
    extra = mail.get_address(tenant_id, address.name)
    return _Route(tenant_id, extra.queue, None) if extra is not None else None


def _thread(route: _Route, message: InboundMessage, sender: str) -> TicketItem | None:
    """The ticket this message answers, if any (see the module's docstring for the order); a ticket
    merged into another stands for that other one."""
    found = _answered(route, message, sender)
    return _merge_target(route.tenant_id, found) if found is not None else None


def _merge_target(tenant_id: str, ticket: TicketItem) -> TicketItem:
    """Follows ``merged_into`` (a few hops at most: a target is never itself merged when chosen)."""
    for _ in range(MAX_MERGE_HOPS):
        if not ticket.merged_into:
            return ticket
        target = repo.get_ticket(tenant_id, str(ticket.merged_into["id"]))
        if target is None:
            return ticket
        ticket = target
    return ticket


def _answered(route: _Route, message: InboundMessage, sender: str) -> TicketItem | None:
    tenant_id = route.tenant_id
    if route.reply_to is not None:
        ticket = mail.ticket_by_number(tenant_id, route.reply_to.ticket_number)
        if ticket is not None:
            return ticket
    ids = list(dict.fromkeys([*message.in_reply_to, *reversed(message.references)]))
    for message_id in ids[:MAX_THREAD_LOOKUPS]:
        for direction in ("OUT", "IN"):
            record = mail.get_mail_record(tenant_id, message_id, direction)
            if record is not None and record.ticket_id:
                ticket = repo.get_ticket(tenant_id, record.ticket_id)
                if ticket is not None:
                    return ticket
    number = subject_ticket_number(message.subject)
    # A subject tag is typed by anyone: it threads only for a From the receiving server authenticated
    # (a forged From would otherwise comment on someone else's ticket). Not reported at all: local stack.
    if number is not None and message.verdicts.authenticates(sender) is not False:
        ticket = mail.ticket_by_number(tenant_id, number)
        if ticket is not None and str(ticket.requester.get("email", "")).lower() == sender:
            return ticket
    return None


# --- writing it ----------------------------------------------------------------------------------


def _write(
    route: _Route,
    message: InboundMessage,
    message_id: str,
    sender: str,
    target: TicketItem | None,
    *,
    spam: bool,
    automatic: bool,
) -> Outcome:
    tenant_id = route.tenant_id
    actor = EmailRequester(sender, message.from_name)
    ticket_id = (
        target.ticket_id if target is not None and target.status != "closed" else _derived_id(tenant_id, message_id)
    )
    attachments = _store_attachments(tenant_id, ticket_id, message_id, message)
    tags = tuple(t for t, wanted in ((SPAM_TAG, spam), (AUTO_REPLY_TAG, automatic)) if wanted)

    if target is not None and target.status != "closed":
        # Someone else answering through a leaked reply address or a thread's Message-ID is kept for the
        # agents as an internal note: a public comment would be mailed on to the requester in our name.
        # (Tickets have no CCs: the requester is the only outside party of a ticket.)
        public = str(target.requester.get("email", "")).lower() == sender
        request = AddComment(
            _derived_id(tenant_id, message_id, "comment"),
            _reply_body(message),
            public,
            "email",
            attachments,
            body_html=message.html,
        )

        def add() -> Committed:
            current = repo.get_ticket(tenant_id, ticket_id)
            assert current is not None  # tickets are never deleted
            change = comment(ticket_of(current), actor, request, utcnow(), sla_context(tenant_id))
            marker = mail.inbound_marker(tenant_id, message_id, ticket_id, int(current.number), request.comment_id)
            return commit(tenant_id, change, [CreateOnce(marker)])

        committed = _committing(add, tenant_id, message_id)
        if committed is None:
            return _duplicate(tenant_id, message_id)
        result: Result = "commented"
    else:
        number = repo.next_ticket_number(tenant_id)
        follow_up = int(target.number) if target is not None else None
        description = message.text or "(no text)"
        if follow_up is not None:
            description = f"Follow-up to closed ticket #{follow_up}.\n\n{description}"
        request_new = CreateTicket(
            ticket_id=ticket_id,
            number=number,
            subject=(message.subject or "(no subject)")[:MAX_SUBJECT],
            description=description,
            requester=Requester(sender, message.from_name),
            priority="normal",
            queue=route.queue,
            tags=tags,
            channel="email",
            attachments=attachments,
            follow_up_of=follow_up,
            description_html=message.html,
        )

        def open_ticket() -> Committed:
            change = create(actor, request_new, utcnow(), sla_context(tenant_id))
            marker = mail.inbound_marker(tenant_id, message_id, ticket_id, number, None)
            return commit(tenant_id, change, [CreateOnce(marker)])

        committed = _committing(open_ticket, tenant_id, message_id)
        if committed is None:
            return _duplicate(tenant_id, message_id)
        result = "created"
    if message.dropped:
        _note_dropped(tenant_id, ticket_id, message)
    return Outcome(
        result,
        tenant_id=tenant_id,
        ticket_id=ticket_id,
        ticket_number=int(committed.ticket.number),
        comment_id=committed.comment.comment_id if committed.comment is not None else None,
    )


def _committing(attempt: Callable[[], Committed], tenant_id: str, message_id: str) -> Committed | None:
    """Runs the commit; None when the message's marker exists (a concurrent delivery won: its
    marker's condition failed ours, and the fresh read on retry finds it)."""

    def once() -> Committed | None:
        if mail.get_mail_record(tenant_id, message_id, "IN") is not None:
            return None
        return attempt()

    return retrying(once, "The ticket is changing too fast; the message will be retried.")


def _reply_body(message: InboundMessage) -> str:
    return message.reply_text or message.text or "(no text)"


def _store_attachments(
    tenant_id: str, ticket_id: str, message_id: str, message: InboundMessage
) -> tuple[AttachmentRef, ...]:
    """Stored before the write; their ids come from the message, so a redelivery overwrites the
    same objects instead of leaving copies."""
    bucket = get_settings().attachments_bucket
    stored = []
    for index, attachment in enumerate(message.attachments):
        attachment_id = _derived_id(tenant_id, message_id, f"attachment-{index}")
        mail.store_attachment(bucket, tenant_id, ticket_id, attachment_id, attachment.content)
        stored.append(
            AttachmentRef(
                attachment_id, attachment.filename, attachment.content_type, attachment.size, attachment.inline
            )
        )
    return tuple(stored)


def _note_dropped(tenant_id: str, ticket_id: str, message: InboundMessage) -> None:
    """An internal note by Pulsedesk listing what the message held that was not kept."""
    lines = "\n".join(f"- {plain_header_text(line, 300)}" for line in message.dropped[:50])
    more = f"\n- and {len(message.dropped) - 50} more" if len(message.dropped) > 50 else ""
    body = f"Not kept from the email of {message.from_address or 'an unknown sender'}:\n{lines}{more}"
    request = AddComment(new_id(), body, False, "email")

    def attempt() -> Committed:
        current = repo.get_ticket(tenant_id, ticket_id)
        assert current is not None
        return commit(tenant_id, comment(ticket_of(current), ROUTER, request, utcnow(), sla_context(tenant_id)))

    retrying(attempt, "The ticket is changing too fast.")


def _derived_id(tenant_id: str, message_id: str, purpose: str = "ticket") -> str:
    """Ids that a redelivery of the same message derives again (so its writes meet their own)."""
    return hashlib.sha256(f"{tenant_id}\0{message_id}\0{purpose}".encode()).hexdigest()[:32]


def _content_id(raw: bytes) -> str:
    """A message without a Message-ID is known by its content."""
    return f"<{hashlib.sha256(raw).hexdigest()}@no-message-id.invalid>"


def _duplicate(tenant_id: str, message_id: str) -> Outcome:
    record = mail.get_mail_record(tenant_id, message_id, "IN")
    logger.info("inbound email already received", extra={"tenant_id": tenant_id})
    return Outcome(
        "duplicate",
        "already received",
        tenant_id,
        record.ticket_id if record else None,
        int(record.ticket_number) if record and record.ticket_number is not None else None,
        record.comment_id if record else None,
    )


def _drop(reason: str, **context: str | None) -> Outcome:
    logger.warning(f"inbound email dropped: {reason}", extra={k: v for k, v in context.items() if v})
    return Outcome("dropped", reason, context.get("tenant_id"))
