"""Applying a macro to a ticket, and previewing it: the macro's actions and reply become ONE typed
change by the agent (``ApplyActions``), on the version of the ticket the agent saw; history and
audit name the macro. Nothing is written when anything is refused."""

from __future__ import annotations

from typing import Any

from chalicelib.contracts.macros import MacroAppliedOut, MacroPreviewOut, MacroReplyOut
from chalicelib.data import identity
from chalicelib.data import macros as repo
from chalicelib.data.models import MacroItem, TicketItem
from chalicelib.data.store import new_id
from chalicelib.data.ticket_changes import Committed, commit, retrying, ticket_of
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import PreconditionRequired
from chalicelib.domain.principal import Principal
from chalicelib.domain.templates import TemplateContext, context_for
from chalicelib.domain.ticket_actions import (
    ActionPlan,
    AddNote,
    AddReply,
    TicketAction,
    parse_field_actions,
    plan_actions,
)
from chalicelib.domain.ticket_change import KEEP, AddComment, ApplyActions, Ticket, _Keep, decide
from chalicelib.services import assignment
from chalicelib.services.macros import visible_macro
from chalicelib.services.presenters import comment_public, ticket_public
from chalicelib.services.sla_context import sla_context
from chalicelib.services.ticket_reads import existing_ticket
from chalicelib.services.ticket_writes import check_assignment, stale


def apply_macro(principal: Principal, ticket_id: str, macro_id: str, expected_version: int | None) -> MacroAppliedOut:
    if expected_version is None:
        raise PreconditionRequired("Send the ticket's version you saw, as If-Match or as 'version'.")
    macro = visible_macro(principal, macro_id)
    actions = macro_actions(macro)
    comment_id = new_id()

    def attempt() -> Committed | TicketItem:
        item = existing_ticket(principal, ticket_id)
        if int(item.version) != expected_version:
            raise stale(item)
        ticket = ticket_of(item)
        plan = plan_actions(actions, ticket, template_context(principal, ticket))
        wanted = plan.update.assignee_id
        if not isinstance(wanted, _Keep) and wanted != ticket.assignee_id:
            check_assignment(principal, current=ticket.assignee_id, requested=wanted)
        said = AddComment(comment_id, plan.comment.body, plan.comment.public) if plan.comment else None
        request = ApplyActions(plan.update, said, {"macro": {"id": macro.macro_id, "name": macro.name}})
        change = decide(ticket, principal.as_actor(), request, utcnow(), sla_context(principal.tenant_id))
        if change is None:
            return item
        committed = commit(principal.tenant_id, change)
        if plan.hand_to_router:
            assignment.auto_assign(principal.tenant_id, ticket_id)
        return committed

    result = retrying(attempt, "The ticket is changing too fast; try again.")
    repo.count_use(principal.tenant_id, macro.macro_id)
    if isinstance(result, TicketItem):
        return MacroAppliedOut(ticket=ticket_public(result), comment=None)
    written = result.comment
    return MacroAppliedOut(
        ticket=ticket_public(result.ticket), comment=comment_public(written, True) if written is not None else None
    )


def preview_macro(principal: Principal, macro_id: str, ticket_id: str) -> MacroPreviewOut:
    """The reply as it would read on this ticket and the changes in words; nothing is written."""
    macro = visible_macro(principal, macro_id)
    ticket = ticket_of(existing_ticket(principal, ticket_id))
    plan = plan_actions(macro_actions(macro), ticket, template_context(principal, ticket))
    reply = MacroReplyOut(body=plan.comment.body, public=plan.comment.public) if plan.comment else None
    return MacroPreviewOut(reply=reply, changes=describe(plan, ticket))


def macro_actions(macro: MacroItem) -> list[TicketAction]:
    """A macro's actions with its reply last (the reply is written first when applied)."""
    actions: list[TicketAction] = list(parse_field_actions(macro.actions))
    reply: dict[str, Any] | None = macro.reply
    if reply:
        body = str(reply["body"])
        actions.append(
            AddReply(type="add_reply", body=body) if reply.get("public") else AddNote(type="add_note", body=body)
        )
    return actions


def template_context(principal: Principal, ticket: Ticket) -> TemplateContext:
    user = identity.get_user(principal.tenant_id, principal.user_id) if principal.user_id else None
    return context_for(
        number=ticket.number,
        subject=ticket.subject,
        status=ticket.status,
        priority=ticket.priority,
        queue=ticket.queue,
        channel=ticket.channel,
        tags=ticket.tags,
        requester_name=ticket.requester.name,
        requester_email=ticket.requester.email,
        agent_name=user.name if user is not None else principal.name,
        agent_email=user.email if user is not None else "",
    )


def describe(plan: ActionPlan, ticket: Ticket) -> list[str]:
    u = plan.update
    said: list[str] = []
    for name, value, current in (
        ("status", u.status, ticket.status),
        ("priority", u.priority, ticket.priority),
        ("queue", u.queue, ticket.queue),
    ):
        if value is not None and value != current:
            said.append(f"{name}: {current} → {value}")
    if u.tags is not None:
        added = sorted(set(u.tags) - set(ticket.tags))
        removed = sorted(set(ticket.tags) - set(u.tags))
        said += [f"add tag {t}" for t in added] + [f"remove tag {t}" for t in removed]
    if plan.hand_to_router:
        said.append("hand to automatic assignment")
    elif u.assignee_id is not KEEP and u.assignee_id != ticket.assignee_id:
        said.append("unassign" if u.assignee_id is None else f"assign to {u.assignee_id}")
    if plan.comment is not None:
        said.append("public reply" if plan.comment.public else "internal note")
    return said
