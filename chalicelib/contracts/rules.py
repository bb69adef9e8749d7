"""The answers of the rules routes (``api/rules_routes.py``)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from chalicelib.contracts.responses import Output
from chalicelib.domain.rule_conditions import Conditions
from chalicelib.domain.rules import Action, Trigger


class RuleOut(Output):
    id: str
    name: str
    kind: Literal["event", "time"]
    enabled: bool
    position: int = Field(description="Rules run in this order, lowest first")
    triggers: list[Trigger]
    conditions: Conditions
    actions: list[Action]
    version: int = Field(description="Send it back with a change: a rule changed meanwhile answers 409")
    created_by: str
    created_at: AwareDatetime
    updated_at: AwareDatetime


class RuleListOut(Output):
    rules: list[RuleOut]


class ConditionResultOut(Output):
    group: Literal["all", "any"]
    index: int
    field: str
    op: str
    value: str | int | bool | list[str] | None
    actual: str | int | float | bool | list[str] | None = Field(description="What the ticket has")
    matched: bool


class RuleTestOut(Output):
    rule_id: str
    ticket_id: str
    ticket_number: int
    matched: bool = Field(description="All conditions of 'all' and, if any are given, one of 'any' hold")
    conditions: list[ConditionResultOut]
    actions: list[str] = Field(description="What the rule would do to this ticket now (nothing is changed)")
    error: str | None = Field(description="Why the actions could not be planned (e.g. an invalid transition)")


class RuleRunOut(Output):
    at: AwareDatetime
    ticket_id: str
    ticket_number: int
    outcome: Literal["applied", "nothing_to_do", "stopped", "error"]
    actions: list[str]
    error: str | None


class RuleRunListOut(Output):
    runs: list[RuleRunOut]
