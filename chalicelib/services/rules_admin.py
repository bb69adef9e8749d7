"""Reading and managing a workspace's rules: create, change (one click disables), delete, reorder.
A rule is validated as a whole before anything is stored: its fields by the typed models, how
they fit together by ``domain/rules.py``, the users and webhook endpoints it names against the
workspace. A request that answers an error changes nothing."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from chalicelib.contracts.rules import RuleListOut, RuleOut
from chalicelib.data import identity, integrations
from chalicelib.data import macros as macro_repo
from chalicelib.data import rules as repo
from chalicelib.data.models import RuleItem
from chalicelib.data.store import TransactionConflict, new_id
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.principal import Principal
from chalicelib.domain.rules import MAX_RULES, ApplyMacro, RuleDefinition, SendEmail, SendWebhook, definition_errors
from chalicelib.domain.ticket_actions import ROUTER, UNASSIGN, SetAssignee


def rule_public(item: RuleItem) -> RuleOut:
    definition = RuleDefinition.model_validate(item.definition)
    return RuleOut(
        id=item.rule_id,
        name=definition.name,
        kind=definition.kind,
        enabled=bool(item.enabled),
        position=int(item.position),
        triggers=list(definition.triggers),
        conditions=definition.conditions,
        actions=list(definition.actions),
        version=int(item.version or 0),
        created_by=item.created_by,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def list_rules(principal: Principal) -> RuleListOut:
    return RuleListOut(rules=[rule_public(item) for item in repo.list_rules(principal.tenant_id)])


def get_rule(principal: Principal, rule_id: str) -> RuleOut:
    return rule_public(existing_rule(principal.tenant_id, rule_id))


def existing_rule(tenant_id: str, rule_id: str) -> RuleItem:
    item = repo.get_rule(tenant_id, rule_id)
    if item is None:
        raise NotFound("No such rule.")
    return item


def create_rule(principal: Principal, definition: RuleDefinition) -> RuleOut:
    tenant_id = principal.tenant_id
    _check(tenant_id, definition)
    existing = repo.list_rules(tenant_id)
    if len(existing) >= MAX_RULES:
        raise ValidationFailed([{"field": "body", "message": f"a workspace has at most {MAX_RULES} rules"}])
    now, rule_id = utcnow(), new_id()
    item = repo.rule_item(
        tenant_id,
        rule_id,
        position=max((int(r.position) for r in existing), default=0) + 1,
        kind_of_rule=definition.kind,
        enabled=definition.enabled,
        definition=definition.model_dump(mode="json"),
        created_by=principal.id,
        created_at=now,
        updated_at=now,
    )
    after = {"name": definition.name, **definition.model_dump(mode="json")}
    repo.save_rules(tenant_id, [item], _audit(principal, "rule.created", item, None, after))
    return rule_public(item)


def update_rule(principal: Principal, rule_id: str, changes: dict[str, Any], version: int | None) -> RuleOut:
    """``changes`` are the fields sent (a partial definition); ``version``, when sent, must be the
    rule's current one."""
    tenant_id = principal.tenant_id
    item = existing_rule(tenant_id, rule_id)
    if version is not None and version != int(item.version or 0):
        raise Conflict(
            "The rule was changed meanwhile; reload it and try again.",
            current=rule_public(item).model_dump(mode="json"),
        )
    before = dict(item.definition)
    try:
        definition = RuleDefinition.model_validate({**before, **changes})
    except ValidationError as error:
        raise ValidationFailed(
            [{"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]} for e in error.errors()]
        ) from error
    _check(tenant_id, definition)
    item.definition = definition.model_dump(mode="json")
    item.kind_of_rule, item.enabled, item.updated_at = definition.kind, definition.enabled, utcnow()
    changed = {k: v for k, v in item.definition.items() if before.get(k) != v}
    audit = _audit(principal, "rule.updated", item, {k: before.get(k) for k in changed}, changed)
    _save(tenant_id, [item], audit)
    return rule_public(item)


def delete_rule(principal: Principal, rule_id: str) -> None:
    item = existing_rule(principal.tenant_id, rule_id)
    repo.delete_rule(item, _audit(principal, "rule.deleted", item, dict(item.definition), None))


def reorder_rules(principal: Principal, rule_ids: list[str]) -> RuleListOut:
    """The rules in the order given, which must name every rule of the workspace once."""
    tenant_id = principal.tenant_id
    items = repo.list_rules(tenant_id)
    by_id = {item.rule_id: item for item in items}
    if sorted(rule_ids) != sorted(by_id):
        missing = sorted(set(by_id) - set(rule_ids))
        unknown = sorted(set(rule_ids) - set(by_id))
        message = "list every rule of the workspace exactly once"
        if unknown:
            message += f"; unknown: {', '.join(unknown)}"
        if missing:
            message += f"; missing: {', '.join(missing)}"
        raise ValidationFailed([{"field": "ids", "message": message}])
    before = [item.rule_id for item in items]
    moved = []
    for position, rule_id in enumerate(rule_ids, start=1):
        item = by_id[rule_id]
        if int(item.position) != position:
            item.position, item.updated_at = position, utcnow()
            moved.append(item)
    if moved:
        target = AuditTarget("rules", tenant_id)
        _save(
            tenant_id,
            moved,
            AuditEntry(principal.as_actor(), "rules.reordered", target, {"order": before}, {"order": rule_ids}),
        )
    return RuleListOut(rules=[rule_public(by_id[rule_id]) for rule_id in rule_ids])


def _save(tenant_id: str, items: list[RuleItem], audit: AuditEntry) -> None:
    try:
        repo.save_rules(tenant_id, items, audit)
    except TransactionConflict as error:
        raise Conflict("A rule was changed meanwhile; reload and try again.") from error


def _check(tenant_id: str, definition: RuleDefinition) -> None:
    errors = definition_errors(definition)
    for index, action in enumerate(definition.actions):
        user_id = action.user_id if isinstance(action, SendEmail) else None
        if isinstance(action, SetAssignee) and action.assignee not in (UNASSIGN, ROUTER):
            user_id = action.assignee
        if user_id is not None:
            user = identity.get_user(tenant_id, user_id)
            if user is None or not user.active:
                where = "assignee" if isinstance(action, SetAssignee) else "user_id"
                errors.append(
                    {
                        "field": f"actions.{index}.{action.type}.{where}",
                        "message": "is not an active user of this workspace",
                    }
                )
        if isinstance(action, SendWebhook) and integrations.get_endpoint(tenant_id, action.endpoint_id) is None:
            errors.append(
                {
                    "field": f"actions.{index}.send_webhook.endpoint_id",
                    "message": "is not a webhook endpoint of this workspace",
                }
            )
        if isinstance(action, ApplyMacro):
            macro = macro_repo.get_macro(tenant_id, action.macro_id)
            if macro is None or not macro.shared:
                errors.append(
                    {
                        "field": f"actions.{index}.apply_macro.macro_id",
                        "message": "is not a shared macro of this workspace",
                    }
                )
    if errors:
        raise ValidationFailed(errors)


def _audit(
    principal: Principal, action: str, item: RuleItem, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> AuditEntry:
    name = str(item.definition.get("name", ""))
    return AuditEntry(principal.as_actor(), action, AuditTarget("rule", item.rule_id, name=name), before, after)
