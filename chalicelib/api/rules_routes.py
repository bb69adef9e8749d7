from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Reply, Router
from chalicelib.api.rule_schemas import RuleOrderIn, RulePatchIn, RuleTestIn
from chalicelib.contracts.rules import RuleListOut, RuleOut, RuleRunListOut, RuleTestOut
from chalicelib.domain.permissions import Permission
from chalicelib.domain.rules import RuleDefinition

router = Router(__name__, tag="rules")


@router.route(
    "/rules", "GET", access=Permission.TICKETS_READ, response=RuleListOut, summary="The workspace's rules, in order"
)
def list_rules(call: Call[Any, Any]) -> RuleListOut:
    from chalicelib.services import rules_admin

    return rules_admin.list_rules(call.principal)


@router.route(
    "/rules",
    "POST",
    access=Permission.RULES_MANAGE,
    body=RuleDefinition,
    response=RuleOut,
    status=201,
    summary="Add a rule (it runs after the existing ones)",
)
def create_rule(call: Call[RuleDefinition, Any]) -> RuleOut:
    from chalicelib.services import rules_admin

    return rules_admin.create_rule(call.principal, call.body)


@router.route(
    "/rules/order",
    "PUT",
    access=Permission.RULES_MANAGE,
    body=RuleOrderIn,
    response=RuleListOut,
    summary="Set the order rules run in",
)
def reorder_rules(call: Call[RuleOrderIn, Any]) -> RuleListOut:
    from chalicelib.services import rules_admin

    return rules_admin.reorder_rules(call.principal, call.body.ids)


@router.route("/rules/{id}", "GET", access=Permission.TICKETS_READ, response=RuleOut, summary="One rule")
def get_rule(call: Call[Any, Any]) -> RuleOut:
    from chalicelib.services import rules_admin

    return rules_admin.get_rule(call.principal, call.path["id"])


@router.route(
    "/rules/{id}",
    "PATCH",
    access=Permission.RULES_MANAGE,
    body=RulePatchIn,
    response=RuleOut,
    summary='Change a rule; {"enabled": false} disables it',
)
def update_rule(call: Call[RulePatchIn, Any]) -> RuleOut:
    from chalicelib.services import rules_admin

    changes = call.body.model_dump(mode="json", exclude_unset=True, exclude={"version"})
    return rules_admin.update_rule(call.principal, call.path["id"], changes, call.body.version)


@router.route("/rules/{id}", "DELETE", access=Permission.RULES_MANAGE, status=204, summary="Delete a rule")
def delete_rule(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import rules_admin

    rules_admin.delete_rule(call.principal, call.path["id"])
    return Reply(None, 204)


@router.route(
    "/rules/{id}/test",
    "POST",
    access=Permission.TICKETS_READ,
    body=RuleTestIn,
    response=RuleTestOut,
    summary="Try a rule on a ticket: each condition's result and the actions it would take; changes nothing",
)
def test_rule(call: Call[RuleTestIn, Any]) -> RuleTestOut:
    from chalicelib.services import rule_testing

    return rule_testing.test_rule(call.principal, call.path["id"], call.body.ticket_id, call.body.number)


@router.route(
    "/rules/{id}/runs", "GET", access=Permission.TICKETS_READ, response=RuleRunListOut, summary="A rule's last 50 runs"
)
def rule_runs(call: Call[Any, Any]) -> RuleRunListOut:
    from chalicelib.services import rule_testing

    return rule_testing.rule_runs(call.principal, call.path["id"])
