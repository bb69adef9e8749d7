"""Automatic assignment, the waiting queue, load counter repairs and routing settings."""

from __future__ import annotations

import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cachetools import TTLCache

from chalicelib.data import assignment as repo
from chalicelib.data import identity
from chalicelib.data import queues as queue_repo
from chalicelib.data import tickets as ticket_repo
from chalicelib.data.concurrency import in_parallel
from chalicelib.data.models import AgentLoadItem, TicketItem
from chalicelib.data.store import TransactionConflict
from chalicelib.data.ticket_changes import AssigneeRoutable, LoadAsPlanned, commit, retrying, ticket_of
from chalicelib.domain import ticket_change
from chalicelib.domain.actors import ROUTER
from chalicelib.domain.assignment import (
    Candidate,
    Choice,
    RoutingSettings,
    plan_queue,
)
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.errors import Conflict
from chalicelib.domain.permissions import Role
from chalicelib.domain.principal import Principal
from chalicelib.domain.tickets import OPEN_STATUSES, PRIORITIES, SPAM_TAG, waiting_for_owner
from chalicelib.observability import logger
from chalicelib.services.presenters import ticket_snapshot
from chalicelib.services.ticket_writes import release_ticket

ATTEMPTS = 5
ROUTABLE_ROLES = (Role.AGENT, Role.LEAD)
# How long the router of one container plans with a team it read (every agent: the biggest read of a
# serving, ~90 % of its time with 200 agents). Safe because an assignment only lands while its agent is
# still active, online and routable (checked by its own write: ``AssigneeRoutable``), and a lost race
# reads the team again; so this bounds only how soon another container's change of skills, capacity or
# queue membership, or an agent coming online, reaches this router (this container's stream consumer
# forgets a team whose agents or queues change). Loads are read fresh for every plan, and an assignment
# lands only while its agent's counter is still the one planned from (``LoadAsPlanned``): never over capacity.
TEAM_SECONDS = 10.0


@dataclass(frozen=True)
class TeamMember:
    """What routing needs of one active agent or lead."""

    user_id: str
    name: str
    availability: str
    skills: frozenset[str]
    capacity: int
    barred_queues: frozenset[str]


_teams: TTLCache[str, tuple[TeamMember, ...]] = TTLCache(maxsize=1_000, ttl=TEAM_SECONDS)
_teams_lock = threading.Lock()


def settings_for(tenant_id: str) -> RoutingSettings:
    return RoutingSettings.from_dict(repo.routing_settings(tenant_id))


def read_team(tenant_id: str) -> tuple[TeamMember, ...]:
    restricted = {q.name: frozenset(q.member_ids) for q in queue_repo.list_queues(tenant_id) if q.member_ids}
    return tuple(
        TeamMember(
            user_id=u.user_id,
            name=u.name,
            availability=u.availability,
            skills=frozenset(u.skills or ()),
            capacity=int(u.capacity),
            barred_queues=frozenset(name for name, members in restricted.items() if u.user_id not in members),
        )
        for u in identity.all_users(tenant_id)
        if u.active and u.role in ROUTABLE_ROLES
    )


def remembered_team(tenant_id: str) -> tuple[TeamMember, ...]:
    """The team as read at most TEAM_SECONDS ago by this container."""
    with _teams_lock:
        team = _teams.get(tenant_id)
    if team is None:
        team = read_team(tenant_id)
        with _teams_lock:
            _teams[tenant_id] = team
    return team


def forget_team(tenant_id: str) -> None:
    with _teams_lock:
        _teams.pop(tenant_id, None)


def candidates(
    tenant_id: str, team: tuple[TeamMember, ...] | None = None, loads: dict[str, AgentLoadItem] | None = None
) -> list[Candidate]:
    """The team (read now unless given) with each one's load (read now unless given)."""
    loads = repo.all_loads(tenant_id) if loads is None else loads
    return [
        Candidate(
            user_id=m.user_id,
            name=m.name,
            availability=m.availability,
            skills=m.skills,
            capacity=m.capacity,
            open_by_priority=dict(loads[m.user_id].open_by_priority or {}) if m.user_id in loads else {},
            last_assigned_at=loads[m.user_id].last_assigned_at if m.user_id in loads else None,
            barred_queues=m.barred_queues,
        )
        for m in (read_team(tenant_id) if team is None else team)
    ]


