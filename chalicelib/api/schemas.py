"""Request models: they validate input and, with the response models of ``chalicelib/contracts``,
generate the OpenAPI document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from chalicelib.contracts.responses import Availability, Priority, RoleName, Status
from chalicelib.domain.permissions import Permission
from chalicelib.domain.text import allowed_text_pattern, first_forbidden_character, strip_whitespace


@dataclass(frozen=True)
class PlainText:
    """Every free-text field carries this: control characters and bidi overrides are refused with a
    422 naming the field (the rule: ``chalicelib/domain/text.py``), and the OpenAPI publishes the
    rule as the field's ``pattern``. ``stripped``: surrounding whitespace is removed first (what is
    left is checked and stored); ``not_blank``: and something must be left.
    Length limits (``StringConstraints`` before this) count the text as sent, as JSON Schema does.
    Fields with a pattern of their own (slugs, tags, ids) are ASCII already and do not need it."""

    single_line: bool = True
    stripped: bool = False
    not_blank: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._checked, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = allowed_text_pattern(
            single_line=self.single_line, stripped=self.stripped, not_blank=self.not_blank
        )
        return json_schema

    def _checked(self, value: str) -> str:
        if self.stripped or self.not_blank:
            value = strip_whitespace(value)
        found = first_forbidden_character(value, single_line=self.single_line)
        if found is not None:
            kind = "line breaks or control" if self.single_line else "control"
            raise PydanticCustomError(
                "forbidden_character",
                "must not contain {kind} characters (found U+{code})",
                {"kind": kind, "code": f"{ord(found):04X}"},
            )
        if self.not_blank and not value:
            raise PydanticCustomError("blank", "must not be blank")
        return value


class NotNull:
    """An optional field that may be left out but not sent as ``null`` (null would not mean "clear it"):
    the server refuses null and the OpenAPI does not offer it. Use as ``Omittable[T]``."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(_refuse_null, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        branches = [b for b in json_schema.get("anyOf", []) if b != {"type": "null"}]
        if len(branches) == 1:
            rest = {k: v for k, v in json_schema.items() if k != "anyOf"}
            return {**branches[0], **rest}
        if branches:
            json_schema["anyOf"] = branches
        return json_schema


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("not_null", "may be left out, but not null")
    return value


T = TypeVar("T")
Omittable = Annotated[T | None, NotNull()]


def _integral_float_to_int(value: Any) -> Any:
    """JSON Schema's ``integer`` includes 41.0: take it, as the published schema promises (strings and
    booleans stay refused; a fraction is refused by the int type)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Put it after the int's constraints (``Annotated[int, Field(ge=1), WHOLE_NUMBER]``): wrapped inside, the
# constraints would drop out of the published schema.
WHOLE_NUMBER = BeforeValidator(_integral_float_to_int)
Integer = Annotated[int, WHOLE_NUMBER]

# RFC 3339 (the OpenAPI ``date-time`` format): a number such as 0.5 is not a date, though pydantic
# would read it as seconds since 1970.
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_ANY_AWARE_DATETIME: TypeAdapter[datetime] = TypeAdapter(AwareDatetime)


def _rfc3339_only(value: Any) -> Any:
    """Parses the text here (strict JSON validation would refuse a string that went through a
    validator), and keeps every valid instant usable: one whose UTC time falls outside years 1–9999
    (``9999-12-31T23:59:59-23:59``) is the latest or earliest instant there is, as far as any filter goes."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("datetime_type", "must be an RFC 3339 date-time string")
    if not _RFC3339.match(value):
        raise PydanticCustomError("datetime_format", "must be an RFC 3339 date-time, e.g. 2030-01-31T12:00:00Z")
    try:
        parsed = _ANY_AWARE_DATETIME.validate_python(value, strict=False)
    except ValidationError as error:
        raise PydanticCustomError("datetime_parsing", "{reason}", {"reason": error.errors()[0]["msg"]}) from None
    try:
        parsed.astimezone(UTC)
    except OverflowError:
        return (datetime.max if parsed.year > 1 else datetime.min).replace(tzinfo=UTC)
    return parsed


