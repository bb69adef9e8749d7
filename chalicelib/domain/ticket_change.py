"""The unit of work of every ticket write. ``decide`` turns (the current ticket, who acts, what they
ask) into one immutable ``TicketChange``: the new state, the field changes, the history entry, the
audit entry, the load-counter deltas and the stream contract. The data layer commits it as one
transaction; stream consumers read it back with ``parse_stream_change``. Pure code: callers pass
the ids and the time in.

A new way to change a ticket (a rule, an inbound email, the portal) is a new request type here and
a branch of ``decide``, never a new write path."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Any, Literal

from chalicelib.domain import tickets as lifecycle
from chalicelib.domain.actors import (
    ROUTER,
    Actor,
    Anonymous,
    Channel,
    EmailRequester,
    PortalRequester,
    actor_from_dict,
    acts_automatically,
    answers_as_agent,
    default_channel,
)
from chalicelib.domain.assignment import contribution, load_deltas
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import maybe_text, to_text
from chalicelib.domain.errors import invalid
from chalicelib.domain.sla_clock import UNPLANNED, ClockFacts, Reply, SlaClock, plan
from chalicelib.domain.sla_policies import DEFAULT_SLA, SlaContext

STREAM_SCHEMA = 1
MAX_WATCHERS = 50
ChangeKind = Literal["created", "updated", "commented", "released", "assigned", "watchers", "sla_replanned", "rated"]
CommentFormat = Literal["text", "markdown"]  # markdown: shown and emailed as domain/markdown.py renders it


# --- the ticket, as the rules see it -------------------------------------------------------------


@dataclass(frozen=True)
class Requester:
    email: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"email": self.email, "name": self.name}


@dataclass(frozen=True)
class Rating:
    """The requester's satisfaction rating of a solved ticket."""

    rating: Literal["good", "bad"]
    comment: str
    at: datetime

    def to_dict(self) -> dict[str, str]:
        return {"rating": self.rating, "comment": self.comment, "at": to_text(self.at)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rating:
        rating: Literal["good", "bad"] = "bad" if data.get("rating") == "bad" else "good"
        return cls(rating, str(data.get("comment") or ""), datetime.fromisoformat(str(data["at"])))


@dataclass(frozen=True)
class AttachmentRef:
    """A file that came with a message, as the ticket lists it (the bytes are in S3)."""

    attachment_id: str
    filename: str
    content_type: str
    size: int
    inline: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.attachment_id,
            "filename": self.filename,
            "content_type": self.content_type,
            "size": self.size,
            "inline": self.inline,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AttachmentRef:
        return cls(
            str(data["id"]),
            str(data["filename"]),
            str(data["content_type"]),
            int(data["size"]),
            bool(data.get("inline", False)),
        )


@dataclass(frozen=True)
class MergeTarget:
    """The ticket a duplicate was merged into."""

    ticket_id: str
    number: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.ticket_id, "number": self.number}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MergeTarget:
        return cls(str(data["id"]), int(data["number"]))


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    number: int
    subject: str
    description: str
    requester: Requester
    status: str
    priority: str
    assignee_id: str | None
    queue: str
    tags: tuple[str, ...]
    channel: str
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None = None
    solved_at: datetime | None = None
    clock: SlaClock = UNPLANNED
    version: int | None = None  # the stored version this state was read at; None until first stored
    attachments: tuple[AttachmentRef, ...] = ()  # files that came with the message that opened it
    follow_up_of: int | None = None  # the number of the closed ticket this one follows up
    description_html: str | None = None  # the opening email's sanitised HTML (nh3), beside the text
    merged_into: MergeTarget | None = None  # closed as a duplicate of this ticket
    csat: Rating | None = None  # the requester's answer to "How did we do?" (the last one counts)

    @property
    def sla_due_at(self) -> datetime | None:
        return self.clock.due_at

    def clock_facts(self) -> ClockFacts:
        return ClockFacts(
            status=self.status,
            priority=self.priority,
            queue=self.queue,
            tags=self.tags,
            created_at=self.created_at,
            first_response_at=self.first_response_at,
            solved_at=self.solved_at,
        )

    def lifecycle_state(self) -> lifecycle.TicketState:
        return lifecycle.TicketState(
            status=self.status,
            priority=self.priority,
            created_at=self.created_at,
            first_response_at=self.first_response_at,
            solved_at=self.solved_at,
        )

    def with_state(self, state: lifecycle.TicketState) -> Ticket:
        return replace(
            self,
            status=state.status,
            priority=state.priority,
            first_response_at=state.first_response_at,
            solved_at=state.solved_at,
        )

    def record(self) -> dict[str, Any]:
        """The ticket as the audit log keeps it (the API's ticket shape)."""
        return {
            "id": self.ticket_id,
            "number": self.number,
            "subject": self.subject,
            "description": self.description,
            "requester": self.requester.to_dict(),
            "status": self.status,
            "priority": self.priority,
            "assignee_id": self.assignee_id,
            "queue": self.queue,
            "tags": list(self.tags),
            "channel": self.channel,
            "created_at": to_text(self.created_at),
            "updated_at": to_text(self.updated_at),
            "first_response_at": maybe_text(self.first_response_at),
            "solved_at": maybe_text(self.solved_at),
            "sla_due_at": maybe_text(self.sla_due_at),
            "version": self.version or 0,
            "attachments": [a.to_dict() for a in self.attachments],
            "follow_up_of": self.follow_up_of,
            "merged_into": self.merged_into.to_dict() if self.merged_into else None,
            "csat": self.csat.to_dict() if self.csat else None,
        }


