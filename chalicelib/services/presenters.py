"""Items to the JSON the API returns. Secrets and hashes never leave through here."""

from __future__ import annotations

from typing import Any

from chalicelib.data.models import (
    ApiKeyItem,
    AuditItem,
    CommentItem,
    HistoryItem,
    TicketItem,
    UserItem,
    WorkspaceItem,
)
from chalicelib.domain.clock import maybe_text, to_text


def user_public(user: UserItem) -> dict[str, Any]:
    return {
        "id": user.user_id,
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "active": user.active,
        "skills": sorted(user.skills or []),
        "capacity": int(user.capacity),
        "availability": user.availability,
        "created_at": to_text(user.created_at),
        "updated_at": to_text(user.updated_at),
        "version": int(user.version or 0),
    }


def workspace_public(workspace: WorkspaceItem) -> dict[str, Any]:
    return {"id": workspace.tenant_id, "name": workspace.name, "slug": workspace.slug}


def api_key_public(key: ApiKeyItem) -> dict[str, Any]:
    return {
        "id": key.key_id,
        "name": key.name,
        "scopes": sorted(key.scopes),
        "prefix": key.prefix,
        "created_by": key.created_by,
        "created_at": to_text(key.created_at),
        "last_used_at": maybe_text(key.last_used_at),
    }


def audit_public(event: AuditItem) -> dict[str, Any]:
    return {
        "id": event.event_id,
        "at": to_text(event.at),
        "actor": event.actor,
        "action": event.action,
        "target": event.target,
        "before": event.before,
        "after": event.after,
        "request_id": event.request_id,
        "source_ip": event.source_ip,
    }


def ticket_public(ticket: TicketItem) -> dict[str, Any]:
    return {
        "id": ticket.ticket_id,
        "number": int(ticket.number),
        "subject": ticket.subject,
        "description": ticket.description,
        "requester": ticket.requester,
        "status": ticket.status,
        "priority": ticket.priority,
        "assignee_id": ticket.assignee_id,
        "queue": ticket.queue,
        "tags": list(ticket.tags or []),
        "channel": ticket.channel,
        "created_at": to_text(ticket.created_at),
        "updated_at": to_text(ticket.updated_at),
        "first_response_at": maybe_text(ticket.first_response_at),
        "solved_at": maybe_text(ticket.solved_at),
        "sla_due_at": maybe_text(ticket.sla_due_at),
        "version": int(ticket.version or 0),
    }


def comment_public(comment: CommentItem, sees_internal: bool) -> dict[str, Any]:
    hidden = not comment.public and not sees_internal
    return {
        "id": comment.comment_id,
        "ticket_id": comment.ticket_id,
        "body": None if hidden else comment.body,
        "public": comment.public,
        "author": comment.author,
        "created_at": to_text(comment.created_at),
    }


def history_public(entry: HistoryItem) -> dict[str, Any]:
    return {"at": to_text(entry.at), "actor": entry.actor, "changes": entry.changes, "note": entry.note}
