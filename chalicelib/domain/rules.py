"""Rules: *when* an event happens to a ticket (event rules) or a ticket has waited long enough (time
rules), *and* its conditions hold, *then* typed actions. The definition is validated when saved
(every problem names its field); what a matching rule does is planned here as typed requests of the
one write path plus side effects (email, Slack, webhook). Loops are cut here too: a rule never
answers its own change, and a chain of rule-caused changes stops at ``MAX_RULE_DEPTH``. Pure code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from chalicelib.domain import ticket_actions as ta
from chalicelib.domain.actors import ApiKeyActor, EmailRequester, Person, PortalRequester, RuleActor
from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.rule_conditions import CHOICES, TIME_FIELDS, Conditions, time_fields_of
from chalicelib.domain.templates import TemplateContext, TemplateProblem, render_template
from chalicelib.domain.ticket_change import KEEP, StreamChange, Ticket
from chalicelib.domain.tickets import STATUSES, TRANSITIONS

# A person's change starts at depth 0; each rule-caused change is one deeper. A change at this depth
# triggers no rule: five rules can hand a ticket along, a sixth would be a loop.
MAX_RULE_DEPTH = 5
MAX_RULES = 90  # a reorder rewrites every position in one transaction (at most 100 items)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class _RuleOnly(BaseModel):
    """The actions only a rule takes (a macro's are ``domain/ticket_actions.py``, shared here)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


OneLineTemplate = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=r"^[^\r\n]*$")]


class SendEmail(_RuleOnly):
    """An email to the requester or to a user of the workspace; subject and body are templates."""

    type: Literal["send_email"]
    to: Literal["requester", "user"]
    user_id: Id | None = Field(default=None, validate_default=True)
    subject: OneLineTemplate
    body: ta.TemplateText

    @field_validator("subject", "body")
    @classmethod
    def _valid_template(cls, value: str) -> str:
        return ta.valid_template(value)

    @field_validator("user_id")
    @classmethod
    def _user_for_user(cls, user_id: str | None, info: Any) -> str | None:
        if (info.data.get("to") == "user") != (user_id is not None):
            raise ValueError("name the user exactly when sending to a user")
        return user_id


class PostSlack(_RuleOnly):
    """A message to the workspace's Slack channel (Settings → Integrations)."""

    type: Literal["post_slack"]
    text: OneLineTemplate

    @field_validator("text")
    @classmethod
    def _valid_template(cls, value: str) -> str:
        return ta.valid_template(value)


class SendWebhook(_RuleOnly):
    """A signed ``rule.triggered`` event to one of the workspace's webhook endpoints."""

    type: Literal["send_webhook"]
    endpoint_id: Id


class ApplyMacro(_RuleOnly):
    """A shared macro's actions and reply, as if listed here."""

    type: Literal["apply_macro"]
    macro_id: Id


RuleAction = Annotated[
    ta.SetStatus
    | ta.SetPriority
    | ta.SetQueue
    | ta.AddTags
    | ta.RemoveTags
    | ta.SetAssignee
    | ta.AddNote
    | ta.AddReply
    | SendEmail
    | PostSlack
    | SendWebhook
    | ApplyMacro,
    Field(discriminator="type"),
]
Action = RuleAction

EventName = Literal["created", "updated", "comment_added", "rated"]
TrackedField = Literal["status", "priority", "queue", "assignee", "tags"]


class Trigger(BaseModel):
    """An event that makes an event rule look at the ticket. ``updated`` may name the field that
    changed and what it changed from and/or to; ``comment_added`` who wrote."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    event: EventName
    field: TrackedField | None = None
    changed_from: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    changed_to: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    author: Literal["any", "requester", "agent"] = "any"

    @field_validator("field")
    @classmethod
    def _field_for_updates(cls, value: str | None, info: Any) -> str | None:
        if value is not None and info.data.get("event") != "updated":
            raise ValueError("only an 'updated' event names a field")
        return value

    @field_validator("changed_from", "changed_to")
    @classmethod
    def _value_of_field(cls, value: str | None, info: Any) -> str | None:
        name = info.data.get("field")
        if value is None:
            return None
        if name is None:
            raise ValueError("name the field that changes")
        choices = CHOICES.get(str(name))
        if choices is not None and value not in choices:
            raise ValueError(f"'{value}' is not a {name} (use one of: {', '.join(choices)})")
        return value

    @field_validator("author")
    @classmethod
    def _author_for_comments(cls, value: str, info: Any) -> str:
        if value != "any" and info.data.get("event") != "comment_added":
            raise ValueError("only a 'comment_added' event names its author")
        return value


class RuleDefinition(BaseModel):
    """What an admin or lead writes; stored as JSON, validated again whenever read back."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: Name
    kind: Literal["event", "time"]
    enabled: bool = True
    triggers: list[Trigger] = Field(default_factory=list, max_length=10)
    conditions: Conditions = Field(default_factory=Conditions)
    actions: list[RuleAction] = Field(min_length=1, max_length=ta.MAX_ACTIONS)