@dataclass(frozen=True)
class Watchers:
    """Who follows a ticket; kept beside it, so following never bumps the ticket's version."""

    user_ids: tuple[str, ...] = ()
    version: int | None = None


# --- what is asked -------------------------------------------------------------------------------


class _Keep(Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP  # "leave the assignee as it is" (None means "unassign")


@dataclass(frozen=True)
class CreateTicket:
    ticket_id: str
    number: int
    subject: str
    description: str
    requester: Requester
    priority: str
    queue: str
    tags: tuple[str, ...] = ()
    assignee_id: str | None = None
    channel: Channel | None = None  # None: the actor's own channel
    attachments: tuple[AttachmentRef, ...] = ()
    follow_up_of: int | None = None
    description_html: str | None = None  # sanitised already (domain/inbound_message.py)


@dataclass(frozen=True)
class UpdateTicket:
    status: str | None = None
    priority: str | None = None
    queue: str | None = None
    tags: tuple[str, ...] | None = None
    assignee_id: str | _Keep | None = KEEP


@dataclass(frozen=True)
class AddComment:
    comment_id: str
    body: str
    public: bool
    channel: Channel | None = None  # None: the actor's own channel
    attachments: tuple[AttachmentRef, ...] = ()
    body_html: str | None = None  # sanitised already (domain/inbound_message.py)
    format: CommentFormat = "text"
    cc: tuple[str, ...] = ()  # more addresses a public reply's email goes to


@dataclass(frozen=True)
class SetWatching:
    user_id: str
    watching: bool
    current: Watchers


@dataclass(frozen=True)
class Release:
    """The system hands an assigned ticket back to the queue."""

    reason: str


@dataclass(frozen=True)
class AutoAssign:
    user_id: str
    explanation: Mapping[str, Any]


@dataclass(frozen=True)
class ReplanSla:
    """The workspace's SLA policies or business hours changed: plan the ticket's deadlines again."""

    reason: str


@dataclass(frozen=True)
class ApplyActions:
    """A set of actions (a macro, a rule) as ONE change: the comment first, then the fields (so a
    reply that also solves leaves the ticket solved). ``source`` names what acted, for history
    (e.g. ``{"macro": {"id": ..., "name": ...}}``)."""

    update: UpdateTicket
    comment: AddComment | None
    source: Mapping[str, Any]


MAX_CARRIED = 80  # messages carried over by one merge: one transaction holds at most 100 items


@dataclass(frozen=True)
class MergeAway:
    """Close this ticket as a duplicate of ``into``, telling the requester in ``notice`` (a public reply)."""

    comment_id: str
    notice: str
    into: MergeTarget


@dataclass(frozen=True)
class MergeIn:
    """Take a duplicate's conversation (``carried``, copies keeping their authors and times) with an
    internal ``note``; ``source`` is the duplicate."""

    comment_id: str
    note: str
    source: MergeTarget
    carried: tuple[NewComment, ...]


@dataclass(frozen=True)
class RateTicket:
    """The requester answers the satisfaction survey (again: the last answer replaces the one before)."""

    rating: Literal["good", "bad"]
    comment: str | None = None  # None: keep the comment given with the same rating, if any


Request = (
    CreateTicket
    | UpdateTicket
    | AddComment
    | SetWatching
    | Release
    | AutoAssign
    | ReplanSla
    | ApplyActions
    | MergeAway
    | MergeIn
    | RateTicket
)


# --- what a change is ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any  # JSON values, as history shows them
    after: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "from": self.before, "to": self.after}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FieldChange:
        return cls(str(data["field"]), data.get("from"), data.get("to"))


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: Actor
    changes: tuple[FieldChange, ...]
    note: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class NewComment:
    comment_id: str
    body: str
    public: bool
    author: Actor
    created_at: datetime
    channel: Channel = "web"
    attachments: tuple[AttachmentRef, ...] = ()
    body_html: str | None = None
    format: CommentFormat = "text"
    cc: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoadDelta:
    """How one agent's open-ticket counts move; ``newly_assigned`` stamps their last assignment."""

    user_id: str
    by_priority: Mapping[str, int]
    newly_assigned: bool


