"""Request models of the rules routes; a rule itself is ``domain/rules.py``'s ``RuleDefinition``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from chalicelib.api.schemas import Input
from chalicelib.domain.rule_conditions import Conditions
from chalicelib.domain.rules import Action, Name, Trigger

RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class RulePatchIn(Input):
    """Only the fields sent change; ``{"enabled": false}`` disables a rule."""

    name: Name | None = None
    kind: Literal["event", "time"] | None = None
    enabled: bool | None = None
    triggers: list[Trigger] | None = Field(default=None, max_length=10)
    conditions: Conditions | None = None
    actions: list[Action] | None = Field(default=None, min_length=1, max_length=20)
    version: int | None = Field(default=None, ge=0, description="The version you edited; a newer one answers 409")


class RuleOrderIn(Input):
    ids: list[RuleId] = Field(min_length=1, max_length=100, description="Every rule of the workspace, in running order")


class RuleTestIn(Input):
    """The ticket to try the rule on: its id or its number."""

    ticket_id: RuleId | None = None
    number: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _one_ticket(self) -> RuleTestIn:
        if (self.ticket_id is None) == (self.number is None):
            raise ValueError("give the ticket's id or its number (one of them)")
        return self