DateTime = Annotated[AwareDatetime, BeforeValidator(_rfc3339_only)]


Line = Annotated[str, PlainText()]
Name = Annotated[str, StringConstraints(max_length=120), PlainText(not_blank=True)]
Password = Annotated[str, StringConstraints(min_length=10, max_length=256), PlainText()]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")]
Skill = Annotated[str, StringConstraints(max_length=60), PlainText(not_blank=True)]
Token = Annotated[str, StringConstraints(min_length=1, max_length=512), PlainText()]


def _drop_null_defaults(schema: dict[str, Any]) -> None:
    """An ``Omittable`` field's default (None, "left out") is not a value it may be sent: unpublished."""
    for prop in schema.get("properties", {}).values():
        nullable = prop.get("type") == "null" or {"type": "null"} in prop.get("anyOf", [])
        if "default" in prop and prop["default"] is None and not nullable:
            del prop["default"]


class Input(BaseModel):
    # Validators are built on first use: a cold start pays only for the models its request needs.
    model_config = ConfigDict(extra="forbid", json_schema_extra=_drop_null_defaults, defer_build=True)


# --- identity ---


class SignupIn(Input):
    workspace_name: Name
    workspace_slug: Slug
    name: Name
    email: EmailStr
    password: Password


class SignupConfirmIn(Input):
    token: Annotated[str, StringConstraints(min_length=16, max_length=128)]
    workspace_slug: Slug | None = None  # another address, when the one asked for was taken meanwhile


class LoginIn(Input):
    workspace: Annotated[str, StringConstraints(min_length=1, max_length=40), PlainText()]
    email: Annotated[str, StringConstraints(min_length=1, max_length=254), PlainText()]
    password: Annotated[str, StringConstraints(min_length=1, max_length=256), PlainText()]


class RefreshIn(Input):
    refresh_token: Token


class LogoutIn(Input):
    # Signing out needs nothing but the access token; the refresh token, when sent, is revoked too.
    body_optional: ClassVar[bool] = True

    refresh_token: Token | None = None


# --- users ---


class PageQuery(Input):
    limit: Annotated[int, Field(ge=1, le=100), WHOLE_NUMBER] = 50
    cursor: Line | None = None


class AuditQuery(PageQuery):
    actor: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9:_-]{1,64}$")] | None = Field(
        default=None, description="The id of whoever acted (a user, an API key, a rule)"
    )
    action: Annotated[str, StringConstraints(pattern=r"^[a-z_]+(\.[a-z_]*)*$", max_length=60)] | None = Field(
        default=None, description="An action (`ticket.updated`), or a family of them ending with a dot (`ticket.`)"
    )
    after: DateTime | None = None
    before: DateTime | None = Field(default=None, description="Later than after")


class UserCreateIn(Input):
    name: Name
    email: EmailStr
    role: RoleName
    password: Password
    skills: Annotated[list[Skill], Field(max_length=50)] = []
    capacity: Annotated[int, Field(ge=0, le=500), WHOLE_NUMBER] = 20
    availability: Availability = "offline"


class UserPatchIn(Input):
    name: Omittable[Name] = None
    email: Omittable[EmailStr] = None
    role: Omittable[RoleName] = None
    active: Omittable[bool] = None
    password: Omittable[Password] = None
    skills: Omittable[Annotated[list[Skill], Field(max_length=50)]] = None
    capacity: Omittable[Annotated[int, Field(ge=0, le=500), WHOLE_NUMBER]] = None
    availability: Omittable[Availability] = None


# --- API keys ---


class ApiKeyCreateIn(Input):
    name: Name
    scopes: Annotated[list[Permission], Field(min_length=1, max_length=20)]


# --- audit ---


# --- tickets ---

