"""Committing a ``TicketChange``: the one function that writes a ticket, and the one retry policy for
the races such a write can lose. Every function takes the tenant first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from pynamodb.exceptions import UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.data import keys
from chalicelib.data.assignment import load_item
from chalicelib.data.models import (
    AgentLoadItem,
    AuditItem,
    CommentItem,
    HistoryItem,
    MainItem,
    TicketItem,
    TicketNumberItem,
    UserItem,
    WatchersItem,
)
from chalicelib.data.store import TransactionConflict, audit_item, backoff, new_id, transaction
from chalicelib.domain.actors import Actor
from chalicelib.domain.clock import from_text, to_text
from chalicelib.domain.errors import Conflict
from chalicelib.domain.sla_clock import SlaClock
from chalicelib.domain.ticket_change import (
    AttachmentRef,
    LoadDelta,
    MergeTarget,
    NewComment,
    Rating,
    Requester,
    Ticket,
    TicketChange,
    Watchers,
)
from chalicelib.domain.ticket_query import UNASSIGNED, composite_value, list_partition_kind

# A lost race is retried from a fresh read: 8 attempts with full-jitter backoff (5 ms .. 640 ms in
# all) outlast a burst of writers on one agent's load counter without holding a request long.
WRITE_ATTEMPTS = 8

T = TypeVar("T")


@dataclass(frozen=True)
class CreateOnce:
    """An item written with the change only if none exists under its key yet (an idempotency marker)."""

    item: MainItem


@dataclass(frozen=True)
class Consume:
    """An item deleted with the change, only if it is still there (a pending upload a reply takes): if
    another writer took it first, the whole change is refused as a lost race."""

    item: MainItem


@dataclass(frozen=True)
class AssigneeRoutable:
    """The change lands only while this user is still active, online and in one of ``roles`` (the router
    plans from a team read a few seconds before)."""

    user_id: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class LoadAsPlanned:
    """The change lands only while this user's load counter is still at ``version``, the one the router
    planned from (None: no counter yet). Another serving, a solve or a manual assignment may have moved it
    since: their room may be gone, so the router plans again rather than go over capacity."""

    user_id: str
    version: int | None


# Writes that land with a ticket change or not at all, each guarded by its own condition.
ExtraWrite = CreateOnce | Consume | AssigneeRoutable | LoadAsPlanned


@dataclass(frozen=True)
class Committed:
    ticket: TicketItem  # as stored now (its new version)
    comment: CommentItem | None = None
    watcher_ids: tuple[str, ...] = ()


def retrying(attempt: Callable[[], T], gives_up: str, attempts: int = WRITE_ATTEMPTS) -> T:
    """Runs ``attempt`` (read, decide, commit) again from fresh data each time its transaction loses a
    race (a ticket version, a watcher list or a load counter moved meanwhile). After ``attempts``
    losses the caller is told to try again later with ``Conflict(gives_up)``."""
    for number in range(attempts):
        try:
            return attempt()
        except TransactionConflict:
            if number + 1 < attempts:
                backoff(number)
    raise Conflict(gives_up)


def commit(tenant_id: str, change: TicketChange, extra: Sequence[ExtraWrite] = ()) -> Committed:
    """Writes the change in one transaction: the ticket (only if still at the version it was read
    at; created only if new), its history entry, the audit entry, a new comment or watcher list,
    and the load counters it moves (each only if unchanged since read, or since the version a ``LoadAsPlanned``
    names); a new ticket's number lookup; the ``extra`` writes, each under its own condition. Raises
    TransactionConflict if anything moved meanwhile; nothing is written then."""
    planned = {write.user_id: write.version for write in extra if isinstance(write, LoadAsPlanned)}
    with transaction(tenant_id, change.audit) as tx:
        ticket = _write(tx, tenant_id, change, planned)
        for write in extra:
            if isinstance(write, CreateOnce):
                tx.save(write.item, condition=MainItem.pk.does_not_exist())
            elif isinstance(write, Consume):
                tx.delete(write.item, condition=MainItem.pk.exists())
            elif isinstance(write, AssigneeRoutable):
                tx.condition_check(
                    UserItem,
                    keys.users(tenant_id),
                    write.user_id,
                    condition=(UserItem.active == True)  # noqa: E712 - a condition expression, not a comparison
                    & (UserItem.availability == "online")
                    & UserItem.role.is_in(*write.roles),
                )
    return Committed(ticket, _comment_of(tenant_id, change), change.watchers.user_ids if change.watchers else ())


def commit_together(tenant_id: str, first: TicketChange, second: TicketChange) -> tuple[Committed, Committed]:
    """Two changes of two tickets (a merge: the duplicate and its target) in one transaction, each
    ticket only if still at the version it was read at, with both audit entries. They must not move
    the same load counter (one item cannot be written twice in a transaction)."""
    with transaction(tenant_id, first.audit) as tx:
        tickets = (_write(tx, tenant_id, first), _write(tx, tenant_id, second))
        tx.save(audit_item(tenant_id, second.audit), condition=AuditItem.pk.does_not_exist())
    return (
        Committed(tickets[0], _comment_of(tenant_id, first)),
        Committed(tickets[1], _comment_of(tenant_id, second)),
    )


def _comment_of(tenant_id: str, change: TicketChange) -> CommentItem | None:
    return _comment_item(tenant_id, change.after.ticket_id, change.comment) if change.comment else None


def _write(
    tx: TransactWrite, tenant_id: str, change: TicketChange, planned_loads: dict[str, int | None] | None = None
) -> TicketItem:
    ticket = _ticket_item(tenant_id, change.after, change)
    comment = _comment_of(tenant_id, change)
    watchers = (
        _watchers_item(tenant_id, change.after.ticket_id, change.watchers, change.at) if change.watchers else None
    )
    if change.writes_ticket:
        _set_index_keys(ticket)
        tx.save(ticket, condition=TicketItem.pk.does_not_exist() if change.before is None else None)
    else:
        tx.condition_check(TicketItem, ticket.pk, keys.TICKET_SK, condition=TicketItem.pk.exists())
    if watchers is not None:
        tx.save(watchers)
    tx.save(_history_item(tenant_id, change))
    if comment is not None:
        tx.save(comment, condition=CommentItem.pk.does_not_exist())
    for load in _load_items(tenant_id, change.load_deltas, change.at):
        if planned_loads is not None and planned_loads.get(load.user_id, load.version) != load.version:
            raise TransactionConflict([None])  # moved since the plan (and the save is against this read)
        tx.save(load)
    if change.before is None:
        number = keys.ticket_number(tenant_id, change.after.number)
        tx.save(TicketNumberItem(*number, tenant_id=tenant_id, ticket_id=change.after.ticket_id))
    for carried in change.carried:
        tx.save(_comment_item(tenant_id, change.after.ticket_id, carried), condition=CommentItem.pk.does_not_exist())
    return ticket


def ticket_of(item: TicketItem) -> Ticket:
    """The stored ticket as the domain rules see it."""
    return Ticket(
        ticket_id=item.ticket_id,
        number=int(item.number),
        subject=item.subject,
        description=item.description,
        requester=Requester(item.requester["email"], item.requester.get("name", "")),
        status=item.status,
        priority=item.priority,
        assignee_id=item.assignee_id,
        queue=item.queue,
        tags=tuple(str(tag) for tag in item.tags or ()),
        channel=item.channel,
        created_at=item.created_at,
        updated_at=item.updated_at,
        first_response_at=item.first_response_at,
        solved_at=item.solved_at,
        clock=clock_of(item),
        version=int(item.version) if item.version is not None else None,
        attachments=tuple(AttachmentRef.from_dict(a) for a in item.attachments or ()),
        follow_up_of=int(item.follow_up_of) if item.follow_up_of is not None else None,
        description_html=item.description_html,
        merged_into=MergeTarget.from_dict(item.merged_into) if item.merged_into else None,
        csat=Rating.from_dict(item.csat) if item.csat else None,
    )


def clock_of(item: TicketItem) -> SlaClock:
    return SlaClock(
        policy_id=item.sla_policy_id,
        policy_name=item.sla_policy_name,
        first_response_due_at=item.first_response_due_at,
        next_reply_due_at=item.next_reply_due_at,
        resolution_due_at=item.resolution_due_at,
        paused_at=item.sla_paused_at,
        pauses=tuple((from_text(start), from_text(end)) for start, end in item.sla_pauses or ()),
        reply_requested_at=item.sla_reply_requested_at,
        at_risk_at=item.sla_at_risk_at,
        due_at=item.sla_due_at,
    )


def watchers_of(item: WatchersItem) -> Watchers:
    return Watchers(tuple(sorted(item.user_ids or ())), int(item.version) if item.version is not None else None)


def _ticket_item(tenant_id: str, ticket: Ticket, change: TicketChange) -> TicketItem:
    clock = ticket.clock
    item = TicketItem(
        keys.ticket(tenant_id, ticket.ticket_id),
        keys.TICKET_SK,
        tenant_id=tenant_id,
        ticket_id=ticket.ticket_id,
        number=ticket.number,
        subject=ticket.subject,
        description=ticket.description,
        requester=ticket.requester.to_dict(),
        status=ticket.status,
        priority=ticket.priority,
        assignee_id=ticket.assignee_id,
        queue=ticket.queue,
        tags=list(ticket.tags),
        channel=ticket.channel,
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        first_response_at=ticket.first_response_at,
        solved_at=ticket.solved_at,
        sla_due_at=clock.due_at,
        sla_policy_id=clock.policy_id,
        sla_policy_name=clock.policy_name,
        first_response_due_at=clock.first_response_due_at,
        next_reply_due_at=clock.next_reply_due_at,
        resolution_due_at=clock.resolution_due_at,
        sla_paused_at=clock.paused_at,
        sla_pauses=[[to_text(start), to_text(end)] for start, end in clock.pauses] or None,
        sla_reply_requested_at=clock.reply_requested_at,
        sla_at_risk_at=clock.at_risk_at,
        last_change=change.stream.to_dict() if change.stream is not None else None,
        attachments=[a.to_dict() for a in ticket.attachments] or None,
        follow_up_of=ticket.follow_up_of,
        description_html=ticket.description_html,
        merged_into=ticket.merged_into.to_dict() if ticket.merged_into else None,
        csat=ticket.csat.to_dict() if ticket.csat else None,
    )
    if ticket.version is not None:  # saved only if still at this version; a new one only if new
        item.version = ticket.version
    return item


def _set_index_keys(ticket: TicketItem) -> None:
    """Keeps the sparse GSI attributes in step with the fields they index."""
    for name, value in index_keys(ticket).items():
        setattr(ticket, name, value)


def index_keys(ticket: TicketItem) -> dict[str, str | None]:
    """Every list-index attribute of ``ticket``, computed here only: a ticket write sets them all,
    and the backfill (``set_list_keys``) gives them to tickets written before an index existed."""
    tid, tags = ticket.tenant_id, [str(t) for t in ticket.tags or ()]

    def part(kind: str, value: str) -> str:  # spam is listed under shadow partitions (domain/ticket_query.py)
        return keys.ticket_partition(tid, list_partition_kind(kind, tags), value)

    assignee = ticket.assignee_id or UNASSIGNED
    due = ticket.sla_due_at
    return {
        "status_pk": part("status", ticket.status),
        "priority_pk": part("priority", ticket.priority),
        "assignee_pk": part("assignee", assignee),
        "queue_pk": part("queue", ticket.queue),
        "requester_pk": part("requester", ticket.requester["email"].lower()),
        "tenant_pk": part("tenant", ""),
        "updated_sk": f"{to_text(ticket.updated_at)}#{ticket.ticket_id}",
        "created_sk": f"{to_text(ticket.created_at)}#{ticket.ticket_id}",
        "sla_pk": part("sla", "") if due else None,
        "sla_due_sk": f"{to_text(due)}#{ticket.ticket_id}" if due else None,
        "status_priority_pk": part("status_priority", composite_value(ticket.status, ticket.priority)),
        "assignee_status_pk": part("assignee_status", composite_value(assignee, ticket.status)),
        "queue_status_pk": part("queue_status", composite_value(ticket.queue, ticket.status)),
    }


LIST_KEYS = ("status_priority_pk", "assignee_status_pk", "queue_status_pk")  # what the backfill sets


def set_list_keys(tenant_id: str, ticket: TicketItem) -> bool:
    """Gives a ticket read at its stored version the composite list keys, unless it changed since
    (then its writer set them). The version stays and ``last_change`` is removed, so the stream's
    consumers (rules, notifications, metrics) see no new change in this record; False if it lost."""
    computed = index_keys(ticket)
    actions = [getattr(TicketItem, name).set(computed[name]) for name in LIST_KEYS]
    actions.append(TicketItem.last_change.remove())
    try:
        MainItem._get_connection().update_item(
            ticket.pk,
            ticket.sk,
            actions=actions,
            condition=TicketItem.version == ticket.version,
        )
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def _history_item(tenant_id: str, change: TicketChange) -> HistoryItem:
    entry = change.history
    return HistoryItem(
        keys.ticket(tenant_id, change.after.ticket_id),
        f"{keys.HISTORY_PREFIX}{to_text(entry.at)}#{new_id()}",
        tenant_id=tenant_id,
        ticket_id=change.after.ticket_id,
        at=entry.at,
        actor=_actor(entry.actor),
        changes=[c.to_dict() for c in entry.changes],
        note=dict(entry.note) if entry.note is not None else None,
    )


def _comment_item(tenant_id: str, ticket_id: str, comment: NewComment) -> CommentItem:
    return CommentItem(
        keys.ticket(tenant_id, ticket_id),
        f"{keys.COMMENT_PREFIX}{to_text(comment.created_at)}#{comment.comment_id}",
        tenant_id=tenant_id,
        ticket_id=ticket_id,
        comment_id=comment.comment_id,
        created_at=comment.created_at,
        body=comment.body,
        public=comment.public,
        author=_actor(comment.author),
        channel=comment.channel,
        attachments=[a.to_dict() for a in comment.attachments] or None,
        body_html=comment.body_html,
        format=None if comment.format == "text" else comment.format,
        cc=list(comment.cc) or None,
    )


def _watchers_item(tenant_id: str, ticket_id: str, watchers: Watchers, at: datetime) -> WatchersItem:
    item = WatchersItem(
        keys.ticket(tenant_id, ticket_id),
        keys.WATCHERS_SK,
        tenant_id=tenant_id,
        ticket_id=ticket_id,
        user_ids=set(watchers.user_ids) or None,
        updated_at=at,
    )
    if watchers.version is not None:
        item.version = watchers.version
    return item


def _load_items(tenant_id: str, deltas: tuple[LoadDelta, ...], at: datetime) -> list[AgentLoadItem]:
    """The counters as read now, moved by the deltas; saved against the version read."""
    changed = []
    for delta in deltas:
        item = load_item(tenant_id, delta.user_id)
        counts = dict(item.open_by_priority or {})
        for priority, moved in delta.by_priority.items():
            counts[priority] = max(0, counts.get(priority, 0) + moved)
        item.open_by_priority = counts
        if delta.newly_assigned:
            item.last_assigned_at = at
        changed.append(item)
    return changed


def _actor(actor: Actor) -> dict[str, str]:
    return actor.to_dict()
