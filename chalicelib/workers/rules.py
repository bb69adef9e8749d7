"""Event rules on the stream: each ticket write is offered, in order, to the workspace's enabled
event rules whose triggers it fires. A rule never answers its own change, and a chain of
rule-caused changes stops at ``MAX_RULE_DEPTH`` with a logged warning (and a "stopped" run)."""

from __future__ import annotations

from chalicelib.data import rules as repo
from chalicelib.data.models import TicketItem
from chalicelib.data.ticket_changes import ticket_of
from chalicelib.domain.clock import utcnow
from chalicelib.domain.rule_conditions import evaluate
from chalicelib.domain.rules import MAX_RULE_DEPTH, depth_after, own_change, too_deep, triggered
from chalicelib.domain.ticket_change import parse_stream_change
from chalicelib.observability import logger
from chalicelib.services.rule_engine import LoadedRule, enabled_rules, run_rule
from chalicelib.services.sla_context import sla_context
from chalicelib.workers.stream import ItemChange


class EventRules:
    """A workspace's event rules, read once per stream batch."""

    def __init__(self) -> None:
        self._rules: dict[str, list[LoadedRule]] = {}

    def of(self, tenant_id: str) -> list[LoadedRule]:
        if tenant_id not in self._rules:
            self._rules[tenant_id] = enabled_rules(tenant_id, "event")
        return self._rules[tenant_id]


def run_event_rules(change: ItemChange, rules: EventRules) -> int:
    """Runs the rules this ticket write triggers; returns how many acted."""
    new = change.new
    if not isinstance(new, TicketItem) or change.event_name == "REMOVE":
        return 0
    stream = parse_stream_change(new.last_change)
    if stream is None:
        return 0
    candidates = [
        rule
        for rule in rules.of(new.tenant_id)
        if not own_change(rule.rule_id, stream) and triggered(rule.definition.triggers, stream)
    ]
    if not candidates:
        return 0
    # The image is the ticket as this write left it: a rule whose conditions it fails costs no read.
    # (A later write that makes it match brings its own record.)
    ticket, now = ticket_of(new), utcnow()
    calendar = sla_context(new.tenant_id).calendar
    matching = [r for r in candidates if evaluate(r.definition.conditions, ticket, now, calendar).matched]
    if not matching:
        return 0
    if too_deep(stream):
        _stop(new, matching, stream.actor.to_dict()["id"])
        return 0
    acted = 0
    for rule in matching:
        result = run_rule(
            new.tenant_id, rule, new.ticket_id, depth=depth_after(stream), period=f"evt:{change.event_id}"
        )
        acted += result.outcome == "applied"
    return acted


def _stop(item: TicketItem, matching: list[LoadedRule], last_actor: str) -> None:
    logger.warning(
        "rule chain stopped at its depth limit",
        extra={
            "tenant_id": item.tenant_id,
            "ticket_id": item.ticket_id,
            "depth": MAX_RULE_DEPTH,
            "last_rule": last_actor,
            "stopped_rules": [r.rule_id for r in matching],
        },
    )
    message = f"stopped: {MAX_RULE_DEPTH} rule changes in a row (last by {last_actor}); a loop?"
    for rule in matching:
        repo.record_run(item.tenant_id, rule.rule_id, item, "stopped", [], message)