Queue = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
Tag = Annotated[str, StringConstraints(to_lower=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_:-]{0,49}$")]
Tags = Annotated[list[Tag], Field(max_length=20)]
Subject = Annotated[str, StringConstraints(max_length=250), PlainText(not_blank=True)]
Body = Annotated[
    str,
    StringConstraints(max_length=65_536),
    PlainText(single_line=False, not_blank=True),
]
Id = Annotated[str, StringConstraints(pattern=r"^[a-f0-9]{32}$")]


class RequesterIn(Input):
    email: EmailStr
    name: Annotated[str, StringConstraints(max_length=120), PlainText(stripped=True)] = ""


class TicketCreateIn(Input):
    subject: Subject
    description: Body
    requester: RequesterIn
    priority: Priority = "normal"
    queue: Queue = "support"
    tags: Tags = []
    channel: Literal["web", "api", "email"] | None = None
    assignee_id: Id | None = None


class TicketPatchIn(Input):
    status: Status | None = None
    priority: Priority | None = None
    queue: Queue | None = None
    tags: Tags | None = None
    assignee_id: Id | None = Field(default=None, description="A user id, or null to unassign")
    version: Integer | None = Field(default=None, description="The version you edited; or send If-Match")


class CommentIn(Input):
    body: Body
    public: bool = True
    format: Literal["text", "markdown"] = Field(
        default="text", description="markdown: a safe subset (no raw HTML), shown and emailed as sanitised HTML"
    )
    cc: Annotated[list[EmailStr], Field(max_length=10, description="Public replies only; emailed as Cc")] = []
    attachments: Annotated[
        list[Id], Field(max_length=10, description="Ids from POST /tickets/{id}/uploads, each uploaded already")
    ] = []


class UploadIn(Input):
    filename: Annotated[str, StringConstraints(max_length=255), PlainText(not_blank=True)]
    content_type: Annotated[str, StringConstraints(max_length=200, pattern=r"^[a-z0-9.+-]+/[a-z0-9.+-]+$")]
    size: Annotated[int, Field(ge=1), WHOLE_NUMBER] = Field(description="Bytes; the upload must be exactly this")


class TicketListQuery(Input):
    status: list[Status] = []
    priority: list[Priority] = []
    assignee: Annotated[str, StringConstraints(pattern=r"^(me|unassigned|[a-f0-9]{32})$")] | None = None
    queue: Queue | None = None
    tag: Tag | None = None
    requester: Annotated[str, StringConstraints(max_length=254), PlainText()] | None = None
    created_after: DateTime | None = None
    created_before: DateTime | None = Field(default=None, description="Later than created_after")
    updated_after: DateTime | None = None
    updated_before: DateTime | None = Field(default=None, description="Later than updated_after")
    sla_due_before: DateTime | None = None
    q: Annotated[str, StringConstraints(max_length=200), PlainText(stripped=True)] | None = None
    sort: Literal["-updated_at", "updated_at", "-created_at", "created_at", "priority", "sla_due_at"] = Field(
        default="-updated_at",
        description="`sla_due_at`: soonest SLA deadline first, only tickets whose clock runs",
    )
    limit: Annotated[int, Field(ge=1, le=100), WHOLE_NUMBER] = 25
    cursor: Line | None = None


# --- saved views ---


class ViewFilters(TicketListQuery):
    """The filters of GET /tickets, without paging."""

    limit: Annotated[int, Field(ge=1, le=100), WHOLE_NUMBER] = 25


class ViewIn(Input):
    name: Name
    filters: ViewFilters
    shared: bool = False


class ViewPatchIn(Input):
    name: Name | None = None
    filters: ViewFilters | None = None
    shared: bool | None = None


# --- assignment ---

Weight = Annotated[int, Field(ge=1, le=10), WHOLE_NUMBER]


class RoutingSettingsIn(Input):
    auto_assign_default: bool = True
    auto_assign_queues: dict[Queue, bool] = {}
    weights: dict[Priority, Weight] = {}
    on_unavailable: Literal["keep", "return"] = "keep"


# --- notifications and integrations ---

EventType = Literal[  # the domain's EVENT_TYPES and "*" (a unit test keeps them equal)
    "ticket.created",
    "ticket.assigned",
    "ticket.status_changed",
    "ticket.priority_changed",
    "comment.created",
    "ticket.sla_breached",
    "ticket.rated",
    "*",
]
WebhookUrl = Annotated[str, StringConstraints(min_length=8, max_length=2048), PlainText(not_blank=True)]
Description = Annotated[str, StringConstraints(max_length=200), PlainText(stripped=True)]


class WebhookCreateIn(Input):
    url: WebhookUrl = Field(description="https URL of the receiver; private and metadata addresses are refused")
    event_types: Annotated[list[EventType], Field(min_length=1, max_length=10)]
    description: Description = ""


class WebhookPatchIn(Input):
    url: WebhookUrl | None = None
    event_types: Annotated[list[EventType], Field(min_length=1, max_length=10)] | None = None
    description: Description | None = None
    enabled: bool | None = Field(default=None, description="true re-enables an endpoint that was disabled")


class SlackConnectionIn(Input):
    mode: Literal["bot", "incoming_webhook"]
    bot_token: Annotated[str, StringConstraints(pattern=r"^xox[a-z]-[A-Za-z0-9-]{4,250}$")] | None = Field(
        default=None, description="Bot token; omit to keep the stored one"
    )
    channel: Annotated[str, StringConstraints(pattern=r"^#?[A-Za-z0-9._-]{1,80}$")] | None = None
    webhook_url: Annotated[str, StringConstraints(max_length=500), PlainText()] | None = Field(
        default=None, description="Incoming-webhook URL; omit to keep the stored one"
    )
    signing_secret: Annotated[str, StringConstraints(pattern=r"^[a-f0-9]{32}$")] | None = Field(
        default=None,
        description="The Slack app's signing secret: enables the 'Take it' button on alerts (bot mode); "
        "omit to keep the stored one",
    )
    alert_urgent: bool = True
    alert_sla_breaches: bool = True
    unassigned_after_minutes: Annotated[int, Field(ge=1, le=10_080), WHOLE_NUMBER] | None = Field(
        default=None, description="Alert when a ticket waits this long without an owner; null for never"
    )


class SlackInteractionForm(Input):
    """What Slack posts to the interactivity URL, signed with the app's signing secret
    (``X-Slack-Signature``, ``X-Slack-Request-Timestamp``)."""

    payload: str = Field(description="Slack's interaction payload: a JSON object, as text")


class NotificationPrefsIn(Input):
    email_ticket_assigned: bool | None = None
    email_ticket_commented: bool | None = None
    email_sla_breached: bool | None = None
    email_watched_tickets: bool | None = None


# --- SLA: business hours and policies ------------------------------------------------------------

StartTime = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
EndTime = Annotated[
    str, StringConstraints(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"), Field(description="24:00 is midnight")
]


def _iso_date(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise PydanticCustomError("date_format", "must be a date, e.g. 2026-12-24")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_value", "is not a calendar date") from None
    return value


IsoDate = Annotated[str, BeforeValidator(_iso_date), Field(json_schema_extra={"format": "date"})]


class SpanIn(Input):
    start: StartTime
    end: EndTime


DaySpans = Annotated[list[SpanIn], Field(max_length=6)]


class WeeklyHoursIn(Input):
    monday: DaySpans = []
    tuesday: DaySpans = []
    wednesday: DaySpans = []
    thursday: DaySpans = []
    friday: DaySpans = []
    saturday: DaySpans = []
    sunday: DaySpans = []


class HolidayIn(Input):
    start: IsoDate
    end: IsoDate | None = Field(default=None, description="The last day of a closing; omit for one day")
    name: Description = ""


class BusinessHoursIn(Input):
    time_zone: Annotated[str, StringConstraints(min_length=1, max_length=64), PlainText()] = Field(
        description="An IANA time zone, e.g. Europe/Berlin"
    )
    weekly_hours: WeeklyHoursIn
    holiday_country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,3}$")] | None = Field(
        default=None, description="ISO 3166-1 code whose public holidays are closed, e.g. DE"
    )
    holiday_subdivision: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,10}$")] | None = Field(
        default=None, description="A state or region of that country, e.g. BY"
    )
    holidays: Annotated[list[HolidayIn], Field(max_length=200)] = []