@dataclass(frozen=True)
class StreamChange:
    """The stream contract: what the last write did, kept on the ticket item (``last_change``) so
    every stream consumer reads the same typed account instead of re-deriving it from images."""

    kind: ChangeKind
    actor: Actor
    fields: tuple[FieldChange, ...]
    at: datetime
    automatic: bool = False
    comment_id: str | None = None
    public: bool | None = None
    schema: int = STREAM_SCHEMA
    depth: int = 0  # how many rule-caused changes led to this one (domain/rules.py cuts loops with it)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema": self.schema,
            "kind": self.kind,
            "actor": self.actor.to_dict(),
            "fields": [f.to_dict() for f in self.fields],
            "at": self.at.isoformat(),
        }
        if self.automatic:
            data["automatic"] = True
        if self.comment_id is not None:
            data["comment_id"], data["public"] = self.comment_id, self.public
        if self.depth:
            data["depth"] = self.depth
        return data


def parse_stream_change(raw: Mapping[str, Any] | None) -> StreamChange | None:
    """The one reader of ``last_change``. Items written before the schema was versioned carry the
    same fields without ``schema``: they read as schema 1."""
    if not raw or "kind" not in raw:
        return None
    actor = actor_from_dict(raw.get("actor") or {})
    return StreamChange(
        kind=raw["kind"],
        actor=ROUTER if isinstance(actor, Anonymous) else actor,
        fields=tuple(FieldChange.from_dict(f) for f in raw.get("fields") or ()),
        at=datetime.fromisoformat(raw["at"]),
        automatic=bool(raw.get("automatic", False)),
        comment_id=raw.get("comment_id"),
        public=raw.get("public"),
        schema=int(raw.get("schema", STREAM_SCHEMA)),
        depth=int(raw.get("depth", 0)),
    )


