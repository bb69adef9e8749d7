"""Who hears about what: the emails an event sends (assignee, watchers, requester, each as their
preferences and role allow) and the Slack alerts it raises. Pure code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.events import DomainEvent
from chalicelib.domain.onboarding import SAMPLE_TAG
from chalicelib.domain.tickets import AUTO_REPLY_TAG, SPAM_TAG, waiting_for_owner

DEFAULT_PREFS: dict[str, bool] = {
    "email_ticket_assigned": True,  # a ticket was assigned to me (by someone else)
    "email_ticket_commented": True,  # someone else replied or noted on a ticket assigned to me
    "email_sla_breached": True,  # a ticket assigned to me missed its SLA
    "email_watched_tickets": True,  # a ticket I watch got a comment, a new status or missed its SLA
}
WATCHED_EVENTS = ("comment.created", "ticket.status_changed", "ticket.sla_breached")


def effective_prefs(stored: Mapping[str, Any] | None) -> dict[str, bool]:
    return {name: bool((stored or {}).get(name, default)) for name, default in DEFAULT_PREFS.items()}


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    user_id: str | None = None
    prefs: Mapping[str, bool] = field(default_factory=lambda: dict(DEFAULT_PREFS))
    sees_internal_notes: bool = True


@dataclass(frozen=True)
class EmailTarget:
    template: str
    email: str
    name: str

    @property
    def target(self) -> str:
        return f"{self.template}:{self.email.lower()}"


def email_targets(
    event: DomainEvent, assignee: Recipient | None, watchers: Sequence[Recipient] = ()
) -> list[EmailTarget]:
    """Agents hear about their own work and the tickets they watch (as their preferences allow,
    never about their own actions, internal notes only if their role may read them); the requester
    hears public replies and the solve, never an internal note."""
    targets = _assignee_targets(event, assignee) + _requester_targets(event)
    skip = {event.actor.get("id"), assignee.user_id if assignee else None}
    moved_by_reply = event.type == "ticket.status_changed" and event.changes["status"].get("by_reply")
    if event.type in WATCHED_EVENTS and not moved_by_reply:  # the reply's own email says it
        internal_note = event.comment is not None and not event.comment.get("public")
        targets += [
            EmailTarget("watched", w.email, w.name)
            for w in watchers
            if w.user_id not in skip
            and w.prefs.get("email_watched_tickets", True)
            and (w.sees_internal_notes or not internal_note)
        ]
    return targets


def _assignee_targets(event: DomainEvent, assignee: Recipient | None) -> list[EmailTarget]:
    if assignee is None or assignee.user_id == event.actor.get("id"):
        return []
    wanted = {
        "ticket.assigned": ("assigned", "email_ticket_assigned"),
        "comment.created": ("commented", "email_ticket_commented"),
        "ticket.sla_breached": ("sla_breached", "email_sla_breached"),
    }.get(event.type)
    if wanted is None:
        return []
    template, pref = wanted
    return [EmailTarget(template, assignee.email, assignee.name)] if assignee.prefs.get(pref, True) else []


def is_spam(ticket: Mapping[str, Any]) -> bool:
    """A ticket held as spam makes no notification of any kind."""
    return SPAM_TAG in (ticket.get("tags") or ())


def _requester_targets(event: DomainEvent) -> list[EmailTarget]:
    """Never about the requester's own message (no acknowledgement to answer: an auto-reply loop
    needs only one), nor on a ticket a machine wrote in (a bounce or out-of-office gets nothing), nor
    on a sample ticket (its requester is made up)."""
    requester = event.ticket.get("requester") or {}
    if not requester.get("email"):
        return []
    by_requester = (
        event.actor.get("type") == "requester"
        and str(event.actor.get("id", "")).lower() == str(requester["email"]).lower()
    )
    tags = event.ticket.get("tags") or ()
    if by_requester or AUTO_REPLY_TAG in tags or SAMPLE_TAG in tags:  # a sample's requester is nobody
        return []
    name = requester.get("name") or ""
    if event.type == "comment.created" and event.comment is not None and event.comment.get("public"):
        return [EmailTarget("public_reply", requester["email"], name)]
    if event.type == "ticket.status_changed" and event.changes["status"]["to"] == "solved":
        return [EmailTarget("solved", requester["email"], name)]
    return []


def slack_alert(event: DomainEvent, alert_urgent: bool, alert_sla_breaches: bool = True) -> str | None:
    """The Slack alert an event raises by itself, if any (waiting alerts come from a later check)."""
    if event.type == "ticket.sla_breached":
        return "sla_breached" if alert_sla_breaches else None
    if not alert_urgent:
        return None
    became_urgent = event.type == "ticket.priority_changed" and event.changes["priority"]["to"] == "urgent"
    born_urgent = event.type == "ticket.created" and event.ticket.get("priority") == "urgent"
    return "urgent" if became_urgent or born_urgent else None


def starts_waiting_unassigned(event: DomainEvent) -> bool:
    """A ticket that may now wait for an owner: created without one, or handed back."""
    unassigned = waiting_for_owner(event.ticket.get("status"), event.ticket.get("assignee_id"))
    released = event.type == "ticket.status_changed" or "assignee_id" in event.changes
    return unassigned and (event.type == "ticket.created" or released)
