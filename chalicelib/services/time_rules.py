"""Time rules, from the schedule: every workspace of the registry, every enabled time rule in order,
one Query per status partition the rule can match (``domain/rule_sweep.py``), never a Scan. A
ticket the rule already acted on in its current period (a marker, read once per rule and sweep)
is skipped without reading it again."""

from __future__ import annotations

import time
from typing import Any

from chalicelib.data import identity
from chalicelib.data import rules as repo
from chalicelib.data.ticket_changes import ticket_of
from chalicelib.domain.clock import utcnow
from chalicelib.domain.rule_conditions import evaluate
from chalicelib.domain.rule_sweep import period_of, sweep_plan
from chalicelib.observability import logger
from chalicelib.services.rule_engine import LoadedRule, enabled_rules, run_rule
from chalicelib.services.sla_context import sla_context

TIME_RULE_DEPTH = 1  # a time rule's change is the first of a chain: event rules may answer it


def run_time_rules_everywhere() -> dict[str, Any]:
    report: dict[str, Any] = {"workspaces": 0, "rules": 0, "tickets_read": 0, "applied": 0, "seconds": 0.0}
    started = time.monotonic()
    for tenant_id in identity.all_tenant_ids():
        report["workspaces"] += 1
        for key, value in run_time_rules(tenant_id).items():
            report[key] += value
    report["seconds"] = round(time.monotonic() - started, 3)
    logger.info("time rules", extra=report)
    return report


def run_time_rules(tenant_id: str) -> dict[str, int]:
    totals = {"rules": 0, "tickets_read": 0, "applied": 0}
    for rule in enabled_rules(tenant_id, "time"):
        totals["rules"] += 1
        read, applied = sweep_rule(tenant_id, rule)
        totals["tickets_read"] += read
        totals["applied"] += applied
    return totals


def sweep_rule(tenant_id: str, rule: LoadedRule) -> tuple[int, int]:
    """(tickets read, tickets acted on) for one rule."""
    now = utcnow()
    conditions = rule.definition.conditions
    plan = sweep_plan(conditions, now)
    calendar = sla_context(tenant_id).calendar
    done = repo.marked_sort_keys(tenant_id, rule.rule_id)
    read = applied = 0
    for status in plan.statuses:
        for item in repo.tickets_by_status(tenant_id, status, plan.updated_before, plan.limit):
            read += 1
            ticket = ticket_of(item)
            period = period_of(conditions, ticket)
            if f"{ticket.ticket_id}#{period}" in done:
                continue
            if not evaluate(conditions, ticket, now, calendar).matched:
                continue  # read from the index (eventually consistent); run_rule re-reads what it acts on
            result = run_rule(tenant_id, rule, ticket.ticket_id, depth=TIME_RULE_DEPTH, period=period)
            applied += result.outcome == "applied"
        if read >= plan.limit:
            logger.warning("time rule read its limit", extra={"rule_id": rule.rule_id, "status": status})
    return read, applied