TargetMinutes = Annotated[int, Field(ge=1, le=365 * 24 * 60), WHOLE_NUMBER]


class SlaTargetsIn(Input):
    first_response_minutes: TargetMinutes | None = None
    next_reply_minutes: TargetMinutes | None = Field(
        default=None, description="After each new message of the requester, the next public agent reply"
    )
    resolution_minutes: TargetMinutes | None = None


SlaTargetsByPriority = Annotated[dict[Priority, SlaTargetsIn], Field(min_length=1)]


class SlaPolicyIn(Input):
    name: Name
    queue: Queue | None = Field(default=None, description="Only tickets of this queue")
    tag: Tag | None = Field(default=None, description="Only tickets with this tag")
    business_hours: bool = Field(default=False, description="Count business hours, not calendar time")
    targets: SlaTargetsByPriority


class SlaPolicyPatchIn(Input):
    name: Omittable[Name] = None
    queue: Queue | None = Field(default=None, description="null: any queue")
    tag: Tag | None = Field(default=None, description="null: any tag")
    business_hours: Omittable[bool] = None
    targets: Omittable[SlaTargetsByPriority] = None


class SlaPolicyOrderIn(Input):
    ids: Annotated[list[Annotated[str, StringConstraints(pattern=r"^[a-f0-9]{32}$")]], Field(max_length=50)] = Field(
        description="Every policy id, in the order they are tried (first match wins)"
    )


