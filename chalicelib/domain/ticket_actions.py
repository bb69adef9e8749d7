"""What a macro or a rule may do to a ticket, as typed values: one pydantic model per kind of action,
told apart by ``type`` (a discriminated union), validated strictly when saved (an unknown type or
field, a bad value or a template with an unknown placeholder is an error naming the field), stored
as JSON and read back with ``parse_actions``.

``plan_actions`` turns a list of actions and the current ticket into what ``decide`` takes: one
``UpdateTicket`` (later actions win over earlier ones on the same field; tags add and remove in
order) and the comments with their templates filled in. Pure code.

Order when applied as one change (see ``ticket_change.ApplyActions``): the comment first, then the
fields, so "reply and mark solved" leaves the ticket solved (an agent's public reply alone would
open it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.templates import TemplateContext, TemplateProblem, check_template, render_template
from chalicelib.domain.text import first_forbidden_character, strip_whitespace
from chalicelib.domain.ticket_change import KEEP, Ticket, UpdateTicket, _Keep

MAX_ACTIONS = 20
MAX_TAGS_PER_ACTION = 20
UNASSIGN = "unassign"
ROUTER = "router"  # hand the ticket to automatic assignment: unassigned, then the router picks

ActionStatus = Literal["new", "open", "pending", "on_hold", "solved", "closed"]
ActionPriority = Literal["urgent", "high", "normal", "low"]
ActionQueue = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
ActionTag = Annotated[str, StringConstraints(to_lower=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_:-]{0,49}$")]
ActionTags = Annotated[list[ActionTag], Field(min_length=1, max_length=MAX_TAGS_PER_ACTION)]
AssigneeChoice = Annotated[
    str,
    StringConstraints(pattern=r"^([a-f0-9]{32}|unassign|router)$"),
    Field(description="A user id (32 hex digits), 'unassign', or 'router' (hand to automatic assignment)"),
]
TemplateText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=20_000,
        description="Markdown; placeholders such as {{ ticket.number }}, {{ requester.name }}, {{ agent.name }}",
    ),
]


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class SetStatus(_Action):
    type: Literal["set_status"]
    status: ActionStatus


class SetPriority(_Action):
    type: Literal["set_priority"]
    priority: ActionPriority


class SetQueue(_Action):
    type: Literal["set_queue"]
    queue: ActionQueue


class AddTags(_Action):
    type: Literal["add_tags"]
    tags: ActionTags


class RemoveTags(_Action):
    type: Literal["remove_tags"]
    tags: ActionTags


class SetAssignee(_Action):
    type: Literal["set_assignee"]
    assignee: AssigneeChoice


class _TextAction(_Action):
    body: TemplateText

    @field_validator("body")
    @classmethod
    def _valid_template(cls, body: str) -> str:
        return valid_template(body)


class AddNote(_TextAction):
    """An internal note (agents only see it)."""

    type: Literal["add_note"]


class AddReply(_TextAction):
    """A public reply, emailed to the requester like any agent reply."""

    type: Literal["add_reply"]


FieldAction = Annotated[
    SetStatus | SetPriority | SetQueue | AddTags | RemoveTags | SetAssignee,
    Field(discriminator="type"),
]
TicketAction = Annotated[
    SetStatus | SetPriority | SetQueue | AddTags | RemoveTags | SetAssignee | AddNote | AddReply,
    Field(discriminator="type"),
]
FieldActions = Annotated[list[FieldAction], Field(max_length=MAX_ACTIONS)]
TicketActions = Annotated[list[TicketAction], Field(max_length=MAX_ACTIONS)]

# Built when first used, like the models they hold: a cold start pays only for what its request validates.
_TICKET_ACTIONS: TypeAdapter[list[TicketAction]] = TypeAdapter(TicketActions, config=ConfigDict(defer_build=True))
_FIELD_ACTIONS: TypeAdapter[list[FieldAction]] = TypeAdapter(FieldActions, config=ConfigDict(defer_build=True))


def valid_template(body: str) -> str:
    """A template as it may be stored, or a pydantic error naming what is wrong (for validators)."""
    body = strip_whitespace(body)
    if not body:
        raise PydanticCustomError("blank", "must not be blank")
    found = first_forbidden_character(body, single_line=False)
    if found is not None:
        raise PydanticCustomError(
            "forbidden_character", "must not contain control characters (found U+{code})", {"code": f"{ord(found):04X}"}
        )
    try:
        check_template(body)
    except TemplateProblem as problem:
        raise PydanticCustomError("template", "{problem}", {"problem": str(problem)}) from None
    return body


def parse_actions(data: Any, field: str = "actions") -> list[TicketAction]:
    """Actions from JSON-like data (a request body part or what was stored); ``ValidationFailed``
    names each bad field as ``<field>.<index>.<type>.<name>``."""
    return _parsed(_TICKET_ACTIONS, data, field)


def parse_field_actions(data: Any, field: str = "actions") -> list[FieldAction]:
    """As ``parse_actions``, for the actions that change fields only (no note, no reply)."""
    return _parsed(_FIELD_ACTIONS, data, field)


def _parsed(adapter: TypeAdapter[list[Any]], data: Any, field: str) -> list[Any]:
    try:
        return adapter.validate_python(data)
    except ValidationError as error:
        raise ValidationFailed(
            [
                {"field": ".".join([field, *(str(part) for part in e["loc"])]), "message": e["msg"]}
                for e in error.errors(include_url=False)
            ]
        ) from None


def dump_actions(actions: Sequence[TicketAction]) -> list[dict[str, Any]]:
    """The stored (and API) form of actions; ``parse_actions`` reads it back."""
    return [action.model_dump(mode="json") for action in actions]


@dataclass(frozen=True)
class PlannedComment:
    body: str  # filled in
    public: bool


@dataclass(frozen=True)
class ActionPlan:
    """What a list of actions asks of one ticket, in ``decide``'s terms."""

    update: UpdateTicket
    comment: PlannedComment | None
    hand_to_router: bool  # unassigned by 'router': assign automatically once committed

    @property
    def assignee_id(self) -> str | _Keep | None:
        return self.update.assignee_id

    def changes_fields(self) -> bool:
        u = self.update
        return any(v is not None for v in (u.status, u.priority, u.queue, u.tags)) or u.assignee_id is not KEEP


