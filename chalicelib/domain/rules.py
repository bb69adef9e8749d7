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

from chalicelib.domain.actors import ApiKeyActor, EmailRequester, Person, PortalRequester, RuleActor
from chalicelib.domain.rule_conditions import CHOICES, TIME_FIELDS, Conditions, time_fields_of
from chalicelib.domain.rule_templates import render, template_error
from chalicelib.domain.ticket_change import KEEP, StreamChange, Ticket, UpdateTicket
from chalicelib.domain.tickets import STATUSES, TRANSITIONS

# A person's change starts at depth 0; each rule-caused change is one deeper. A change at this depth
# triggers no rule: five rules can hand a ticket along, a sixth would be a loop.
MAX_RULE_DEPTH = 5
MAX_RULES = 90  # a reorder rewrites every position in one transaction (at most 100 items)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Status = Literal["new", "open", "pending", "on_hold", "solved", "closed"]
Priority = Literal["urgent", "high", "normal", "low"]


def _template(value: str) -> str:
    problem = template_error(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Template = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
OneLineTemplate = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=r"^[^\r\n]*$")]


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SetStatus(_Action):
    type: Literal["set_status"]
    status: Status


class SetPriority(_Action):
    type: Literal["set_priority"]
    priority: Priority


class SetQueue(_Action):
    type: Literal["set_queue"]
    queue: Slug


class AddTags(_Action):
    type: Literal["add_tags"]
    tags: list[Slug] = Field(min_length=1, max_length=20)


class RemoveTags(_Action):
    type: Literal["remove_tags"]
    tags: list[Slug] = Field(min_length=1, max_length=20)


class Assign(_Action):
    """``user_id`` null hands the ticket back to the router (unassigned, it waits for an owner)."""

    type: Literal["assign"]
    user_id: Id | None


class AddNote(_Action):
    type: Literal["add_note"]
    body: Template

    _checked = field_validator("body")(_template)


class SendEmail(_Action):
    type: Literal["send_email"]
    to: Literal["requester", "user"]
    user_id: Id | None = None
    subject: OneLineTemplate
    body: Template

    _checked = field_validator("subject", "body")(_template)

    @field_validator("user_id")
    @classmethod
    def _user_for_user(cls, user_id: str | None, info: Any) -> str | None:
        if (info.data.get("to") == "user") != (user_id is not None):
            raise ValueError("name the user exactly when sending to a user")
        return user_id


class PostSlack(_Action):
    type: Literal["post_slack"]
    text: OneLineTemplate

    _checked = field_validator("text")(_template)


class SendWebhook(_Action):
    """A ``rule.triggered`` event to one of the workspace's webhook endpoints."""

    type: Literal["send_webhook"]
    endpoint_id: Id


Action = Annotated[
    SetStatus | SetPriority | SetQueue | AddTags | RemoveTags | Assign | AddNote | SendEmail | PostSlack | SendWebhook,
    Field(discriminator="type"),
]
FIELD_ACTIONS = (SetStatus, SetPriority, SetQueue, AddTags, RemoveTags, Assign)

EventName = Literal["created", "updated", "comment_added", "rated"]
TrackedField = Literal["status", "priority", "queue", "assignee", "tags"]


class Trigger(BaseModel):
    """An event that makes an event rule look at the ticket. ``updated`` may name the field that
    changed and what it changed from and/or to; ``comment_added`` who wrote."""

    model_config = ConfigDict(extra="forbid", frozen=True)

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

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    kind: Literal["event", "time"]
    enabled: bool = True
    triggers: list[Trigger] = Field(default_factory=list, max_length=10)
    conditions: Conditions = Field(default_factory=Conditions)
    actions: list[Action] = Field(min_length=1, max_length=20)


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
        if not isinstance(action, SetStatus):
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
        return any(f.field == "rating" for f in change.fields)
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
    user_id: str | None = None

    def describe(self) -> str:
        if self.channel == "email":
            return f"email {self.target}: {self.subject}"
        if self.channel == "slack":
            return f"post to Slack: {self.body}"
        return f"send a rule.triggered event to webhook {self.target}"