def auto_assign(tenant_id: str, ticket_id: str) -> str | None:
    """Tries to place one ticket, in its rightful place in the queue; its assignee, or None while
    it waits. Safe to repeat: an assigned ticket is left alone."""
    ticket = ticket_repo.get_ticket(tenant_id, ticket_id)
    if ticket is None:
        return None
    return assign_waiting(tenant_id, include=(ticket,)).get(ticket_id)


def assign_waiting(
    tenant_id: str, include: Iterable[TicketItem] = (), settings: RoutingSettings | None = None
) -> dict[str, str]:
    """Serves the waiting queue (see ``plan_queue``); returns ticket id -> assignee for what it
    assigned. A write that lost a race replans from fresh data. ``include`` adds tickets the index
    may not show yet (it lags the stream by a moment)."""
    settings = settings or settings_for(tenant_id)
    assigned: dict[str, str] = {}

    def serve_queue() -> dict[str, str]:
        members = remembered_team(tenant_id)
        if not any(m.availability == "online" for m in members):
            return assigned  # nobody to give work to: no need to read the queue or the loads
        waiting = {t.ticket_id: t for t in repo.waiting_tickets(tenant_id, OPEN_STATUSES)}
        for ticket in include:
            if ticket.ticket_id not in assigned and ticket.ticket_id not in waiting:
                # read again: an image from the stream may be a ticket an earlier serving already placed,
                # and planning it would count a load that no write then takes
                waiting[ticket.ticket_id] = ticket_repo.get_ticket(tenant_id, ticket.ticket_id) or ticket
        queue = [ticket_snapshot(t) for t in waiting.values() if _waiting(t, settings)]
        if not queue:
            return assigned  # room freed with nobody waiting: the loads (one item per agent) need no read
        loads = repo.all_loads(tenant_id)
        team = candidates(tenant_id, members, loads)
        by_agent: dict[str, list[tuple[str, Choice]]] = defaultdict(list)
        for ticket_id, choice in plan_queue(queue, team, settings, utcnow()):
            by_agent[choice.user_id].append((ticket_id, choice))

        def give(choices: list[tuple[str, Choice]]) -> None:
            planned = loads[choices[0][1].user_id].version if choices[0][1].user_id in loads else None
            for ticket_id, choice in choices:  # one agent's in plan order: each moves the load the next reads
                if _commit_if_still_waiting(tenant_id, ticket_id, choice, settings, planned):
                    assigned[ticket_id] = choice.user_id
                    planned = (planned or 0) + 1  # the version this commit left

        try:
            # agents side by side: their tickets and load counters are different items, and each assignment
            # is three round trips (a queue of hundreds, after an outage say, was served one by one)
            in_parallel(give, by_agent.values())
        except TransactionConflict:
            forget_team(tenant_id)  # the agent may have gone away since the team was read: plan again from it
            raise
        return assigned

    try:
        with _serving_lock(tenant_id):
            return retrying(serve_queue, "assignment kept conflicting", attempts=ATTEMPTS)
    except Conflict:
        logger.warning("assignment kept conflicting", extra={"tenant_id": tenant_id})
        return assigned


# One serving of a workspace's queue at a time in a container (its stream batches may run side by side: a
# mapping's parallelization factor). Two servings planned from the same moment each keep every agent within
# capacity (``LoadAsPlanned``), but a ticket the other one placed meanwhile leaves a plan's agent a ticket short,
# and over hundreds of tickets the team drifted out of balance (48 against 51). The second serving then reads
# after the first and usually finds nothing left to place. Striped: a bounded set of locks for any number of
# workspaces.
_SERVING_LOCKS = tuple(threading.RLock() for _ in range(64))


def _serving_lock(tenant_id: str) -> threading.RLock:
    return _SERVING_LOCKS[zlib.crc32(tenant_id.encode()) % len(_SERVING_LOCKS)]


