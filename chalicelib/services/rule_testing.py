""" "Test this rule": run it against a chosen ticket without changing anything, showing each
condition's result and the actions it would take now; and the rule's last runs."""

from __future__ import annotations

from typing import Any

from chalicelib.contracts.rules import ConditionResultOut, RuleRunListOut, RuleRunOut, RuleTestOut
from chalicelib.data import mail
from chalicelib.data import rules as repo
from chalicelib.data import tickets as ticket_repo
from chalicelib.data.models import TicketItem
from chalicelib.data.ticket_changes import ticket_of
from chalicelib.domain.actors import RuleActor
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import DomainError, NotFound
from chalicelib.domain.principal import Principal
from chalicelib.domain.rule_conditions import evaluate
from chalicelib.domain.ticket_change import decide
from chalicelib.services.rule_engine import evaluation_and_plan, loaded
from chalicelib.services.rules_admin import existing_rule
from chalicelib.services.sla_context import sla_context


def test_rule(principal: Principal, rule_id: str, ticket_id: str | None, number: int | None) -> RuleTestOut:
    tenant_id = principal.tenant_id
    rule = loaded(existing_rule(tenant_id, rule_id))
    item = _ticket(tenant_id, ticket_id, number)
    ticket, now, sla = ticket_of(item), utcnow(), sla_context(tenant_id)
    error: str | None = None
    actions: list[str] = []
    try:
        evaluation, plan = evaluation_and_plan(tenant_id, rule, ticket, now, sla)
        # a refused transition shows here, as it would when run
        decide(ticket, RuleActor(rule.rule_id, rule.definition.name), plan.tickets.update, now, sla)
        actions = plan.describe(ticket)
    except DomainError as failure:
        evaluation = evaluate(rule.definition.conditions, ticket, now, sla.calendar)
        error = failure.detail
    return RuleTestOut(
        rule_id=rule.rule_id,
        ticket_id=ticket.ticket_id,
        ticket_number=ticket.number,
        matched=evaluation.matched,
        conditions=[
            ConditionResultOut(
                group=r.group,
                index=r.index,
                field=r.condition.field,
                op=r.condition.op,
                value=r.condition.value,
                actual=_shown(r.actual),
                matched=r.matched,
            )
            for r in evaluation.results
        ],
        actions=actions,
        error=error,
    )


def _shown(actual: Any) -> Any:
    if isinstance(actual, float):
        return round(actual, 2)
    if isinstance(actual, tuple):
        return list(actual)
    return actual


def _ticket(tenant_id: str, ticket_id: str | None, number: int | None) -> TicketItem:
    item = (
        ticket_repo.get_ticket(tenant_id, ticket_id)
        if ticket_id
        else mail.ticket_by_number(tenant_id, int(number or 0))
    )
    if item is None:
        raise NotFound("No such ticket.")
    return item


def rule_runs(principal: Principal, rule_id: str) -> RuleRunListOut:
    existing_rule(principal.tenant_id, rule_id)
    runs = repo.recent_runs(principal.tenant_id, rule_id)
    return RuleRunListOut(
        runs=[
            RuleRunOut(
                at=run.at,
                ticket_id=run.ticket_id,
                ticket_number=int(run.ticket_number),
                outcome=run.outcome,  # type: ignore[arg-type]
                actions=[str(a) for a in run.actions or []],
                error=run.error,
            )
            for run in runs
        ]
    )
