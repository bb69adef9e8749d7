"""SLA policies: listed in the order they are tried, added, changed, removed and reordered by admins.
Every change is one versioned write of the workspace's SLA settings; the open tickets are re-planned
from the stream, not here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from chalicelib.contracts.responses import SlaPolicyListOut, SlaPolicyOut
from chalicelib.data.sla_settings import change_sla_settings, get_sla_settings
from chalicelib.data.store import new_id
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.principal import Principal
from chalicelib.domain.sla_policies import DEFAULT_POLICY, DEFAULT_POLICY_ID, SlaPolicy
from chalicelib.domain.sla_settings import SlaSettings, check_policy, check_policy_count, reordered
from chalicelib.services import sla_context
from chalicelib.services.presenters import sla_policy_public


def list_policies(principal: Principal) -> SlaPolicyListOut:
    return _listing(get_sla_settings(principal.tenant_id))


def get_policy(principal: Principal, policy_id: str) -> SlaPolicyOut:
    if policy_id == DEFAULT_POLICY_ID:
        return sla_policy_public(DEFAULT_POLICY, None)
    settings = get_sla_settings(principal.tenant_id)
    policy = _existing(settings, policy_id)
    return sla_policy_public(policy, settings.policies.index(policy))


def create_policy(principal: Principal, fields: dict[str, Any]) -> SlaPolicyOut:
    policy = check_policy(SlaPolicy.from_dict({**fields, "id": new_id()}))

    def change(current: SlaSettings) -> SlaSettings:
        check_policy_count(len(current.policies) + 1)
        return replace(current, policies=(*current.policies, policy))

    saved = _save(principal, change, "sla_policy.created", policy.policy_id)
    return sla_policy_public(policy, len(saved.policies) - 1)


def update_policy(principal: Principal, policy_id: str, fields: dict[str, Any]) -> SlaPolicyOut:
    """``fields`` holds only what was sent; ``queue`` or ``tag`` sent as null widen the policy."""
    _refuse_default(policy_id)

    def change(current: SlaSettings) -> SlaSettings:
        policy = _existing(current, policy_id)
        merged = {**policy.to_dict(), **fields, "id": policy_id}
        changed = check_policy(SlaPolicy.from_dict(merged))
        return replace(current, policies=tuple(changed if p.policy_id == policy_id else p for p in current.policies))

    saved = _save(principal, change, "sla_policy.updated", policy_id)
    updated = _existing(saved, policy_id)
    return sla_policy_public(updated, saved.policies.index(updated))


def delete_policy(principal: Principal, policy_id: str) -> None:
    _refuse_default(policy_id)

    def change(current: SlaSettings) -> SlaSettings:
        _existing(current, policy_id)
        return replace(current, policies=tuple(p for p in current.policies if p.policy_id != policy_id))

    _save(principal, change, "sla_policy.deleted", policy_id)


def reorder_policies(principal: Principal, ids: list[str]) -> SlaPolicyListOut:
    def change(current: SlaSettings) -> SlaSettings:
        return replace(current, policies=reordered(current.policies, ids))

    return _listing(_save(principal, change, "sla_policies.reordered", principal.tenant_id))


def _save(principal: Principal, change: Callable[[SlaSettings], SlaSettings], action: str, target: str) -> SlaSettings:
    """Saves the change with its audit entry: the policy before and after, or the order for a reorder."""

    def described(settings: SlaSettings) -> dict[str, Any] | None:
        if action == "sla_policies.reordered":
            return {"order": [p.policy_id for p in settings.policies]}
        policy = settings.policy(target)
        return policy.to_dict() if policy is not None else None

    def audit(before: SlaSettings, after: SlaSettings) -> AuditEntry:
        kind = "workspace" if action == "sla_policies.reordered" else "sla_policy"
        return AuditEntry(principal.as_actor(), action, AuditTarget(kind, target), described(before), described(after))

    saved = change_sla_settings(principal.tenant_id, change, audit, utcnow())
    sla_context.forget(principal.tenant_id)
    return saved


def _existing(settings: SlaSettings, policy_id: str) -> SlaPolicy:
    policy = settings.policy(policy_id)
    if policy is None:
        raise NotFound("No such SLA policy.")
    return policy


def _refuse_default(policy_id: str) -> None:
    if policy_id == DEFAULT_POLICY_ID:
        raise Conflict("The built-in default cannot be changed: add a policy without queue or tag to override it.")


def _listing(settings: SlaSettings) -> SlaPolicyListOut:
    return SlaPolicyListOut(
        items=[sla_policy_public(p, i) for i, p in enumerate(settings.policies)],
        default=sla_policy_public(DEFAULT_POLICY, None),
    )