def plan_actions(actions: Sequence[TicketAction], ticket: Ticket, context: TemplateContext) -> ActionPlan:
    """The actions applied in order to ``ticket``: a later status, priority, queue or assignee wins;
    tags are added and removed in order (the result is sent only if it differs). At most one
    comment (note or reply) per plan: ``ValidationFailed`` on ``actions.<i>`` otherwise. A template
    that no longer passes the check raises ``ValidationFailed`` on its ``body``."""
    status: str | None = None
    priority: str | None = None
    queue: str | None = None
    assignee: str | _Keep | None = KEEP
    router = False
    tags = list(ticket.tags)
    comment: PlannedComment | None = None
    for index, action in enumerate(actions):
        if isinstance(action, SetStatus):
            status = action.status
        elif isinstance(action, SetPriority):
            priority = action.priority
        elif isinstance(action, SetQueue):
            queue = action.queue
        elif isinstance(action, AddTags):
            tags += [tag for tag in action.tags if tag not in tags]
        elif isinstance(action, RemoveTags):
            tags = [tag for tag in tags if tag not in action.tags]
        elif isinstance(action, SetAssignee):
            router = action.assignee == ROUTER
            assignee = None if action.assignee in (UNASSIGN, ROUTER) else action.assignee
        else:
            if comment is not None:
                raise ValidationFailed(
                    [{"field": f"actions.{index}", "message": "only one note or reply per set of actions"}]
                )
            try:
                body = render_template(action.body, context)
            except TemplateProblem as problem:
                raise ValidationFailed(
                    [{"field": f"actions.{index}.{action.type}.body", "message": str(problem)}]
                ) from None
            comment = PlannedComment(body, public=isinstance(action, AddReply))
    new_tags = tuple(sorted(set(tags)))
    update = UpdateTicket(
        status=status,
        priority=priority,
        queue=queue,
        tags=new_tags if new_tags != tuple(sorted(set(ticket.tags))) else None,
        assignee_id=assignee,
    )
    return ActionPlan(update, comment, hand_to_router=router)
