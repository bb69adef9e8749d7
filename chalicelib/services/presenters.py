"""Items to the API's answers (the response models of ``chalicelib/contracts``). Secrets and hashes
never leave through here.

The ``*_snapshot`` forms are the same answers as plain JSON, for what stores or matches them
(audit rows, events, filters): one shape, kept once."""

from __future__ import annotations

from typing import Any

from chalicelib.contracts.responses import (
    ApiKeyOut,
    AttachmentOut,
    AuditEventOut,
    BusinessHoursOut,
    CommentOut,
    CsatRatingOut,
    HistoryEntryOut,
    MergedIntoOut,
    SlaPolicyOut,
    TicketOut,
    TicketSlaOut,
    UserOut,
    WorkspaceOut,
)
from chalicelib.data.models import (
    ApiKeyItem,
    AuditItem,
    CommentItem,
    HistoryItem,
    TicketItem,
    UserItem,
    WorkspaceItem,
)
from chalicelib.data.ticket_changes import clock_of
from chalicelib.domain.clock import maybe_text, to_text, utcnow
from chalicelib.domain.markdown import render_markdown
from chalicelib.domain.sla_clock import state as sla_state
from chalicelib.domain.sla_policies import DEFAULT_POLICY_ID, SlaPolicy
from chalicelib.domain.sla_settings import BusinessHours


def user_public(user: UserItem) -> UserOut:
    return UserOut(
        id=user.user_id,
        name=user.name,
        email=user.email,
        role=user.role,  # type: ignore[arg-type]  # a RoleName; the model checks it
        active=user.active,
        skills=sorted(user.skills or []),
        capacity=int(user.capacity),
        availability=user.availability,  # type: ignore[arg-type]
        created_at=to_text(user.created_at),
        updated_at=to_text(user.updated_at),
        version=int(user.version or 0),
    )


def user_snapshot(user: UserItem) -> dict[str, Any]:
    return user_public(user).model_dump(mode="json")


def workspace_snapshot(workspace: WorkspaceItem) -> dict[str, Any]:
    return workspace_public(workspace).model_dump(mode="json")


def workspace_public(workspace: WorkspaceItem) -> WorkspaceOut:
    return WorkspaceOut(id=workspace.tenant_id, name=workspace.name, slug=workspace.slug)


def api_key_public(key: ApiKeyItem) -> ApiKeyOut:
    return ApiKeyOut(
        id=key.key_id,
        name=key.name,
        scopes=sorted(key.scopes),
        prefix=key.prefix,
        created_by=key.created_by,
        created_at=to_text(key.created_at),
        last_used_at=maybe_text(key.last_used_at),
    )


def api_key_snapshot(key: ApiKeyItem) -> dict[str, Any]:
    return api_key_public(key).model_dump(mode="json")


def audit_public(event: AuditItem) -> AuditEventOut:
    return AuditEventOut(
        id=event.event_id,
        at=to_text(event.at),
        actor=event.actor,
        action=event.action,
        target=event.target,
        before=event.before,
        after=event.after,
        request_id=event.request_id,
        source_ip=event.source_ip,
    )


def ticket_public(ticket: TicketItem) -> TicketOut:
    return TicketOut(
        id=ticket.ticket_id,
        number=int(ticket.number),
        subject=ticket.subject,
        description=ticket.description,
        requester=ticket.requester,
        status=ticket.status,  # type: ignore[arg-type]  # a Status; the model checks it
        priority=ticket.priority,  # type: ignore[arg-type]
        assignee_id=ticket.assignee_id,
        queue=ticket.queue,
        tags=[str(tag) for tag in ticket.tags or []],
        channel=ticket.channel,
        created_at=to_text(ticket.created_at),
        updated_at=to_text(ticket.updated_at),
        first_response_at=maybe_text(ticket.first_response_at),
        solved_at=maybe_text(ticket.solved_at),
        sla_due_at=maybe_text(ticket.sla_due_at),
        sla=ticket_sla_public(ticket),
        version=int(ticket.version or 0),
        attachments=_attachments(ticket.attachments),
        follow_up_of=int(ticket.follow_up_of) if ticket.follow_up_of is not None else None,
        description_html=ticket.description_html,
        merged_into=MergedIntoOut(id=str(ticket.merged_into["id"]), number=int(ticket.merged_into["number"]))
        if ticket.merged_into
        else None,
        csat=CsatRatingOut.model_validate(ticket.csat) if ticket.csat else None,
    )


def ticket_sla_public(ticket: TicketItem) -> TicketSlaOut:
    clock = clock_of(ticket)
    return TicketSlaOut(
        policy_id=clock.policy_id,
        policy_name=clock.policy_name,
        first_response_due_at=maybe_text(clock.first_response_due_at),
        next_reply_due_at=maybe_text(clock.next_reply_due_at),
        resolution_due_at=maybe_text(clock.resolution_due_at),
        paused=clock.paused_at is not None,
        paused_at=maybe_text(clock.paused_at),
        state=sla_state(clock, ticket.status, ticket.first_response_at, utcnow()),
    )


def _attachments(stored: list[dict[str, Any]] | None) -> list[AttachmentOut]:
    return [
        AttachmentOut(
            id=str(a["id"]),
            filename=str(a["filename"]),
            content_type=str(a["content_type"]),
            size=int(a["size"]),
            inline=bool(a.get("inline", False)),
        )
        for a in stored or ()
    ]


def ticket_snapshot(ticket: TicketItem) -> dict[str, Any]:
    """The ticket as the API answers it, as plain JSON: for audit rows, events and filters. Without the
    email's HTML: events travel in SQS messages (256 KB) and WebSocket frames (128 KB), and the text is
    there; the ticket page reads the HTML with the ticket."""
    return ticket_public(ticket).model_dump(mode="json", exclude={"description_html"})


def comment_public(comment: CommentItem, sees_internal: bool) -> CommentOut:
    hidden = not comment.public and not sees_internal
    return CommentOut(
        id=comment.comment_id,
        ticket_id=comment.ticket_id,
        body=None if hidden else comment.body,
        public=comment.public,
        author=comment.author,
        created_at=to_text(comment.created_at),
        channel=comment.channel or "web",  # type: ignore[arg-type]  # a Channel; the model checks it
        attachments=[] if hidden else _attachments(comment.attachments),
        format="markdown" if comment.format == "markdown" else "text",
        body_html=None if hidden else _comment_html(comment),
        cc=[] if hidden else [str(address) for address in comment.cc or ()],
    )


def _comment_html(comment: CommentItem) -> str | None:
    """A Markdown reply is rendered when read (its source is what is stored); an email's HTML part was
    sanitised when it arrived and is stored as such."""
    if comment.format == "markdown":
        return render_markdown(comment.body)
    return comment.body_html


def history_public(entry: HistoryItem) -> HistoryEntryOut:
    return HistoryEntryOut(at=to_text(entry.at), actor=entry.actor, changes=entry.changes, note=entry.note)


def comment_snapshot(comment: CommentItem, sees_internal: bool) -> dict[str, Any]:
    return comment_public(comment, sees_internal).model_dump(mode="json", exclude={"body_html"})


def business_hours_public(hours: BusinessHours) -> BusinessHoursOut:
    return BusinessHoursOut.model_validate(hours.to_dict(), strict=False)


def sla_policy_public(policy: SlaPolicy, position: int | None) -> SlaPolicyOut:
    return SlaPolicyOut.model_validate(
        {**policy.to_dict(), "position": position, "builtin": policy.policy_id == DEFAULT_POLICY_ID}, strict=False
    )
