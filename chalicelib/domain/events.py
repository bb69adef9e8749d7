"""Domain events: what happened to a ticket, as integrators, templates and recipients see it. Each
event's id derives from the stream record (or the deadline) that caused it, so a redelivery is
recognised downstream and sends nothing twice. Pure code over the API's own ticket and comment shapes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from chalicelib.domain.principal import SYSTEM_ACTOR

EVENT_TYPES = (
    "ticket.created",
    "ticket.assigned",
    "ticket.status_changed",
    "ticket.priority_changed",
    "comment.created",
    "ticket.sla_breached",
    "ticket.rated",
)
ALL_EVENTS = "*"


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened to a ticket, as integrators and templates see it."""

    id: str
    type: str
    tenant_id: str
    occurred_at: str
    actor: dict[str, Any]
    ticket: dict[str, Any]
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    comment: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DomainEvent:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__ if name in data})

    @classmethod
    def from_payload(cls, tenant_id: str, payload: Mapping[str, Any]) -> DomainEvent:
        """The event back from the webhook body it was sent as (for a manual redelivery)."""
        data = payload.get("data") or {}
        return cls(
            str(payload["id"]),
            str(payload["type"]),
            tenant_id,
            str(payload.get("timestamp", "")),
            dict(data.get("actor") or {}),
            dict(data.get("ticket") or {}),
            dict(data.get("changes") or {}),
            data.get("comment"),
        )

    def payload(self) -> dict[str, Any]:
        """The webhook body (Standard Webhooks' recommended ``type``/``timestamp``/``data`` envelope)."""
        data: dict[str, Any] = {"ticket": self.ticket, "actor": self.actor}
        if self.changes:
            data["changes"] = self.changes
        if self.comment is not None:
            data["comment"] = self.comment
        return {"id": self.id, "type": self.type, "timestamp": self.occurred_at, "data": data}


def event_id(stream_event_id: str, event_type: str) -> str:
    """The same stream record always yields the same event id, so a redelivered record is recognised
    downstream and sends nothing twice."""
    digest = hashlib.sha256(f"{stream_event_id}|{event_type}".encode()).hexdigest()
    return f"evt_{digest[:32]}"


def ticket_events(
    stream_event_id: str,
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any],
    actor: Mapping[str, Any],
    occurred_at: str,
    by_reply: bool = False,
) -> list[DomainEvent]:
    """Events for one write of a ticket (``old`` is None when it was created). ``by_reply``: the
    write was a comment, whose own event tells the story; a status it moved is marked so."""
    tenant_id = str(new["tenant_id"])
    ticket = {k: v for k, v in new.items() if k != "tenant_id"}

    def make(event_type: str, changes: dict[str, dict[str, Any]] | None = None) -> DomainEvent:
        return DomainEvent(
            event_id(stream_event_id, event_type),
            event_type,
            tenant_id,
            occurred_at,
            dict(actor),
            ticket,
            changes or {},
        )

    if old is None:
        events = [make("ticket.created")]
        if new.get("assignee_id"):
            events.append(make("ticket.assigned", {"assignee_id": {"from": None, "to": new["assignee_id"]}}))
        return events
    events = []
    if new.get("assignee_id") and new.get("assignee_id") != old.get("assignee_id"):
        events.append(make("ticket.assigned", _change(old, new, "assignee_id")))
    deadline = _change(old, new, "sla_due_at") if new.get("sla_due_at") != old.get("sla_due_at") else {}
    if new.get("status") != old.get("status"):
        change = _change(old, new, "status")
        if by_reply:
            change["status"]["by_reply"] = True
        events.append(make("ticket.status_changed", {**change, **deadline}))
    if new.get("priority") != old.get("priority"):
        events.append(make("ticket.priority_changed", {**_change(old, new, "priority"), **deadline}))
    if new.get("csat") and new.get("csat") != old.get("csat"):
        events.append(make("ticket.rated", _rating_change(old.get("csat"), new["csat"])))
    return events


def _rating_change(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {"csat": {"from": (old or {}).get("rating"), "to": new["rating"], "comment": new.get("comment") or ""}}


def comment_created(
    stream_event_id: str, tenant_id: str, comment: Mapping[str, Any], ticket: Mapping[str, Any]
) -> DomainEvent:
    return DomainEvent(
        event_id(stream_event_id, "comment.created"),
        "comment.created",
        tenant_id,
        str(comment["created_at"]),
        dict(comment["author"]),
        dict(ticket),
        {},
        dict(comment),
    )


def sla_breached(tenant_id: str, ticket: Mapping[str, Any], occurred_at: str) -> DomainEvent:
    """A ticket missed its deadline. The id derives from the ticket and that deadline, so however
    many checks notice the same breach, it is announced once."""
    target = "resolution" if ticket.get("first_response_at") else "first_response"
    due_at = str(ticket["sla_due_at"])
    return DomainEvent(
        event_id(f"sla:{ticket['id']}:{due_at}", "ticket.sla_breached"),
        "ticket.sla_breached",
        tenant_id,
        occurred_at,
        dict(SYSTEM_ACTOR),
        dict(ticket),
        {"sla": {"from": "due", "to": "breached", "target": target, "due_at": due_at}},
    )


def _change(old: Mapping[str, Any], new: Mapping[str, Any], name: str) -> dict[str, dict[str, Any]]:
    return {name: {"from": old.get(name), "to": new.get(name)}}


def subscribes(event_types: Iterable[str], event_type: str) -> bool:
    wanted = set(event_types)
    return ALL_EVENTS in wanted or event_type in wanted