def _commit_if_still_waiting(
    tenant_id: str, ticket_id: str, choice: Choice, settings: RoutingSettings, load_version: int | None
) -> bool:
    ticket = ticket_repo.get_ticket(tenant_id, ticket_id)
    if ticket is None or not _waiting(ticket, settings):
        return False
    change = ticket_change.auto_assign(
        ticket_of(ticket), ROUTER, ticket_change.AutoAssign(choice.user_id, choice.explanation), utcnow()
    )
    if change is None:
        return False
    commit(
        tenant_id,
        change,
        extra=[AssigneeRoutable(choice.user_id, ROUTABLE_ROLES), LoadAsPlanned(choice.user_id, load_version)],
    )
    return True


def _waiting(ticket: TicketItem, settings: RoutingSettings) -> bool:
    """Waiting for automatic assignment: a ticket held as spam waits for a person to look, not an owner."""
    held_as_spam = SPAM_TAG in (ticket.tags or ())
    return (
        waiting_for_owner(ticket.status, ticket.assignee_id)
        and settings.auto_assigns(ticket.queue)
        and not held_as_spam
    )


def return_open_tickets(tenant_id: str, user_id: str) -> int:
    """An agent went away and the workspace wants their work rebalanced: unassign it, and the
    stream hands each ticket to someone with room."""
    returned = 0
    for ticket in repo.assigned_open_tickets(tenant_id, user_id, ("new", "open")):
        if release_ticket(ticket, "agent became unavailable"):
            returned += 1
    return returned


def recompute_loads(tenant_id: str, settle_seconds: float = 2.0) -> list[dict[str, Any]]:
    """Recounts every agent's open tickets from the tickets themselves; repairs and logs drift.

    The recount reads an index, which lags writes by a moment, so a difference is only repaired
    if it is still the same after ``settle_seconds`` and the counter did not move meanwhile."""
    suspects = [d for d in (_drift(tenant_id, c.user_id) for c in candidates(tenant_id)) if d is not None]
    if suspects:
        time.sleep(settle_seconds)
    repairs = []
    for suspect in suspects:
        confirmed = _drift(tenant_id, suspect["user_id"])
        if confirmed != suspect:
            continue
        item = repo.load_item(tenant_id, suspect["user_id"])
        item.open_by_priority = suspect["actual"]
        try:
            repo.save_loads(tenant_id, [item], audit=None)
        except TransactionConflict:
            continue  # it moved meanwhile; the next run looks again
        repairs.append({k: suspect[k] for k in ("user_id", "stored", "actual")})
        logger.warning("load counter drift repaired", extra={"tenant_id": tenant_id, **repairs[-1]})
    return repairs


def _drift(tenant_id: str, user_id: str) -> dict[str, Any] | None:
    item = repo.load_item(tenant_id, user_id)
    actual = repo.open_by_priority(tenant_id, user_id, OPEN_STATUSES)
    stored = {p: n for p, n in (item.open_by_priority or {}).items() if n}
    if stored == actual:
        return None
    return {"user_id": user_id, "stored": stored, "actual": actual, "version": item.version}


def team_load(principal: Principal) -> dict[str, Any]:
    settings = settings_for(principal.tenant_id)
    items = [
        {
            "user_id": c.user_id,
            "name": c.name,
            "availability": c.availability,
            "capacity": c.capacity,
            "skills": sorted(c.skills),
            "load": c.load(settings),
            "open_by_priority": {p: c.open_by_priority.get(p, 0) for p in PRIORITIES},
            "last_assigned_at": to_text(c.last_assigned_at) if c.last_assigned_at else None,
        }
        for c in sorted(candidates(principal.tenant_id), key=lambda c: c.name)
    ]
    return {"items": items, "next_cursor": None}


def get_routing(principal: Principal) -> dict[str, Any]:
    return settings_for(principal.tenant_id).to_dict()


def put_routing(principal: Principal, routing: dict[str, Any]) -> dict[str, Any]:
    before = settings_for(principal.tenant_id).to_dict()
    settings = RoutingSettings.from_dict(routing)
    repo.save_routing_settings(
        principal.tenant_id,
        settings.to_dict(),
        audit=AuditEntry(
            principal.as_actor(),
            "settings.routing_changed",
            AuditTarget("workspace", principal.tenant_id),
            before,
            settings.to_dict(),
        ),
    )
    return settings.to_dict()