@dataclass(frozen=True)
class Plan:
    update: UpdateTicket | None
    note: str | None
    effects: tuple[Effect, ...] = field(default_factory=tuple)

    def describe(self) -> list[str]:
        said: list[str] = []
        if self.update is not None:
            u = self.update
            for name, value in (("status", u.status), ("priority", u.priority), ("queue", u.queue)):
                if value is not None:
                    said.append(f"set {name} to {value}")
            if u.tags is not None:
                said.append(f"set tags to {', '.join(u.tags) or '(none)'}")
            if u.assignee_id is not KEEP:
                said.append(f"assign to {u.assignee_id}" if u.assignee_id else "hand to the router (unassign)")
        if self.note is not None:
            said.append(f"add internal note: {self.note[:200]}")
        said += [effect.describe() for effect in self.effects]
        return said


def template_values(
    ticket: Ticket, rule_name: str, link: str, agent: Mapping[str, str] | None
) -> dict[str, dict[str, Any]]:
    return {
        "ticket": {
            "number": ticket.number,
            "subject": ticket.subject,
            "status": ticket.status,
            "priority": ticket.priority,
            "queue": ticket.queue,
            "channel": ticket.channel,
            "tags": list(ticket.tags),
            "url": link,
        },
        "requester": {"name": ticket.requester.name, "email": ticket.requester.email},
        "agent": {"name": (agent or {}).get("name", ""), "email": (agent or {}).get("email", "")},
        "rule": {"name": rule_name},
    }


def plan_actions(
    actions: list[Any], ticket: Ticket, values: Mapping[str, Mapping[str, Any]], users: Mapping[str, Mapping[str, str]]
) -> Plan:
    """The typed request and side effects for ``ticket``; ``users`` resolves the users emails go to."""
    status = priority = queue = None
    tags = list(ticket.tags)
    assignee: Any = KEEP
    note: str | None = None
    effects: list[Effect] = []
    for action in actions:
        if isinstance(action, SetStatus):
            status = action.status
        elif isinstance(action, SetPriority):
            priority = action.priority
        elif isinstance(action, SetQueue):
            queue = action.queue
        elif isinstance(action, AddTags):
            tags += [t for t in action.tags if t not in tags]
        elif isinstance(action, RemoveTags):
            tags = [t for t in tags if t not in action.tags]
        elif isinstance(action, Assign):
            assignee = action.user_id
        elif isinstance(action, AddNote):
            text = render(action.body, values)
            note = text if note is None else f"{note}\n\n{text}"
        elif isinstance(action, SendEmail):
            effects.append(_email(action, ticket, values, users))
        elif isinstance(action, PostSlack):
            effects.append(Effect("slack", "rule", body=render(action.text, values)))
        elif isinstance(action, SendWebhook):
            effects.append(Effect("webhook", action.endpoint_id))
    changed_tags = tuple(tags) if sorted(set(tags)) != sorted(ticket.tags) else None
    wanted = (status, priority, queue, changed_tags)
    update = (
        UpdateTicket(status, priority, queue, changed_tags, assignee)
        if any(v is not None for v in wanted) or assignee is not KEEP
        else None
    )
    return Plan(update, note, tuple(effects))


def _email(
    action: SendEmail, ticket: Ticket, values: Mapping[str, Mapping[str, Any]], users: Mapping[str, Mapping[str, str]]
) -> Effect:
    subject, body = render(action.subject, values), render(action.body, values)
    if action.to == "requester":
        return Effect("email", ticket.requester.email, subject, body, ticket.requester.name)
    user = users.get(str(action.user_id)) or {}
    return Effect("email", user.get("email", ""), subject, body, user.get("name", ""), action.user_id)
