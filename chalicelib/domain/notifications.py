"""Notification rules, as pure functions: which domain events a change produces, who hears about
each one on which channel, how failed deliveries are spaced, and which webhook targets are safe.

Nothing here talks to AWS or the network; the stream worker and the delivery worker feed it plain
dicts (the API's own ticket and comment shapes) and act on what it answers.
"""

from __future__ import annotations

import hashlib
import ipaddress
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from chalicelib.domain.principal import SYSTEM_ACTOR
from chalicelib.domain.tickets import waiting_for_owner

EVENT_TYPES = (
    "ticket.created",
    "ticket.assigned",
    "ticket.status_changed",
    "ticket.priority_changed",
    "comment.created",
    "ticket.sla_breached",
)
ALL_EVENTS = "*"

Channel = Literal["email", "slack", "webhook", "check_unassigned", "check_sla"]


# --- domain events -------------------------------------------------------------------------------


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
    return events


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


# --- who hears about what ------------------------------------------------------------------------

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


def _requester_targets(event: DomainEvent) -> list[EmailTarget]:
    requester = event.ticket.get("requester") or {}
    if not requester.get("email"):
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


def still_waiting(ticket: Mapping[str, Any]) -> bool:
    return waiting_for_owner(ticket.get("status"), ticket.get("assignee_id"))


def subscribes(event_types: Iterable[str], event_type: str) -> bool:
    wanted = set(event_types)
    return ALL_EVENTS in wanted or event_type in wanted


# --- the delivery job ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One SQS message: one event for one channel target. The idempotency key is the event and the
    target (plus a replay id when an admin replays it on purpose), never the attempt, so retries and
    redeliveries of the same job send at most once."""

    tenant_id: str
    channel: Channel
    target: str
    event: dict[str, Any]
    attempt: int = 1
    extra: dict[str, Any] = field(default_factory=dict)
    replay: str = ""
    not_before: float = 0.0

    @property
    def idempotency_key(self) -> str:
        return f"{self.event['id']}|{self.channel}:{self.target}|{self.replay}"

    @property
    def event_type(self) -> str:
        return str(self.event.get("type", ""))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "idempotency_key": self.idempotency_key}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Job:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__ if name in data})

    def next_attempt(self, not_before: float) -> Job:
        return Job(
            self.tenant_id, self.channel, self.target, self.event, self.attempt + 1, self.extra, self.replay, not_before
        )

    def later(self, not_before: float) -> Job:
        """The same attempt, postponed (a rate limit, or a delay longer than one queue hop)."""
        return Job(
            self.tenant_id, self.channel, self.target, self.event, self.attempt, self.extra, self.replay, not_before
        )


# --- retries -------------------------------------------------------------------------------------

MAX_QUEUE_DELAY_SECONDS = 900  # SQS DelaySeconds limit; longer waits take several hops
JITTER = 0.2


def retry_delay(failed_attempt: int, schedule: Sequence[int], rand: Callable[[], float] = random.random) -> int | None:
    """Seconds before the next attempt after attempt ``failed_attempt`` (1-based) failed, with ±20 %
    jitter so a burst of failures does not retry in lockstep; None once the schedule is spent."""
    if failed_attempt < 1 or failed_attempt > len(schedule):
        return None
    base = schedule[failed_attempt - 1]
    return max(0, round(base * (1 + JITTER * (2 * rand() - 1))))


def queue_hop(not_before: float, now: float) -> int:
    """DelaySeconds for the next hop towards ``not_before``."""
    return max(0, min(MAX_QUEUE_DELAY_SECONDS, int(not_before - now + 0.999)))


def should_disable(failing_since: float | None, now: float, disable_after_seconds: int) -> bool:
    return failing_since is not None and now - failing_since >= disable_after_seconds


# --- outbound URL safety (SSRF) ------------------------------------------------------------------

_METADATA = {
    ipaddress.ip_address("169.254.169.254"),  # EC2, GCP, Azure instance metadata
    ipaddress.ip_address("169.254.170.2"),  # ECS task metadata
    ipaddress.ip_address("fd00:ec2::254"),  # EC2 metadata over IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud metadata
}


def url_refusal(url: str, allow_private: bool) -> str | None:
    """Why a webhook URL may not be used, or None. Literal addresses are checked here; names are
    checked again after DNS resolution, just before each request."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "is not a valid URL"
    if parts.scheme not in ("https", "http"):
        return "must be an https:// URL"
    if parts.scheme == "http" and not allow_private:
        return "must use https"
    if not parts.hostname:
        return "has no host"
    if parts.username or parts.password:
        return "may not contain credentials"
    if port == 0:
        return "has an invalid port"
    if allow_private:
        return None
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return None if parts.hostname.lower() != "localhost" else "points at a loopback address"
    return address_refusal(str(literal))


def address_refusal(address: str) -> str | None:
    """Why an address may not be called: only public unicast addresses are allowed."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in _METADATA:
        return "points at the cloud metadata address"
    if ip.is_loopback or ip.is_unspecified:  # 0.0.0.0 and :: reach this very host
        return "points at a loopback address"
    if ip.is_link_local:
        return "points at a link-local address"
    if ip.is_private:
        return "points at a private address"
    if ip.is_multicast or ip.is_reserved or not ip.is_global:
        return "points at a reserved address"
    return None


def mask(secret: str | None, keep: int = 4) -> str | None:
    """``xoxb-…a1b2`` or ``https://hooks.slack.com/…a1b2``: enough to recognise, never enough to use."""
    if not secret:
        return None
    if "://" in secret:
        parts = urlsplit(secret)
        prefix = f"{parts.scheme}://{parts.hostname or ''}/"
    elif "-" in secret[:6]:
        prefix = secret.split("-", 1)[0] + "-"
    else:
        prefix = ""
    return f"{prefix}…{secret[-keep:]}" if len(secret) >= keep * 3 else "…"


class DeliveryFailed(Exception):
    """A delivery did not happen. ``permanent`` ones are not retried (a revoked token, a deleted
    endpoint); ``retry_after`` is the peer's own wish (HTTP 429 ``Retry-After``)."""

    def __init__(self, reason: str, *, permanent: bool = False, retry_after: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after