def definition_errors(definition: RuleDefinition) -> list[dict[str, str]]:
    """What the field-by-field validation cannot see: how the parts fit together."""
    errors: list[dict[str, str]] = []
    timed = time_fields_of(definition.conditions)
    if definition.kind == "event":
        if not definition.triggers:
            errors.append({"field": "triggers", "message": "an event rule needs at least one trigger"})
        for group, listed in (("all", definition.conditions.all), ("any", definition.conditions.any)):
            for index, condition in enumerate(listed):
                if condition.field in TIME_FIELDS:
                    where = f"conditions.{group}.{index}.field"
                    errors.append({"field": where, "message": "hours-since conditions belong to time rules"})
    else:
        if definition.triggers:
            errors.append({"field": "triggers", "message": "a time rule runs on the schedule and has no triggers"})
        if not any(c.field in TIME_FIELDS for c in definition.conditions.all):
            errors.append(
                {"field": "conditions.all", "message": "a time rule needs an hours-since condition among 'all'"}
            )
        if len(set(timed)) > 1:
            errors.append({"field": "conditions", "message": "a time rule counts hours from one moment only"})
    errors += _transition_errors(definition)
    texts = [i for i, a in enumerate(definition.actions) if isinstance(a, ta.AddNote | ta.AddReply)]
    if len(texts) > 1:
        errors.append({"field": f"actions.{texts[1]}", "message": "only one note or reply per rule"})
    return errors


def _transition_errors(definition: RuleDefinition) -> list[dict[str, str]]:
    """A status action the ticket could never take: to ``new`` (nothing goes back to new), or from
    every status the conditions allow."""
    allowed = set(STATUSES)
    for condition in definition.conditions.all:
        if condition.field == "status" and condition.op in ("is", "in"):
            values = [condition.value] if condition.op == "is" else list(condition.value or [])  # type: ignore[arg-type]
            allowed &= {str(v) for v in values}
        elif condition.field == "status" and condition.op in ("is_not", "not_in"):
            values = [condition.value] if condition.op == "is_not" else list(condition.value or [])  # type: ignore[arg-type]
            allowed -= {str(v) for v in values}
    errors = []
    for index, action in enumerate(definition.actions):
        if not isinstance(action, ta.SetStatus):
            continue
        reachable = [s for s in allowed if action.status in TRANSITIONS[s]]
        if not reachable:
            origin = ", ".join(sorted(allowed)) or "no status"
            errors.append(
                {
                    "field": f"actions.{index}.status",
                    "message": f"a ticket cannot go from {origin} to '{action.status}'",
                }
            )
    return errors


# --- events and loops ----------------------------------------------------------------------------

_FIELD_NAMES = {"assignee": "assignee_id"}


def triggered(triggers: list[Trigger], change: StreamChange) -> bool:
    return any(_fires(trigger, change) for trigger in triggers)


def _fires(trigger: Trigger, change: StreamChange) -> bool:
    if trigger.event == "created":
        return change.kind == "created"
    if trigger.event == "comment_added":
        if change.kind != "commented":
            return False
        return trigger.author == "any" or trigger.author == author_role(change)
    if trigger.event == "rated":
        return change.kind == "rated"  # the requester answered the survey (domain/ticket_change.rate)
    if change.kind not in ("updated", "assigned", "released"):
        return False
    if trigger.field is None:
        return True
    name = _FIELD_NAMES.get(trigger.field, trigger.field)
    return any(
        f.field == name and _moved(trigger, f.before, f.after, tags=trigger.field == "tags") for f in change.fields
    )


def _moved(trigger: Trigger, before: Any, after: Any, *, tags: bool) -> bool:
    if tags:  # from: a tag taken off; to: a tag put on
        removed, added = set(before or ()) - set(after or ()), set(after or ()) - set(before or ())
        return (trigger.changed_from is None or trigger.changed_from in removed) and (
            trigger.changed_to is None or trigger.changed_to in added
        )
    return (trigger.changed_from is None or trigger.changed_from == before) and (
        trigger.changed_to is None or trigger.changed_to == after
    )


def author_role(change: StreamChange) -> Literal["requester", "agent", "system"]:
    if isinstance(change.actor, EmailRequester | PortalRequester):
        return "requester"
    return "agent" if isinstance(change.actor, Person | ApiKeyActor) else "system"


