"""Running one rule on one ticket: read the ticket, evaluate, plan, and commit what the rule does as
typed changes by ``rule:<id>`` through the one write path, then queue its emails, Slack posts and
webhook events. Event rules (the stream) and time rules (the schedule) both come here; "test this
rule" uses the same evaluation and plan without writing anything.

A lost race re-reads the ticket and evaluates the rule again on what is there now. The marker
written with the first change makes the rule act once per stream record (event rules) or once per
matching period (time rules), however often it is retried or redelivered."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from chalicelib.data import identity
from chalicelib.data import macros as macro_repo
from chalicelib.data import rules as repo
from chalicelib.data import tickets as ticket_repo
from chalicelib.data.models import RuleItem, RuleMarkerItem
from chalicelib.data.store import new_id
from chalicelib.data.ticket_changes import CreateOnce, commit, retrying, ticket_of
from chalicelib.domain.actors import RuleActor
from chalicelib.domain.clock import utcnow
from chalicelib.domain.delivery import Job
from chalicelib.domain.errors import DomainError
from chalicelib.domain.events import DomainEvent, event_id
from chalicelib.domain.rule_conditions import Evaluation, evaluate
from chalicelib.domain.rules import ApplyMacro, Effect, Plan, RuleDefinition, SendEmail, plan_actions
from chalicelib.domain.sla_policies import SlaContext
from chalicelib.domain.templates import context_for
from chalicelib.domain.ticket_change import AddComment, ApplyActions, Ticket, TicketChange, decide
from chalicelib.observability import logger
from chalicelib.services import assignment
from chalicelib.services.delivery_queue import enqueue
from chalicelib.services.macro_application import macro_actions
from chalicelib.services.notification_planning import slack_job
from chalicelib.services.presenters import ticket_snapshot
from chalicelib.services.sla_context import sla_context
from chalicelib.services.workspace_facts import remembered_workspace

Outcome = Literal["not_matched", "already_done", "applied", "nothing_to_do", "error"]


@dataclass(frozen=True)
class LoadedRule:
    rule_id: str
    position: int
    enabled: bool
    definition: RuleDefinition

    @property
    def actor(self) -> RuleActor:
        return RuleActor(self.rule_id, self.definition.name)


def loaded(item: RuleItem) -> LoadedRule:
    return LoadedRule(
        item.rule_id, int(item.position), bool(item.enabled), RuleDefinition.model_validate(item.definition)
    )


def enabled_rules(tenant_id: str, kind: Literal["event", "time"]) -> list[LoadedRule]:
    return [r for r in map(loaded, repo.list_rules(tenant_id)) if r.enabled and r.definition.kind == kind]


@dataclass(frozen=True)
class RunResult:
    outcome: Outcome
    actions: tuple[str, ...] = ()
    error: str | None = None


def evaluation_and_plan(
    tenant_id: str, rule: LoadedRule, ticket: Ticket, now: datetime, sla: SlaContext
) -> tuple[Evaluation, Plan]:
    """What the rule makes of the ticket now; raises a DomainError if it can no longer be done."""
    evaluation = evaluate(rule.definition.conditions, ticket, now, sla.calendar)
    agent = _person(tenant_id, ticket.assignee_id) or {}
    context = context_for(
        number=ticket.number,
        subject=ticket.subject,
        status=ticket.status,
        priority=ticket.priority,
        queue=ticket.queue,
        channel=ticket.channel,
        tags=ticket.tags,
        requester_name=ticket.requester.name,
        requester_email=ticket.requester.email,
        agent_name=agent.get("name", ""),
        agent_email=agent.get("email", ""),
    )
    users = {
        str(action.user_id): _person(tenant_id, action.user_id) or {}
        for action in rule.definition.actions
        if isinstance(action, SendEmail) and action.user_id
    }
    macros = {
        action.macro_id: macro_actions(macro)
        for action in rule.definition.actions
        if isinstance(action, ApplyMacro) and (macro := macro_repo.get_macro(tenant_id, action.macro_id)) is not None
    }
    return evaluation, plan_actions(list(rule.definition.actions), ticket, context, users, macros)


def _person(tenant_id: str, user_id: str | None) -> dict[str, str] | None:
    if not user_id:
        return None
    user = identity.get_user(tenant_id, user_id)
    return {"name": user.name, "email": user.email} if user is not None else None


def run_rule(tenant_id: str, rule: LoadedRule, ticket_id: str, *, depth: int, period: str) -> RunResult:
    """Runs the rule on the ticket if it matches and has not acted in ``period`` yet (a stream
    record's id, or a time rule's matching period); records the run when it matched."""
    marker = repo.marker(tenant_id, rule.rule_id, ticket_id, period, event=period.startswith("evt:"))
    state: dict[str, Any] = {"item": None}

    def attempt() -> RunResult:
        if repo.has_marker(marker):
            return RunResult("already_done")
        item = ticket_repo.get_ticket(tenant_id, ticket_id)
        if item is None:
            return RunResult("not_matched")
        state["item"] = item
        now, sla = utcnow(), sla_context(tenant_id)
        ticket = ticket_of(item)
        evaluation, plan = evaluation_and_plan(tenant_id, rule, ticket, now, sla)
        if not evaluation.matched:
            return RunResult("not_matched")
        return _apply(tenant_id, rule, ticket, plan, marker, depth, now, sla)

    try:
        result = retrying(attempt, "the ticket kept changing while the rule ran")
    except DomainError as error:
        result = RunResult("error", error=error.detail)
    item = state["item"]
    if item is not None and result.outcome in ("applied", "error"):  # "did nothing" would drown the log
        repo.record_run(tenant_id, rule.rule_id, item, result.outcome, list(result.actions), result.error)
    return result


def _apply(
    tenant_id: str,
    rule: LoadedRule,
    ticket: Ticket,
    plan: Plan,
    marker: RuleMarkerItem,
    depth: int,
    now: datetime,
    sla: SlaContext,
) -> RunResult:
    """One change (the comment and the fields together, as a macro's) with the marker; then the
    side effects. A lost race raises out to ``run_rule``'s retry, which evaluates again."""
    wanted = plan.tickets
    said = AddComment(new_id(), wanted.comment.body, wanted.comment.public) if wanted.comment else None
    source = {"rule": {"id": rule.rule_id, "name": rule.definition.name}}
    change = decide(ticket, rule.actor, ApplyActions(wanted.update, said, source), now, sla)
    if change is not None:
        commit(tenant_id, _deeper(change, depth), [CreateOnce(marker)])
        if wanted.hand_to_router:
            assignment.auto_assign(tenant_id, ticket.ticket_id)
    elif not repo.place_marker(marker):
        return RunResult("already_done")
    if plan.effects:
        _send(tenant_id, rule, ticket.ticket_id, plan.effects, marker)
    done = plan.describe(ticket) if change is not None or plan.effects else []
    return RunResult("applied" if done else "nothing_to_do", tuple(done))


def _deeper(change: TicketChange, depth: int) -> TicketChange:
    assert change.stream is not None
    return replace(change, stream=replace(change.stream, depth=depth))


def _send(tenant_id: str, rule: LoadedRule, ticket_id: str, effects: tuple[Effect, ...], marker: RuleMarkerItem) -> int:
    """Delivery jobs whose ids derive from the marker: a retried run queues the same ids, which the
    senders deliver once."""
    item = ticket_repo.get_ticket(tenant_id, ticket_id)
    snapshot: dict[str, Any] = ticket_snapshot(item) if item is not None else {"id": ticket_id}
    occurred = utcnow().isoformat()
    workspace = remembered_workspace(tenant_id)
    workspace_name = workspace.name if workspace is not None else "Pulsedesk"
    jobs: list[Job] = []
    for index, effect in enumerate(effects):
        event = DomainEvent(
            event_id(f"{marker.pk}|{marker.sk}|{index}", "rule.triggered"),
            "rule.triggered",
            tenant_id,
            occurred,
            rule.actor.to_dict(),
            snapshot,
            {"rule": {"from": None, "to": rule.definition.name}},
        ).to_dict()
        if effect.channel == "email":
            if not effect.target:
                logger.warning("rule email has no recipient", extra={"rule_id": rule.rule_id})
                continue
            extra = {
                "template": "rule",
                "email": effect.target,
                "name": effect.name,
                "workspace": workspace_name,
                "subject": effect.subject,
                "body": effect.body,
            }
            jobs.append(Job(tenant_id, "email", effect.target, event, extra=extra))
        elif effect.channel == "slack":
            jobs.append(slack_job(tenant_id, event, effect.body, workspace_name))
        else:
            jobs.append(Job(tenant_id, "webhook", effect.target, event))
    return enqueue(jobs)