@dataclass(frozen=True)
class TicketChange:
    kind: ChangeKind
    actor: Actor
    at: datetime
    before: Ticket | None  # None: the ticket is being created
    after: Ticket
    fields: tuple[FieldChange, ...]
    history: HistoryEntry
    audit: AuditEntry
    load_deltas: tuple[LoadDelta, ...] = ()
    stream: StreamChange | None = None  # None: the ticket item itself is not written (watchers)
    comment: NewComment | None = None
    watchers: Watchers | None = None  # the new list, saved only if still at the version read
    carried: tuple[NewComment, ...] = ()  # a merged duplicate's messages, copied into this ticket

    @property
    def writes_ticket(self) -> bool:
        return self.stream is not None


# --- deciding ------------------------------------------------------------------------------------


def decide(
    current: Ticket | None, actor: Actor, request: Request, now: datetime, sla: SlaContext = DEFAULT_SLA
) -> TicketChange | None:
    """The change ``request`` makes, or None when it changes nothing (nothing is written then).
    Raises a DomainError when the rules refuse it (an invalid transition, too many watchers).
    ``sla`` is the workspace's calendar and policies, which the ticket's clock is planned with."""
    if isinstance(request, CreateTicket):
        if current is not None:
            raise ValueError("the ticket exists already")
        return create(actor, request, now, sla)
    if current is None:
        raise ValueError("no ticket to change")
    if isinstance(request, UpdateTicket):
        return update(current, actor, request, now, sla)
    if isinstance(request, AddComment):
        return comment(current, actor, request, now, sla)
    if isinstance(request, SetWatching):
        return watch(current, actor, request, now)
    if isinstance(request, Release):
        return release(current, actor, request, now)
    if isinstance(request, ReplanSla):
        return replan(current, actor, request, now, sla)
    if isinstance(request, ApplyActions):
        return apply_actions(current, actor, request, now, sla)
    if isinstance(request, MergeAway):
        return merge_away(current, actor, request, now, sla)
    if isinstance(request, MergeIn):
        return merge_in(current, actor, request, now, sla)
    if isinstance(request, RateTicket):
        return rate(current, actor, request, now)
    return auto_assign(current, actor, request, now)


def create(actor: Actor, request: CreateTicket, now: datetime, sla: SlaContext = DEFAULT_SLA) -> TicketChange:
    state = lifecycle.initial_state(request.priority, now)
    ticket = Ticket(
        ticket_id=request.ticket_id,
        number=request.number,
        subject=request.subject,
        description=request.description,
        requester=Requester(request.requester.email.lower(), request.requester.name),
        status=state.status,
        priority=state.priority,
        assignee_id=request.assignee_id,
        queue=request.queue,
        tags=tuple(sorted(set(request.tags))),
        channel=request.channel or default_channel(actor),
        created_at=now,
        updated_at=now,
        attachments=request.attachments,
        follow_up_of=request.follow_up_of,
        description_html=request.description_html,
    )
    ticket = replace(ticket, clock=plan(UNPLANNED, None, ticket.clock_facts(), now, sla))
    history = (FieldChange("created", None, ticket.status),)
    return _change(
        "created",
        actor,
        now,
        None,
        ticket,
        (),
        history,
        _ticket_audit(actor, "ticket.created", ticket, None, ticket.record()),
    )


