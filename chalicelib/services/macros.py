"""Macros: named sets of ticket actions plus an optional reply, personal or shared.

Everyone who works tickets keeps personal macros; shared ones are made and changed by those with
'macros.share' (leads, admins). A personal macro is visible to its owner only: to anyone else it
does not exist (404), like a macro of another workspace."""

from __future__ import annotations

from typing import Any

from chalicelib.contracts.macros import MacroListOut, MacroOut, MacroReplyOut
from chalicelib.data import macros as repo
from chalicelib.data.models import MacroItem
from chalicelib.data.store import TransactionConflict, new_id
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.domain.permissions import Permission
from chalicelib.domain.principal import Principal
from chalicelib.domain.ticket_actions import parse_field_actions


def list_macros(principal: Principal) -> MacroListOut:
    counts = repo.usage_counts(principal.tenant_id)
    visible = [m for m in repo.list_macros(principal.tenant_id) if _visible(principal, m)]
    visible.sort(key=lambda m: (not m.shared, m.name.lower()))
    return MacroListOut(
        items=[macro_public(principal, m, counts.get(m.macro_id, 0)) for m in visible], next_cursor=None
    )


def get_macro(principal: Principal, macro_id: str) -> MacroOut:
    macro = visible_macro(principal, macro_id)
    return macro_public(principal, macro, repo.usage_counts(principal.tenant_id).get(macro_id, 0))


def create_macro(principal: Principal, fields: dict[str, Any]) -> MacroOut:
    if fields["shared"]:
        principal.require(Permission.MACROS_SHARE)
    _does_something(fields["actions"], fields.get("reply"))
    macro = repo.macro_item(
        principal.tenant_id,
        new_id(),
        name=fields["name"],
        actions=fields["actions"],
        reply=fields.get("reply"),
        owner_id=principal.acting_user_id,
        shared=fields["shared"],
    )
    repo.save_macro(macro, _audit(principal, "macro.created", macro, None, _summary(macro)))
    return macro_public(principal, macro, 0)


def update_macro(principal: Principal, macro_id: str, changes: dict[str, Any]) -> MacroOut:
    macro = _editable(principal, macro_id)
    if changes.get("shared"):
        principal.require(Permission.MACROS_SHARE)
    before = _summary(macro)
    for name in ("name", "actions", "shared"):
        if changes.get(name) is not None:
            setattr(macro, name, changes[name])
    if "reply" in changes:
        macro.reply = changes["reply"]
    _does_something(macro.actions, macro.reply)
    macro.updated_at = utcnow()
    try:
        repo.save_macro(macro, _audit(principal, "macro.updated", macro, before, _summary(macro)))
    except TransactionConflict:
        raise Conflict("Someone changed this macro meanwhile; reload it and try again.") from None
    return macro_public(principal, macro, repo.usage_counts(principal.tenant_id).get(macro_id, 0))


def delete_macro(principal: Principal, macro_id: str) -> None:
    macro = _editable(principal, macro_id)
    try:
        repo.delete_macro(macro, _audit(principal, "macro.deleted", macro, _summary(macro), None))
    except TransactionConflict:
        raise Conflict("Someone changed this macro meanwhile; reload it and try again.") from None


def visible_macro(principal: Principal, macro_id: str) -> MacroItem:
    macro = repo.get_macro(principal.tenant_id, macro_id)
    if macro is None or not _visible(principal, macro):
        raise NotFound("No such macro.")
    return macro


def macro_public(principal: Principal, macro: MacroItem, usage: int) -> MacroOut:
    reply = macro.reply
    return MacroOut(
        id=macro.macro_id,
        name=macro.name,
        actions=parse_field_actions(macro.actions),
        reply=MacroReplyOut(body=reply["body"], public=bool(reply["public"])) if reply else None,
        shared=bool(macro.shared),
        owner_id=macro.owner_id,
        usage_count=usage,
        editable=_may_edit(principal, macro),
        created_at=to_text(macro.created_at),
        updated_at=to_text(macro.updated_at),
    )


def _visible(principal: Principal, macro: MacroItem) -> bool:
    return bool(macro.shared) or macro.owner_id == principal.acting_user_id


def _may_edit(principal: Principal, macro: MacroItem) -> bool:
    return principal.can(Permission.MACROS_SHARE) if macro.shared else macro.owner_id == principal.acting_user_id


def _editable(principal: Principal, macro_id: str) -> MacroItem:
    macro = visible_macro(principal, macro_id)
    if not _may_edit(principal, macro):
        raise Forbidden("Only leads and admins change shared macros ('macros.share').")
    return macro


def _does_something(actions: list[Any], reply: Any) -> None:
    if not actions and not reply:
        raise ValidationFailed([{"field": "actions", "message": "a macro needs at least one action or a reply"}])


def _summary(macro: MacroItem) -> dict[str, Any]:
    return {
        "id": macro.macro_id,
        "name": macro.name,
        "actions": macro.actions,
        "reply": macro.reply,
        "shared": bool(macro.shared),
        "owner_id": macro.owner_id,
    }


def _audit(principal: Principal, action: str, macro: MacroItem, before: Any, after: Any) -> AuditEntry:
    return AuditEntry(principal.as_actor(), action, AuditTarget("macro", macro.macro_id), before=before, after=after)
