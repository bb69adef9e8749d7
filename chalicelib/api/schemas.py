"""Request and response models: they validate input and generate the OpenAPI document."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, EmailStr, Field, StringConstraints
from pydantic_core import PydanticCustomError

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Password = Annotated[str, StringConstraints(min_length=10, max_length=256)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")]
RoleName = Literal["admin", "lead", "agent", "viewer"]
Availability = Literal["online", "away", "offline"]
Skill = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    model_config = ConfigDict(extra="allow")


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


class SignupAcceptedOut(Output):
    status: Literal["confirmation_sent"]
    detail: str


class LoginIn(Input):
    workspace: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    email: Annotated[str, StringConstraints(min_length=1, max_length=254)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class RefreshIn(Input):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=512)]


class LogoutIn(Input):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=512)] | None = None


class UserOut(Output):
    id: str
    name: str
    email: str
    role: RoleName
    active: bool
    skills: list[str]
    capacity: int
    availability: Availability
    created_at: str
    updated_at: str
    version: int


class TokensOut(Output):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    user: UserOut


class WorkspaceOut(Output):
    id: str
    name: str
    slug: str


class MeOut(Output):
    user: UserOut | None
    workspace: WorkspaceOut
    permissions: list[str]
    api_key: dict[str, str] | None = None


# --- users ---


class PageQuery(Input):
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    cursor: str | None = None


class UserCreateIn(Input):
    name: Name
    email: EmailStr
    role: RoleName
    password: Password
    skills: Annotated[list[Skill], Field(max_length=50)] = []
    capacity: Annotated[int, Field(ge=0, le=500)] = 20
    availability: Availability = "offline"


class UserPatchIn(Input):
    name: Name | None = None
    email: EmailStr | None = None
    role: RoleName | None = None
    active: bool | None = None
    password: Password | None = None
    skills: Annotated[list[Skill], Field(max_length=50)] | None = None
    capacity: Annotated[int, Field(ge=0, le=500)] | None = None
    availability: Availability | None = None


class UserListOut(Output):
    items: list[UserOut]
    next_cursor: str | None


# --- API keys ---


class ApiKeyCreateIn(Input):
    name: Name
    scopes: Annotated[list[str], Field(min_length=1, max_length=20)]


class ApiKeyOut(Output):
    id: str
    name: str
    scopes: list[str]
    prefix: str
    created_by: str
    created_at: str
    last_used_at: str | None


class ApiKeyCreatedOut(ApiKeyOut):
    secret: str = Field(description="The full key. Shown once; only its hash is stored.")


class ApiKeyListOut(Output):
    items: list[ApiKeyOut]
    next_cursor: str | None


# --- audit ---


class AuditEventOut(Output):
    id: str
    at: str
    actor: dict[str, str]
    action: str
    target: dict[str, str]
    before: dict[str, object] | None
    after: dict[str, object] | None
    request_id: str | None
    source_ip: str | None


class AuditListOut(Output):
    items: list[AuditEventOut]
    next_cursor: str | None


class HealthOut(Output):
    status: Literal["ok"]
    checks: dict[str, str]


# --- tickets ---

Status = Literal["new", "open", "pending", "on_hold", "solved", "closed"]
Priority = Literal["urgent", "high", "normal", "low"]
Queue = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_:-]{0,49}$")
]
Tags = Annotated[list[Tag], Field(max_length=20)]
Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=250)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=65_536)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-f0-9]{32}$")]


class RequesterIn(Input):
    email: EmailStr
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] = ""


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
    version: int | None = Field(default=None, description="The version you edited; or send If-Match")


class CommentIn(Input):
    body: Body
    public: bool = True


class TicketOut(Output):
    id: str
    number: int
    subject: str
    description: str
    requester: dict[str, str]
    status: Status
    priority: Priority
    assignee_id: str | None
    queue: str
    tags: list[str]
    channel: str
    created_at: str
    updated_at: str
    first_response_at: str | None
    solved_at: str | None
    sla_due_at: str | None
    version: int


class CommentOut(Output):
    id: str
    ticket_id: str
    body: str | None = Field(description="null for an internal note the caller may not read")
    public: bool
    author: dict[str, str]
    created_at: str


class TicketWithConversationOut(Output):
    ticket: TicketOut
    comments: list[CommentOut]
    watchers: list[str] = Field(description="Ids of the users who watch the ticket")


class WatchersOut(Output):
    watchers: list[str]


class CommentCreatedOut(Output):
    comment: CommentOut
    ticket: TicketOut


class TicketListOut(Output):
    items: list[TicketOut]
    next_cursor: str | None


class HistoryEntryOut(Output):
    at: str
    actor: dict[str, str]
    changes: list[dict[str, object]]
    note: dict[str, object] | None


class HistoryOut(Output):
    items: list[HistoryEntryOut]
    next_cursor: str | None


_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", re.IGNORECASE)


def _date_time_text(value: object) -> object:
    """pydantic also reads a number ("0.5") as a Unix time; a filter's instant is RFC 3339 text only,
    as ``format: date-time`` says. Parsed here, as strict validation takes only datetime objects."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE_TIME.fullmatch(value):
        try:
            return datetime.fromisoformat(value.upper())
        except ValueError:
            pass
    raise PydanticCustomError(
        "date_time_format", "must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T09:00:00Z"
    )