def update(
    current: Ticket, actor: Actor, request: UpdateTicket, now: datetime, sla: SlaContext = DEFAULT_SLA
) -> TicketChange | None:
    fields: list[FieldChange] = []
    ticket = current
    if request.assignee_id is not KEEP and request.assignee_id != current.assignee_id:
        fields.append(FieldChange("assignee_id", current.assignee_id, request.assignee_id))
        ticket = replace(ticket, assignee_id=request.assignee_id)
    state = current.lifecycle_state()
    if request.status is not None:
        state = lifecycle.change_status(state, request.status, now)
    if request.priority is not None:
        state = lifecycle.change_priority(state, request.priority)
    fields += _differences(("status", current.status, state.status), ("priority", current.priority, state.priority))
    ticket = ticket.with_state(state)
    if request.queue is not None:
        fields += _differences(("queue", current.queue, request.queue))
        ticket = replace(ticket, queue=request.queue)
    if request.tags is not None:
        tags = tuple(sorted(set(request.tags)))
        fields += _differences(("tags", list(current.tags), list(tags)))
        ticket = replace(ticket, tags=tags)
    if not fields:
        return None
    ticket = _replanned(current, replace(ticket, updated_at=now), now, sla)
    # a new priority, queue or tags re-plan the targets: history records the deadlines they moved, so the metrics
    # rebuild (which undoes history from the current ticket) judges an earlier solve against its own deadline
    replanned = any(f.field in ("priority", "queue", "tags") for f in fields)
    fields += _clock_changes(current.clock, ticket.clock, deadlines=replanned)
    audit = _ticket_audit(
        actor,
        "ticket.updated",
        ticket,
        {f.field: f.before for f in fields},
        {f.field: f.after for f in fields},
    )
    changes = tuple(fields)
    return _change("updated", actor, now, current, ticket, changes, changes, audit)


def comment(
    current: Ticket, actor: Actor, request: AddComment, now: datetime, sla: SlaContext = DEFAULT_SLA
) -> TicketChange:
    state = lifecycle.after_reply(
        current.lifecycle_state(), public=request.public, by_agent=answers_as_agent(actor), now=now
    )
    ticket = _replanned(current, replace(current.with_state(state), updated_at=now), now, sla, _reply(actor, request))
    said = FieldChange("comment", None, "public reply" if request.public else "internal note")
    fields = (
        said,
        *_differences(
            ("status", current.status, state.status),
            ("first_response_at", maybe_text(current.first_response_at), maybe_text(state.first_response_at)),
        ),
        *_clock_changes(current.clock, ticket.clock),
    )
    if not any(f.field == "next_reply_due_at" for f in fields):
        # a requester's message starts the next-reply target and an agent's reply ends it: the metrics
        # count that reply met or breached from the change itself (the stream and the history alike)
        fields += tuple(
            _differences(
                (
                    "next_reply_due_at",
                    maybe_text(current.clock.next_reply_due_at),
                    maybe_text(ticket.clock.next_reply_due_at),
                )
            )
        )
    written = NewComment(
        request.comment_id,
        request.body,
        request.public,
        actor,
        now,
        request.channel or default_channel(actor),
        request.attachments,
        request.body_html,
        request.format,
        request.cc if request.public else (),
    )
    audit = _ticket_audit(
        actor, "comment.created", ticket, None, {"comment_id": request.comment_id, "public": request.public}
    )
    stream = StreamChange(
        "commented", actor, fields, now, acts_automatically(actor), request.comment_id, request.public
    )
    return replace(
        _change("commented", actor, now, current, ticket, fields, fields, audit), stream=stream, comment=written
    )


def watch(current: Ticket, actor: Actor, request: SetWatching, now: datetime) -> TicketChange | None:
    before = tuple(sorted(request.current.user_ids))
    if (request.user_id in before) == request.watching:
        return None
    if request.watching and len(before) >= MAX_WATCHERS:
        raise invalid("user_id", f"cannot be added: a ticket has at most {MAX_WATCHERS} watchers")
    after = tuple(sorted({*before, request.user_id} if request.watching else set(before) - {request.user_id}))
    history = (FieldChange("watchers", list(before), list(after)),)
    action = "ticket.watcher_added" if request.watching else "ticket.watcher_removed"
    audit = _ticket_audit(actor, action, current, {"watchers": list(before)}, {"watchers": list(after)})
    return TicketChange(
        kind="watchers",
        actor=actor,
        at=now,
        before=current,
        after=current,
        fields=history,
        history=HistoryEntry(now, actor, history),
        audit=audit,
        watchers=Watchers(after, request.current.version),
    )


