"""From a ticket filter to a query plan: which index, which partitions, what is left to filter.

Every plan is answered by Queries on the chosen index (never a Scan). The most selective
equality filter picks the partition; the rest become filter conditions on that Query.
Pure code: the data layer turns a plan into PynamoDB calls.

Spam is held apart: a ticket tagged ``spam`` matches only a filter that asks for ``tag=spam``. So
that ordinary lists never read it, it is kept under shadow partitions (``spam-status``,
``spam-assignee``...) of every list index but the requester's (see ``list_partition_kind``), and a
``tag=spam`` plan reads those shadows only; a requester list drops it with a filter condition (one
sender's mail, limited per hour).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal, get_args

from chalicelib.domain.clock import to_text
from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.tickets import PRIORITIES, SPAM_TAG, STATUSES

Sort = Literal["-updated_at", "updated_at", "-created_at", "created_at", "priority", "sla_due_at"]
SORTS: tuple[str, ...] = get_args(Sort)
UNASSIGNED = "none"
_USER_ID = re.compile(r"[a-f0-9]{32}")
# Partition kinds of the list indexes a ticket held as spam is kept out of (in their shadow instead).
SPAM_SHADOWED = frozenset(
    {"status", "priority", "assignee", "queue", "tenant", "sla", "status_priority", "assignee_status", "queue_status"}
)
SPAM_SHADOW = "spam-"


def composite_value(first: str, second: str) -> str:
    """The partition value of a composite list key (``by_assignee_status``: ``<user>#open``). The
    second part is a status or a priority, which never holds ``#``: values never collide."""
    return f"{first}#{second}"


def list_partition_kind(kind: str, tags: Sequence[str]) -> str:
    """The partition kind a ticket with ``tags`` is listed under in the index of ``kind``."""
    return SPAM_SHADOW + kind if SPAM_TAG in tags and kind in SPAM_SHADOWED else kind


@dataclass(frozen=True)
class TicketFilter:
    statuses: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    assignee: str | None = None  # a user id, or UNASSIGNED ("me" is resolved before planning)
    queue: str | None = None
    tag: str | None = None
    requester: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    sla_due_before: datetime | None = None
    sort: Sort = "-updated_at"


# (after, before) pairs: each bounds one ordered key, and the planner needs after < before.
RANGES = (("created_after", "created_before"), ("updated_after", "updated_before"))
MOMENTS = ("created_after", "created_before", "updated_after", "updated_before", "sla_due_before")


def filter_problems(f: TicketFilter) -> list[dict[str, str]]:
    """Everything that keeps ``f`` from being planned and run, as a whole, each naming its field as
    GET /tickets names it. A filter with no problems is one ``plan_ticket_query`` can always run:
    DynamoDB refuses a key range whose start is after its end, and an empty range matches nothing."""
    problems: list[dict[str, str]] = []

    def problem(name: str, message: str) -> None:
        problems.append({"field": name, "message": message})

    for status in (s for s in f.statuses if s not in STATUSES):
        problem("status", f"'{status}' is not a ticket status")
    for priority in (p for p in f.priorities if p not in PRIORITIES):
        problem("priority", f"'{priority}' is not a priority")
    if f.assignee is not None and f.assignee != UNASSIGNED and not _USER_ID.fullmatch(f.assignee):
        problem("assignee", "must be 'me', 'unassigned' or a user id")
    if f.sort not in SORTS:
        problem("sort", f"must be one of {', '.join(SORTS)}")
    naive = {name for name in MOMENTS if (moment := getattr(f, name)) is not None and moment.utcoffset() is None}
    for name in sorted(naive):
        problem(name, "must be a date-time with a time zone (e.g. 2026-01-31T09:00:00Z)")
    for after, before in RANGES:
        low, high = getattr(f, after), getattr(f, before)
        if low is not None and high is not None and not {after, before} & naive and low >= high:
            problem(before, f"must be later than {after}: no ticket can match this range")
    return problems


def validate_filter(f: TicketFilter, found: Sequence[dict[str, str]] = ()) -> TicketFilter:
    """``f`` itself when it can be run; otherwise ValidationFailed naming every field at fault
    (with the problems ``found`` while building ``f``, e.g. an assignee that could not be resolved)."""
    problems = [*found, *filter_problems(f)]
    if problems:
        raise ValidationFailed(problems, detail="; ".join(f"{p['field']}: {p['message']}" for p in problems))
    return f


@dataclass(frozen=True)
class Residual:
    """A condition the chosen index cannot answer by key: field, operator, values."""

    field: str
    op: Literal["in", "eq", "contains", "not_contains", "gt", "lt", "exists"]
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Plan:
    index: str
    partitions: tuple[tuple[str, str], ...]  # (partition kind, value), e.g. ("status", "open")
    order: Literal["merge", "concat"]  # merge: interleave by sort key; concat: one partition after another
    descending: bool
    key_after: str | None = None  # sort-key bounds, exclusive
    key_before: str | None = None
    residuals: tuple[Residual, ...] = field(default_factory=tuple)
    # concat order when partitions share a rank: each rank's partitions are merged by sort key, and
    # the ranks read one after another (priority sort over status×priority: urgent's statuses first)
    ranks: tuple[int, ...] = ()

    def rank(self, position: int) -> int:
        if self.ranks:
            return self.ranks[position]
        return position if self.order == "concat" else 0


def plan_ticket_query(f: TicketFilter, composite: bool = False) -> Plan:
    """``composite``: the workspace's tickets all carry the composite list keys (a workspace created
    before them says so once the backfill is done); until then the single-field indexes answer."""
    if f.sort == "priority":
        plan = _priority_plan(f, composite)
    elif f.sort in ("created_at", "-created_at"):
        plan = _created_plan(f)
    # Soonest deadline first reads the sparse by_sla_due index in key order: a page reads what it
    # returns (plus the residual filters' misses), never every open ticket. Tickets whose clock is
    # stopped (paused, solved, no policy) have no deadline and are not in this order.
    elif f.sla_due_before is not None or f.sort == "sla_due_at":
        plan = _sla_plan(f)
    else:
        plan = _updated_plan(f, composite)
    return _spam_held_apart(plan, f)


def _spam_held_apart(plan: Plan, f: TicketFilter) -> Plan:
    shadowed = all(kind in SPAM_SHADOWED for kind, _ in plan.partitions)
    if f.tag == SPAM_TAG and shadowed:
        implied = Residual("tags", "contains", (SPAM_TAG,))
        return replace(
            plan,
            partitions=tuple((SPAM_SHADOW + kind, value) for kind, value in plan.partitions),
            residuals=tuple(r for r in plan.residuals if r != implied),
        )
    if f.tag != SPAM_TAG and not shadowed:
        return replace(plan, residuals=(*plan.residuals, Residual("tags", "not_contains", (SPAM_TAG,))))
    return plan


def _updated_plan(f: TicketFilter, composite: bool) -> Plan:
    used: set[str] = set()
    partitions: tuple[tuple[str, str], ...]
    statuses = tuple(sorted(set(f.statuses)))
    if composite and statuses and f.assignee is not None:
        index = "by_assignee_status"
        partitions = tuple(("assignee_status", composite_value(f.assignee, s)) for s in statuses)
        used |= {"assignee", "statuses"}
    elif f.assignee is not None:
        index, partitions = "by_assignee", (("assignee", f.assignee),)
        used.add("assignee")
    elif f.requester is not None:
        index, partitions = "by_requester", (("requester", f.requester.lower()),)
        used.add("requester")
    elif composite and statuses and f.queue is not None:
        index = "by_queue_status"
        partitions = tuple(("queue_status", composite_value(f.queue, s)) for s in statuses)
        used |= {"queue", "statuses"}
    elif composite and statuses and f.priorities:
        index = "by_status_priority"
        partitions = tuple(
            ("status_priority", composite_value(s, p)) for s in statuses for p in sorted(set(f.priorities))
        )
        used |= {"statuses", "priorities"}
    elif f.queue is not None:
        index, partitions = "by_queue", (("queue", f.queue),)
        used.add("queue")
    elif f.statuses:
        index, partitions = "by_status", tuple(("status", s) for s in sorted(set(f.statuses)))
        used.add("statuses")
    elif f.priorities:
        index, partitions = "by_priority", tuple(("priority", p) for p in sorted(set(f.priorities)))
        used.add("priorities")
    else:
        index, partitions = "by_updated", (("tenant", ""),)
    return Plan(
        index=index,
        partitions=partitions,
        order="merge",
        descending=f.sort == "-updated_at",
        key_after=_after_bound(f.updated_after),
        key_before=_time_bound(f.updated_before),
        residuals=_residuals(f, used | {"updated"}),
    )


def _created_plan(f: TicketFilter) -> Plan:
    return Plan(
        index="by_created",
        partitions=(("tenant", ""),),
        order="merge",
        descending=f.sort == "-created_at",
        key_after=_after_bound(f.created_after),
        key_before=_time_bound(f.created_before),
        residuals=_residuals(f, {"created"}),
    )


def _priority_plan(f: TicketFilter, composite: bool) -> Plan:
    wanted = [p for p in PRIORITIES if not f.priorities or p in f.priorities]
    if composite and f.statuses:
        statuses = sorted(set(f.statuses))
        return Plan(
            index="by_status_priority",
            partitions=tuple(("status_priority", composite_value(s, p)) for p in wanted for s in statuses),
            order="concat",
            descending=True,
            key_after=_after_bound(f.updated_after),
            key_before=_time_bound(f.updated_before),
            residuals=_residuals(f, {"priorities", "statuses", "updated"}),
            ranks=tuple(rank for rank, _ in enumerate(wanted) for _ in statuses),
        )
    return Plan(
        index="by_priority",
        partitions=tuple(("priority", p) for p in wanted),
        order="concat",
        descending=True,
        key_after=_after_bound(f.updated_after),
        key_before=_time_bound(f.updated_before),
        residuals=_residuals(f, {"priorities", "updated"}),
    )


def _sla_plan(f: TicketFilter) -> Plan:
    return Plan(
        index="by_sla_due",
        partitions=(("sla", ""),),
        order="merge",
        descending=False,
        key_before=_time_bound(f.sla_due_before),
        residuals=_residuals(f, {"sla"}),
    )


def _time_bound(moment: datetime | None) -> str | None:
    """Sort keys read ``<time>#<id>``; the bare time sorts before every key of that instant."""
    return to_text(moment) if moment else None


def _after_bound(moment: datetime | None) -> str | None:
    """``~`` sorts after every id character, so this bound excludes the instant itself."""
    return to_text(moment) + "#~" if moment else None


def _residuals(f: TicketFilter, used: set[str]) -> tuple[Residual, ...]:
    out: list[Residual] = []
    if f.statuses and "statuses" not in used:
        out.append(Residual("status", "in", tuple(sorted(set(f.statuses)))))
    if f.priorities and "priorities" not in used:
        out.append(Residual("priority", "in", tuple(sorted(set(f.priorities)))))
    if f.assignee is not None and "assignee" not in used:
        out.append(Residual("assignee", "eq", (f.assignee,)))
    if f.queue is not None and "queue" not in used:
        out.append(Residual("queue", "eq", (f.queue,)))
    if f.requester is not None and "requester" not in used:
        out.append(Residual("requester", "eq", (f.requester.lower(),)))
    if f.tag is not None:
        out.append(Residual("tags", "contains", (f.tag,)))
    if "created" not in used:
        out.extend(_range("created_at", f.created_after, f.created_before))
    if "updated" not in used:
        out.extend(_range("updated_at", f.updated_after, f.updated_before))
    if f.sla_due_before is not None and "sla" not in used:
        out.append(Residual("sla_due_at", "lt", (f.sla_due_before,)))
    return tuple(out)


def _range(name: str, after: datetime | None, before: datetime | None) -> list[Residual]:
    bounds = []
    if after is not None:
        bounds.append(Residual(name, "gt", (after,)))
    if before is not None:
        bounds.append(Residual(name, "lt", (before,)))
    return bounds


def ticket_matches(f: TicketFilter, ticket: dict[str, Any]) -> bool:
    """The same filter applied to one ticket (its API form): the reference the tests compare with,
    and the filter for search results."""
    checks = [
        not f.statuses or ticket["status"] in f.statuses,
        not f.priorities or ticket["priority"] in f.priorities,
        f.assignee is None or (ticket["assignee_id"] or UNASSIGNED) == f.assignee,
        f.queue is None or ticket["queue"] == f.queue,
        f.requester is None or ticket["requester"]["email"].lower() == f.requester.lower(),
        f.tag is None or f.tag in ticket["tags"],
        f.tag == SPAM_TAG or SPAM_TAG not in ticket["tags"],
        _within(ticket["created_at"], f.created_after, f.created_before),
        _within(ticket["updated_at"], f.updated_after, f.updated_before),
        f.sla_due_before is None
        or (ticket["sla_due_at"] is not None and ticket["sla_due_at"] < to_text(f.sla_due_before)),
        f.sort != "sla_due_at" or ticket["sla_due_at"] is not None,
    ]
    return all(checks)


def _within(moment_text: str, after: datetime | None, before: datetime | None) -> bool:
    return (after is None or moment_text > to_text(after)) and (before is None or moment_text < to_text(before))
