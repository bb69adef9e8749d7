"""Queues as things: admins name them, describe them and say who may work them. Tickets keep naming
their queue by its name, so a queue in use by tickets may be defined after the fact."""

from __future__ import annotations

from typing import Any

from chalicelib.contracts.desk import QueueListOut, QueueOut
from chalicelib.data import identity
from chalicelib.data import queues as repo
from chalicelib.data.models import QueueItem
from chalicelib.data.store import TransactionConflict
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.errors import Conflict, NotFound, invalid
from chalicelib.domain.permissions import Role
from chalicelib.domain.principal import Principal


def queue_public(queue: QueueItem) -> QueueOut:
    return QueueOut(
        name=queue.name,
        description=queue.description or "",
        member_ids=[str(m) for m in queue.member_ids or []],
        created_at=to_text(queue.created_at),
        updated_at=to_text(queue.updated_at),
        version=int(queue.version),
    )


def list_queues(principal: Principal) -> QueueListOut:
    items = sorted(repo.list_queues(principal.tenant_id), key=lambda q: q.name)
    return QueueListOut(items=[queue_public(q) for q in items], next_cursor=None)


def get_queue(principal: Principal, name: str) -> QueueOut:
    return queue_public(_existing(principal, name))


def create_queue(principal: Principal, fields: dict[str, Any]) -> QueueOut:
    if len(repo.list_queues(principal.tenant_id)) >= repo.MAX_QUEUES:
        raise invalid("name", f"a workspace has at most {repo.MAX_QUEUES} queues")
    members = _members(principal, fields.get("member_ids") or [])
    queue = repo.new_queue(principal.tenant_id, fields["name"])
    now = utcnow()
    queue.description = fields.get("description") or ""
    queue.member_ids = members  # type: ignore[assignment]  # PynamoDB types the list by attribute
    queue.created_at = queue.updated_at = now
    audit = AuditEntry(principal.as_actor(), "queue.created", _target(queue), after=_record(queue))
    try:
        repo.save_queue(queue, audit, create=True)
    except TransactionConflict as error:
        raise Conflict(f"A queue named '{queue.name}' exists already.") from error
    return queue_public(queue)


def update_queue(principal: Principal, name: str, changes: dict[str, Any]) -> QueueOut:
    queue = _existing(principal, name)
    before = _record(queue)
    if changes.get("description") is not None:
        queue.description = changes["description"]
    if changes.get("member_ids") is not None:
        queue.member_ids = _members(principal, changes["member_ids"])  # type: ignore[assignment]
    queue.updated_at = utcnow()
    audit = AuditEntry(principal.as_actor(), "queue.updated", _target(queue), before=before, after=_record(queue))
    try:
        repo.save_queue(queue, audit, create=False)
    except TransactionConflict as error:
        raise Conflict("Someone changed this queue at the same time; load it again.") from error
    return queue_public(queue)


def delete_queue(principal: Principal, name: str) -> None:
    queue = _existing(principal, name)
    audit = AuditEntry(principal.as_actor(), "queue.deleted", _target(queue), before=_record(queue))
    repo.delete_queue(queue, audit)


def may_work(tenant_id: str, queue_name: str, user_id: str) -> bool:
    """Whether a person may be given tickets of the queue: a queue with members admits only them."""
    queue = repo.get_queue(tenant_id, queue_name)
    return queue is None or not queue.member_ids or user_id in queue.member_ids


def _existing(principal: Principal, name: str) -> QueueItem:
    queue = repo.get_queue(principal.tenant_id, name)
    if queue is None:
        raise NotFound("No such queue.")
    return queue


def _members(principal: Principal, member_ids: list[str]) -> list[str]:
    unique = list(dict.fromkeys(member_ids))
    for user_id in unique:
        user = identity.get_user(principal.tenant_id, user_id)
        if user is None or not user.active or user.role == Role.VIEWER:
            raise invalid("member_ids", f"'{user_id}' is not an active agent of this workspace")
    return unique


def _target(queue: QueueItem) -> AuditTarget:
    return AuditTarget(type="queue", id=queue.name, name=queue.name)


def _record(queue: QueueItem) -> dict[str, Any]:
    return {
        "name": queue.name,
        "description": queue.description or "",
        "member_ids": [str(m) for m in queue.member_ids or []],
    }
