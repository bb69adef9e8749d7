"""What a dashboard is told when a ticket changes, and what each reader may see of it. Pure code."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.ticket_change import StreamChange

PRESENCE_TTL = timedelta(seconds=45)  # clients repeat "viewing" every 20 s; silence ends presence

TICKET_SUMMARY_FIELDS = (
    "id",
    "number",
    "subject",
    "status",
    "priority",
    "assignee_id",
    "queue",
    "tags",
    "requester",
    "channel",
    "created_at",
    "updated_at",
    "first_response_at",
    "solved_at",
    "sla_due_at",
    "sla",
    "version",
    "csat",
)


def ticket_summary(ticket: dict[str, Any]) -> dict[str, Any]:
    return {name: ticket.get(name) for name in TICKET_SUMMARY_FIELDS}


def ticket_event(kind: str, ticket: dict[str, Any], change: StreamChange | None) -> dict[str, Any]:
    return {
        "type": "ticket.created" if kind == "INSERT" else "ticket.updated",
        "ticket": ticket_summary(ticket),
        "changes": [f.to_dict() for f in change.fields] if change else [],
        "actor": change.actor.to_dict() if change else None,
    }


def comment_event(comment: dict[str, Any], ticket: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "type": "comment.created",
        "comment": comment,
        "ticket_id": comment["ticket_id"],
        "ticket": ticket_summary(ticket) if ticket else None,
    }


def watchers_event(ticket_id: str, watcher_ids: list[str]) -> dict[str, Any]:
    return {"type": "ticket.watchers", "ticket_id": ticket_id, "watchers": sorted(watcher_ids)}


def visible_to(event: dict[str, Any], sees_internal: bool) -> dict[str, Any]:
    """Readers without access to internal notes learn a note exists, never its body or files (as the
    REST answer, ``presenters.comment_public``)."""
    if event["type"] != "comment.created" or sees_internal or event["comment"]["public"]:
        return event
    return {**event, "comment": {**event["comment"], "body": None, "attachments": []}}


def presence_event(ticket_id: str, viewers: list[dict[str, Any]], now: datetime) -> dict[str, Any]:
    """Who is on a ticket right now: the latest record per user, typing if it has not expired."""
    users: dict[str, dict[str, Any]] = {}
    for viewer in viewers:
        if viewer["seen_at"] is None or now - viewer["seen_at"] > PRESENCE_TTL:
            continue
        typing = viewer["typing_until"] is not None and viewer["typing_until"] > now
        known = users.get(viewer["user_id"])
        users[viewer["user_id"]] = {
            "id": viewer["user_id"],
            "name": viewer["name"],
            "typing": typing or bool(known and known["typing"]),
        }
    return {"type": "presence", "ticket_id": ticket_id, "users": sorted(users.values(), key=lambda u: u["name"])}


AGENT_FIELDS = ("name", "role", "active", "availability", "capacity", "skills")


def agent_event(user: dict[str, Any]) -> dict[str, Any]:
    """A teammate's routing profile changed (availability, capacity...): team pages update live."""
    return {"type": "agent.updated", "agent": {"user_id": user["id"], **{k: user[k] for k in AGENT_FIELDS}}}


def agent_load_event(user_id: str, open_by_priority: dict[str, int]) -> dict[str, Any]:
    return {"type": "agent.load", "agent": {"user_id": user_id, "open_by_priority": open_by_priority}}


def agent_changed(before: dict[str, Any] | None, after: dict[str, Any]) -> bool:
    return before is None or any(before[k] != after[k] for k in AGENT_FIELDS)