# --- password reset (forgot password) ----------------------------------------------------------


class PasswordResetIn(Input):
    workspace: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    email: Annotated[str, StringConstraints(min_length=1, max_length=254)]


class InvitationIn(Input):
    email: EmailStr
    role: RoleName


class InvitationAcceptIn(Input):
    token: Annotated[str, StringConstraints(min_length=16, max_length=160)]
    name: Name
    password: Password


class PasswordChangeIn(Input):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=256), PlainText()]
    new_password: Password


class PasswordResetConfirmIn(Input):
    token: Annotated[str, StringConstraints(min_length=16, max_length=160)]
    password: Password


# --- email in ---


class EmailAddressIn(Input):
    name: Annotated[
        str,
        StringConstraints(to_lower=True, pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,28}[A-Za-z0-9])?$"),
        Field(description="The part after '+': <slug>+<name>@<inbound domain>"),
    ]
    queue: Queue


# --- the team's performance ---

Day = Annotated[date, BeforeValidator(_iso_date), Field(description="A UTC day, YYYY-MM-DD")]  # never a number


class MetricsQuery(Input):
    """A period of whole days in the workspace's time zone (at most a year), its comparison period (by
    default the same number of days just before it), how to group, and filters: any one of queue,
    priority or channel, or queue and priority together (they have rollups of their own; a channel
    with another filter is a 422). With filters, group by day, week or the filtered dimension."""

    from_: Day | None = Field(default=None, alias="from", description="First day; default: 29 days before `to`")
    to: Day | None = Field(default=None, description="Last day; default: today (in the workspace's time zone)")
    days: Annotated[int, Field(ge=1, le=366), WHOLE_NUMBER] | None = Field(
        default=None, description="Instead of `from`: a period of this many days ending `to`"
    )
    compare_from: Day | None = None
    compare_to: Day | None = None
    group_by: Literal["day", "week", "agent", "queue", "priority", "channel", "tag"] = "day"
    queue: Queue | None = None
    priority: Priority | None = None
    channel: Literal["web", "api", "email"] | None = None


class MetricsTicketsQuery(Input):
    measure: Literal[
        "created",
        "solved",
        "reopened",
        "sla_first_response_breached",
        "sla_next_reply_breached",
        "sla_resolution_breached",
    ] = "created"
    from_: Day | None = Field(default=None, alias="from")
    to: Day | None = None
    limit: Annotated[int, Field(ge=1, le=100), WHOLE_NUMBER] = 50