def release(current: Ticket, actor: Actor, request: Release, now: datetime) -> TicketChange | None:
    if current.assignee_id is None:
        return None
    fields = (FieldChange("assignee_id", current.assignee_id, None),)
    ticket = replace(current, assignee_id=None, updated_at=now)
    audit = _ticket_audit(actor, "ticket.released", ticket, {"assignee_id": current.assignee_id}, {"assignee_id": None})
    change = _change("released", actor, now, current, ticket, fields, fields, audit)
    return replace(change, history=replace(change.history, note={"automatic": True, "reason": request.reason}))


def auto_assign(current: Ticket, actor: Actor, request: AutoAssign, now: datetime) -> TicketChange | None:
    if not lifecycle.waiting_for_owner(current.status, current.assignee_id):
        return None  # taken or solved meanwhile: an assignment never overrides a person's choice
    fields = (FieldChange("assignee_id", None, request.user_id),)
    ticket = replace(current, assignee_id=request.user_id, updated_at=now)
    audit = _ticket_audit(
        actor, "ticket.auto_assigned", ticket, {"assignee_id": None}, {"assignee_id": request.user_id}
    )
    change = _change("assigned", actor, now, current, ticket, fields, fields, audit)
    return replace(change, history=replace(change.history, note=dict(request.explanation)))


def replan(current: Ticket, actor: Actor, request: ReplanSla, now: datetime, sla: SlaContext) -> TicketChange | None:
    """The same ticket under the workspace's current policies and calendar; None if nothing moves."""
    ticket = _replanned(current, current, now, sla)
    if ticket.clock == current.clock:
        return None
    fields = tuple(_clock_changes(current.clock, ticket.clock, deadlines=True))
    ticket = replace(ticket, updated_at=now)
    audit = _ticket_audit(
        actor,
        "ticket.sla_replanned",
        ticket,
        {f.field: f.before for f in fields},
        {f.field: f.after for f in fields},
    )
    change = _change("sla_replanned", actor, now, current, ticket, fields, fields, audit)
    return replace(change, history=replace(change.history, note={"automatic": True, "reason": request.reason}))


def apply_actions(
    current: Ticket, actor: Actor, request: ApplyActions, now: datetime, sla: SlaContext = DEFAULT_SLA
) -> TicketChange | None:
    """The comment and the field changes as one change from ``current``: one version step, one history
    entry (noting ``source``), one audit entry; None if it changes nothing."""
    said = comment(current, actor, request.comment, now, sla) if request.comment is not None else None
    base = said.after if said is not None else current
    updated = update(base, actor, request.update, now, sla)
    if said is None and updated is None:
        return None
    after = updated.after if updated is not None else base
    fields = (*(said.fields if said else ()), *(updated.fields if updated else ()))
    before: dict[str, Any] = {}
    for f in fields:
        before.setdefault(f.field, f.before)  # a field the comment and the update both move: the first "from"
    before.pop("comment", None)
    said_what: dict[str, Any] = (
        {"comment_id": request.comment.comment_id, "public": request.comment.public} if request.comment else {}
    )
    after_values = {f.field: f.after for f in fields if f.field != "comment"}
    audit = _ticket_audit(
        actor, "ticket.actions_applied", after, before, {**after_values, **said_what, **dict(request.source)}
    )
    kind: ChangeKind = "commented" if said is not None else "updated"
    change = _change(kind, actor, now, current, after, fields, fields, audit)
    if said is not None:
        stream = StreamChange(
            "commented",
            actor,
            fields,
            now,
            acts_automatically(actor),
            request.comment.comment_id if request.comment else None,
            request.comment.public if request.comment else None,
        )
        change = replace(change, stream=stream, comment=said.comment)
    return replace(change, history=replace(change.history, note=dict(request.source)))