FilterInstant = Annotated[AwareDatetime, BeforeValidator(_date_time_text)]


class TicketListQuery(Input):
    status: list[Status] = []
    priority: list[Priority] = []
    assignee: Annotated[str, StringConstraints(pattern=r"^(me|unassigned|[a-f0-9]{32})$")] | None = None
    queue: Queue | None = None
    tag: Tag | None = None
    requester: Annotated[str, StringConstraints(max_length=254)] | None = None
    created_after: FilterInstant | None = None
    created_before: FilterInstant | None = Field(default=None, description="Later than created_after")
    updated_after: FilterInstant | None = None
    updated_before: FilterInstant | None = Field(default=None, description="Later than updated_after")
    sla_due_before: FilterInstant | None = None
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    sort: Literal["-updated_at", "updated_at", "-created_at", "created_at", "priority"] = "-updated_at"
    limit: Annotated[int, Field(ge=1, le=100)] = 25
    cursor: str | None = None


# --- saved views ---


class ViewFilters(TicketListQuery):
    """The filters of GET /tickets, without paging."""

    limit: Annotated[int, Field(ge=1, le=100)] = 25


class ViewIn(Input):
    name: Name
    filters: ViewFilters
    shared: bool = False


class ViewPatchIn(Input):
    name: Name | None = None
    filters: ViewFilters | None = None
    shared: bool | None = None


class FieldProblemOut(Output):
    field: str
    message: str


class ViewErrorOut(Output):
    detail: str
    errors: list[FieldProblemOut]


class ViewOut(Output):
    id: str
    name: str
    filters: dict[str, object]
    shared: bool
    builtin: bool = Field(description="Built-in views (My open tickets, Unassigned...) cannot be changed")
    owner_id: str | None
    count: int | None = Field(description="null when the view cannot be run (see `runnable`)")
    count_capped: bool = Field(
        default=False, description="The count stopped at 1,000 tickets read; the view holds at least that many"
    )
    runnable: bool = Field(
        description="False for a stored view whose filters can no longer be run (e.g. saved before a rule "
        "existed); `error` says why, and PATCH with new filters mends it"
    )
    error: ViewErrorOut | None = Field(description="Why the view cannot be run; null when it can")
    created_at: str | None
    updated_at: str | None


class ViewListOut(Output):
    items: list[ViewOut]
    next_cursor: str | None


# --- assignment ---

Weight = Annotated[int, Field(ge=1, le=10)]


class RoutingSettingsIn(Input):
    auto_assign_default: bool = True
    auto_assign_queues: dict[Queue, bool] = {}
    weights: dict[Priority, Weight] = {}
    on_unavailable: Literal["keep", "return"] = "keep"


class RoutingSettingsOut(Output):
    auto_assign_default: bool
    auto_assign_queues: dict[str, bool]
    weights: dict[str, int]
    on_unavailable: Literal["keep", "return"]


class AgentLoadOut(Output):
    user_id: str
    name: str
    availability: Availability
    capacity: int
    skills: list[str]
    load: int
    open_by_priority: dict[str, int]
    last_assigned_at: str | None


class AgentLoadListOut(Output):
    items: list[AgentLoadOut]
    next_cursor: str | None


# --- notifications and integrations ---