def own_change(rule_id: str, change: StreamChange) -> bool:
    """The change was made by this very rule: it never answers itself."""
    return isinstance(change.actor, RuleActor) and change.actor.rule_id == rule_id


def depth_after(change: StreamChange) -> int:
    """The depth a rule's answer to ``change`` carries."""
    return change.depth + 1 if isinstance(change.actor, RuleActor) else 1


def too_deep(change: StreamChange) -> bool:
    return isinstance(change.actor, RuleActor) and change.depth >= MAX_RULE_DEPTH


# --- what a matching rule does -------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    """A side effect, sent after the ticket change is committed, as a delivery job."""

    channel: Literal["email", "slack", "webhook"]
    target: str  # an email address, "rule" for Slack, or an endpoint id
    subject: str = ""
    body: str = ""
    name: str = ""

    def describe(self) -> str:
        if self.channel == "email":
            return f"email {self.target or '(nobody: the user is gone)'}: {self.subject}"
        if self.channel == "slack":
            return f"post to Slack: {self.body}"
        return f"send a rule.triggered event to webhook {self.target}"


@dataclass(frozen=True)
class Plan:
    """The ticket change (``ticket_actions``' plan: one ``ApplyActions``) and the side effects."""

    tickets: ta.ActionPlan
    effects: tuple[Effect, ...] = field(default_factory=tuple)

    def changes_ticket(self) -> bool:
        return self.tickets.changes_fields() or self.tickets.comment is not None

    def describe(self, ticket: Ticket) -> list[str]:
        u, said = self.tickets.update, []
        for name, value, current in (
            ("status", u.status, ticket.status),
            ("priority", u.priority, ticket.priority),
            ("queue", u.queue, ticket.queue),
        ):
            if value is not None and value != current:
                said.append(f"set {name} to {value}")
        if u.tags is not None:
            said += [f"add tag {t}" for t in sorted(set(u.tags) - set(ticket.tags))]
            said += [f"remove tag {t}" for t in sorted(set(ticket.tags) - set(u.tags))]
        if self.tickets.hand_to_router:
            said.append("hand to automatic assignment")
        elif u.assignee_id is not KEEP and u.assignee_id != ticket.assignee_id:
            said.append("unassign" if u.assignee_id is None else f"assign to {u.assignee_id}")
        comment = self.tickets.comment
        if comment is not None:
            said.append(f"{'public reply' if comment.public else 'internal note'}: {comment.body[:200]}")
        return said + [effect.describe() for effect in self.effects]


def plan_actions(
    actions: list[Any],
    ticket: Ticket,
    context: TemplateContext,
    users: Mapping[str, Mapping[str, str]],
    macros: Mapping[str, list[ta.TicketAction]],
) -> Plan:
    """What the rule's actions do to ``ticket``: its ticket actions (with those of the macros it
    applies, in place) as one plan, and its emails, Slack posts and webhook events with their texts
    filled in. ``users`` resolves the users emails go to; ``macros`` the macros' actions. Raises
    ``ValidationFailed`` naming the action when it can no longer be done (a deleted macro)."""
    ticket_actions: list[ta.TicketAction] = []
    effects: list[Effect] = []
    for index, action in enumerate(actions):
        if isinstance(action, ApplyMacro):
            if action.macro_id not in macros:
                raise ValidationFailed([{"field": f"actions.{index}.macro_id", "message": "the macro is gone"}])
            ticket_actions += macros[action.macro_id]
        elif isinstance(action, SendEmail):
            effects.append(_email(action, ticket, context, users))
        elif isinstance(action, PostSlack):
            effects.append(Effect("slack", "rule", body=_filled(action.text, context)))
        elif isinstance(action, SendWebhook):
            effects.append(Effect("webhook", action.endpoint_id))
        else:
            ticket_actions.append(action)
    return Plan(ta.plan_actions(ticket_actions, ticket, context), tuple(effects))


def _filled(source: str, context: TemplateContext) -> str:
    try:
        return render_template(source, context)
    except TemplateProblem as problem:
        raise ValidationFailed([{"field": "actions", "message": str(problem)}]) from None


def _email(
    action: SendEmail, ticket: Ticket, context: TemplateContext, users: Mapping[str, Mapping[str, str]]
) -> Effect:
    subject, body = _filled(action.subject, context), _filled(action.body, context)
    if action.to == "requester":
        return Effect("email", ticket.requester.email, subject, body, ticket.requester.name)
    user = users.get(str(action.user_id)) or {}
    return Effect("email", user.get("email", ""), subject, body, user.get("name", ""))