def merge_away(
    current: Ticket, actor: Actor, request: MergeAway, now: datetime, sla: SlaContext = DEFAULT_SLA
) -> TicketChange:
    """The duplicate: the notice to its requester, then closed (from any open or solved status: a
    merge is the one way to close without solving) and pointing to the target."""
    if current.status == "closed" or current.merged_into is not None:
        raise invalid("id", "is closed already; only an open or solved ticket can be merged")
    if request.into.ticket_id == current.ticket_id:
        raise invalid("into", "is this ticket itself; merge it into another ticket")
    said = comment(current, actor, AddComment(request.comment_id, request.notice, True), now, sla)
    state = replace(said.after.lifecycle_state(), status="closed", solved_at=said.after.solved_at or now)
    closed = replace(said.after.with_state(state), merged_into=request.into, updated_at=now)
    ticket = _replanned(said.after, closed, now, sla)
    fields = (
        *[f for f in said.fields if f.field not in ("status",) and not f.field.startswith("sla_")],
        *_differences(
            ("status", current.status, ticket.status),
            ("merged_into", None, request.into.number),
        ),
        *_clock_changes(current.clock, ticket.clock),
    )
    audit = _ticket_audit(
        actor, "ticket.merged", ticket, {"status": current.status}, {"status": "closed", **_merge_note(request.into)}
    )
    change = _change("commented", actor, now, current, ticket, fields, fields, audit)
    stream = StreamChange("commented", actor, fields, now, acts_automatically(actor), request.comment_id, True)
    return replace(
        change,
        stream=stream,
        comment=said.comment,
        history=replace(change.history, note=_merge_note(request.into)),
    )


def merge_in(
    current: Ticket, actor: Actor, request: MergeIn, now: datetime, sla: SlaContext = DEFAULT_SLA
) -> TicketChange:
    """The target: an internal note saying what was merged in, and the duplicate's messages."""
    if current.status == "closed":
        raise invalid("into", "is closed; merge into an open or solved ticket")
    if current.merged_into is not None:
        raise invalid("into", f"was merged into #{current.merged_into.number}; merge into that ticket")
    if len(request.carried) > MAX_CARRIED:
        raise invalid("id", f"has {len(request.carried)} messages; at most {MAX_CARRIED} can be merged")
    said = comment(current, actor, AddComment(request.comment_id, request.note, False), now, sla)
    note = {"merged_from": request.source.to_dict(), "carried": len(request.carried)}
    audit = _ticket_audit(actor, "ticket.merged_into", said.after, None, note)
    return replace(said, audit=audit, carried=request.carried, history=replace(said.history, note=note))


def _merge_note(into: MergeTarget) -> dict[str, Any]:
    return {"merged_into": into.to_dict()}


def rate(current: Ticket, actor: Actor, request: RateTicket, now: datetime) -> TicketChange | None:
    """The rating is a field of the ticket: history shows it as ``csat`` (the rating, and the comment
    when there is one), the stream carries it to the metrics, and it moves no clock and no status."""
    before = current.csat
    kept = before.comment if before is not None and before.rating == request.rating else ""
    comment = kept if request.comment is None else request.comment
    if before is not None and (before.rating, before.comment) == (request.rating, comment):
        return None  # the same answer twice (a second click on the same link) changes nothing
    after = Rating(request.rating, comment, now)
    fields = (FieldChange("csat", before.rating if before else None, after.rating),)
    said = before.comment if before else ""
    history = fields + ((FieldChange("csat_comment", said, after.comment),) if after.comment != said else ())
    ticket = replace(current, csat=after, updated_at=now)
    audit = _ticket_audit(
        actor, "ticket.rated", ticket, {"csat": before.to_dict() if before else None}, {"csat": after.to_dict()}
    )
    return _change("rated", actor, now, current, ticket, history, history, audit)