EventType = Literal[  # the domain's EVENT_TYPES and "*" (a unit test keeps them equal)
    "ticket.created",
    "ticket.assigned",
    "ticket.status_changed",
    "ticket.priority_changed",
    "comment.created",
    "ticket.sla_breached",
    "*",
]
WebhookUrl = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=2048)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class WebhookCreateIn(Input):
    url: WebhookUrl = Field(description="https URL of the receiver; private and metadata addresses are refused")
    event_types: Annotated[list[EventType], Field(min_length=1, max_length=10)]
    description: Description = ""


class WebhookPatchIn(Input):
    url: WebhookUrl | None = None
    event_types: Annotated[list[EventType], Field(min_length=1, max_length=10)] | None = None
    description: Description | None = None
    enabled: bool | None = Field(default=None, description="true re-enables an endpoint that was disabled")


class WebhookOut(Output):
    id: str
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    disabled_reason: str | None
    failing_since: str | None
    created_at: str
    updated_at: str


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="The signing secret (Standard Webhooks, whsec_...). Shown once.")


class WebhookListOut(Output):
    items: list[WebhookOut]
    next_cursor: str | None


class WebhookDeliveryOut(Output):
    id: str
    event_id: str
    event_type: str
    attempt: int
    outcome: Literal["delivered", "failed"]
    status_code: int | None
    latency_ms: int | None
    error: str | None
    at: str


class WebhookDeliveryListOut(Output):
    items: list[WebhookDeliveryOut]
    next_cursor: str | None


class RedeliveryOut(Output):
    queued: bool
    event_id: str


class ConnectionTestOut(Output):
    ok: bool
    status_code: int | None = None
    latency_ms: int | None
    error: str | None


class SlackConnectionIn(Input):
    mode: Literal["bot", "incoming_webhook"]
    bot_token: Annotated[str, StringConstraints(pattern=r"^xox[a-z]-[A-Za-z0-9-]{4,250}$")] | None = Field(
        default=None, description="Bot token; omit to keep the stored one"
    )
    channel: Annotated[str, StringConstraints(pattern=r"^#?[A-Za-z0-9._-]{1,80}$")] | None = None
    webhook_url: Annotated[str, StringConstraints(max_length=500)] | None = Field(
        default=None, description="Incoming-webhook URL; omit to keep the stored one"
    )
    signing_secret: Annotated[str, StringConstraints(pattern=r"^[a-f0-9]{32}$")] | None = Field(
        default=None,
        description="The Slack app's signing secret: enables the 'Take it' button on alerts (bot mode); "
        "omit to keep the stored one",
    )
    alert_urgent: bool = True
    alert_sla_breaches: bool = True
    unassigned_after_minutes: Annotated[int, Field(ge=1, le=10_080)] | None = Field(
        default=None, description="Alert when a ticket waits this long without an owner; null for never"
    )


class SlackConnectionOut(Output):
    connected: bool
    mode: Literal["bot", "incoming_webhook"] | None = None
    channel: str | None = None
    bot_token: str | None = Field(default=None, description="Masked")
    webhook_url: str | None = Field(default=None, description="Masked")
    signing_secret: str | None = Field(default=None, description="Masked")
    alert_urgent: bool | None = None
    alert_sla_breaches: bool | None = None
    unassigned_after_minutes: int | None = None
    updated_at: str | None = None


class NotificationPrefsIn(Input):
    email_ticket_assigned: bool | None = None
    email_ticket_commented: bool | None = None
    email_sla_breached: bool | None = None
    email_watched_tickets: bool | None = None


class NotificationPrefsOut(Output):
    email_ticket_assigned: bool
    email_ticket_commented: bool
    email_sla_breached: bool
    email_watched_tickets: bool


class DeadLetterOut(Output):
    id: str
    at: str
    channel: str
    event_type: str
    event_id: str
    target: str
    error: str
    attempts: int
    replayed_at: str | None


class DeadLetterListOut(Output):
    items: list[DeadLetterOut]
    next_cursor: str | None


# --- password reset (forgot password) ----------------------------------------------------------


class PasswordResetIn(Input):
    workspace: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    email: Annotated[str, StringConstraints(min_length=1, max_length=254)]


class PasswordResetAcceptedOut(Output):
    status: Literal["reset_link_sent"]
    detail: str


class PasswordResetConfirmIn(Input):
    token: Annotated[str, StringConstraints(min_length=16, max_length=160)]
    password: Password