def _replanned(before: Ticket, after: Ticket, now: datetime, sla: SlaContext, reply: Reply | None = None) -> Ticket:
    return replace(after, clock=plan(before.clock, before.clock_facts(), after.clock_facts(), now, sla, reply))


def _reply(actor: Actor, request: AddComment) -> Reply | None:
    """Whose public message it is, for the next-reply target: an agent's answers, a requester's asks."""
    if not request.public:
        return None
    if answers_as_agent(actor):
        return "agent"
    return "requester" if isinstance(actor, EmailRequester | PortalRequester) else None


CLOCK_DEADLINES = ("first_response_due_at", "next_reply_due_at", "resolution_due_at")


def _clock_changes(before: SlaClock, after: SlaClock, *, deadlines: bool = False) -> list[FieldChange]:
    """What history shows of the clock: every pause and resume, a change of policy and, when the
    deadlines were moved by a resume or a re-plan, the deadlines themselves."""
    resumed_or_paused = (before.paused_at is None) != (after.paused_at is None)
    changes = _differences(
        ("sla_policy_id", before.policy_id, after.policy_id),
        ("sla_paused_at", maybe_text(before.paused_at), maybe_text(after.paused_at)),
    )
    if deadlines or resumed_or_paused or before.policy_id != after.policy_id:
        changes += _differences(
            *((name, maybe_text(getattr(before, name)), maybe_text(getattr(after, name))) for name in CLOCK_DEADLINES)
        )
    return changes


def _change(
    kind: ChangeKind,
    actor: Actor,
    now: datetime,
    before: Ticket | None,
    after: Ticket,
    fields: tuple[FieldChange, ...],
    history: tuple[FieldChange, ...],
    audit: AuditEntry,
) -> TicketChange:
    return TicketChange(
        kind=kind,
        actor=actor,
        at=now,
        before=before,
        after=after,
        fields=fields,
        history=HistoryEntry(now, actor, history),
        audit=audit,
        load_deltas=_load_deltas(before, after),
        stream=StreamChange(kind, actor, fields, now, automatic=acts_automatically(actor)),
    )


def _differences(*candidates: tuple[str, Any, Any]) -> list[FieldChange]:
    return [FieldChange(name, before, after) for name, before, after in candidates if before != after]


def _load_deltas(before: Ticket | None, after: Ticket) -> tuple[LoadDelta, ...]:
    was = contribution(before.status, before.assignee_id, before.priority) if before is not None else None
    now = contribution(after.status, after.assignee_id, after.priority)
    return tuple(
        LoadDelta(user_id, by_priority, newly_assigned=_gains(user_id, was, now))
        for user_id, by_priority in load_deltas(was, now).items()
    )


def _gains(user_id: str, was: tuple[str, str] | None, now: tuple[str, str] | None) -> bool:
    return now is not None and now[0] == user_id and (was is None or was[0] != user_id)


def _ticket_audit(
    actor: Actor, action: str, ticket: Ticket, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> AuditEntry:
    return AuditEntry(actor, action, AuditTarget("ticket", ticket.ticket_id, str(ticket.number)), before, after)


# --- reading history back ------------------------------------------------------------------------

REPLAYED_FIELDS = ("status", "priority", "assignee_id", "queue", "tags", "first_response_at")


def tracked(ticket: Ticket) -> dict[str, Any]:
    """The fields history records, as history writes them."""
    return {
        "status": ticket.status,
        "priority": ticket.priority,
        "assignee_id": ticket.assignee_id,
        "queue": ticket.queue,
        "tags": list(ticket.tags),
        "first_response_at": maybe_text(ticket.first_response_at),
    }


def replay(created: Ticket, entries: Iterable[HistoryEntry]) -> dict[str, Any]:
    """The tracked fields after applying, in order, the history written since ``created``."""
    state = tracked(created)
    for entry in entries:
        for change in entry.changes:
            if change.field in REPLAYED_FIELDS:
                state[change.field] = change.after
    return state
