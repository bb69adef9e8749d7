"""The API's answers: what every route returns, one model each.

Services build these (the presenters in ``chalicelib/services/presenters.py``), the route layer
serialises them and checks any plain dict a handler returns against the route's declared model, and
the OpenAPI document (and from it the frontend's types) is generated from them: one contract, kept
once. Request models stay with the API layer (``chalicelib/api/schemas.py``); this package sits
below the services so that they may build answers without importing the API layer.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict

# Shared with the request models, which import them from here.
RoleName = Literal["admin", "lead", "agent", "viewer"]
Availability = Literal["online", "away", "offline"]
Status = Literal["new", "open", "pending", "on_hold", "solved", "closed"]
Priority = Literal["urgent", "high", "normal", "low"]


class Output(BaseModel):
    """Strict and closed: a presenter that passes a wrong type or an undeclared field fails where it
    builds the answer, and the published schema says ``additionalProperties: false``."""

    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


class SignupAcceptedOut(Output):
    status: Literal["confirmation_sent"]
    detail: str


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


class UserListOut(Output):
    items: list[UserOut]
    next_cursor: str | None


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


class TicketSlaOut(Output):
    """The ticket's SLA clock as the desk shows it."""

    policy_id: str | None = Field(description="The policy that holds the ticket (`default`: the built-in targets)")
    policy_name: str | None
    first_response_due_at: str | None = Field(description="Kept once met, so whether it was met stays readable")
    next_reply_due_at: str | None = Field(description="Set while a message of the requester waits for an answer")
    resolution_due_at: str | None
    paused: bool = Field(description="The clock stands still (pending or on hold)")
    paused_at: str | None
    state: Literal["none", "ok", "at_risk", "breached"] = Field(
        description="For the nearest unmet deadline: at_risk in its last quarter; while paused, as at the pause"
    )


class AttachmentOut(Output):
    id: str
    filename: str
    content_type: str = Field(
        description="As the sender declared it; downloads are served as a type browsers do not run"
    )
    size: int = Field(description="Bytes")
    inline: bool = Field(description="Shown inside the message (an embedded image) rather than attached")


class MergedIntoOut(Output):
    id: str
    number: int


class CsatRatingOut(Output):
    rating: Literal["good", "bad"]
    comment: str = Field(description="What the requester added; empty when nothing")
    at: str


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
    sla_due_at: str | None = Field(description="The nearest unmet deadline while the clock runs")
    sla: TicketSlaOut
    version: int
    # Defaults keep these optional in the published schema: clients written before email in still type-check.
    attachments: list[AttachmentOut] = Field(
        default_factory=list, description="Files that came with the message that opened it"
    )
    follow_up_of: int | None = Field(default=None, description="The number of the closed ticket this one follows up")
    description_html: str | None = Field(
        default=None,
        description="The opening email's HTML, sanitised by the server (no scripts, handlers, styles or remote"
        " images); null unless the ticket came by an email with an HTML part. Not in live events.",
    )
    merged_into: MergedIntoOut | None = Field(
        default=None, description="Closed as a duplicate of this ticket (its conversation was carried there)"
    )
    csat: CsatRatingOut | None = Field(default=None, description="The requester's satisfaction rating; the last counts")


class CommentOut(Output):
    id: str
    ticket_id: str
    body: str | None = Field(description="null for an internal note the caller may not read")
    public: bool
    author: dict[str, str]
    created_at: str
    channel: Literal["web", "api", "email"] = Field(default="web", description="How the comment arrived")
    attachments: list[AttachmentOut] = Field(
        default_factory=list, description="Empty for an internal note the caller may not read"
    )
    format: Literal["text", "markdown"] = Field(default="text", description="How `body` is written")
    body_html: str | None = Field(
        default=None,
        description="Sanitised HTML beside `body` (no scripts, handlers, styles or remote images): a Markdown"
        " comment's rendering, or the HTML part of an email; null for plain text, or for a note the caller may"
        " not read. Not in live events.",
    )
    cc: list[str] = Field(default_factory=list, description="Other addresses a public reply was emailed to")


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


# "from" is a Python keyword: the functional form names the key as the API does.
FieldChangeOut = TypedDict("FieldChangeOut", {"field": str, "from": object, "to": object})
FieldChangeOut.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]


class HistoryEntryOut(Output):
    at: str
    actor: dict[str, str]
    changes: list[FieldChangeOut]
    note: dict[str, object] | None


class HistoryOut(Output):
    items: list[HistoryEntryOut]
    next_cursor: str | None


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


class PasswordResetAcceptedOut(Output):
    status: Literal["reset_link_sent"]
    detail: str


# --- the team's performance (GET /metrics) ---


class PeriodOut(Output):
    first: str = Field(description="The first day (UTC), as `from` asked")
    last: str = Field(description="The last day (UTC), as `to` asked")
    days: int


class DurationsOut(Output):
    count: int
    p50: float | None = Field(description="Seconds, calendar time")
    p90: float | None
    p50_business: float | None = Field(description="Seconds, business time")
    p90_business: float | None


class PriorityResponseOut(Output):
    priority: Priority
    count: int
    p50: float | None
    p90: float | None
    goal: float | None = Field(description="Seconds; the 2-hour goal applies to high and urgent tickets")


class GoalCardOut(Output):
    key: Literal["first_response_high", "resolved_within_24h", "resolution_time_change", "solved_per_agent_change"]
    label: str
    value: float | None
    previous: float | None
    goal: float
    unit: Literal["seconds", "share", "change"]
    met: bool | None
    trend: list[float | None] = Field(description="The value day by day over the period")


class SlaComplianceOut(Output):
    target: Literal["first_response", "next_reply", "resolution"]
    met: int
    breached: int
    compliance: float | None


class MetricsGroupOut(Output):
    key: str = Field(description="The day, ISO week, agent id, queue, priority, channel or tag")
    created: int
    solved: int
    solved_previous: int
    solved_change: float | None
    reopened: int
    first_response_p50: float | None
    first_response_p90: float | None
    resolution_p50: float | None
    resolution_p90: float | None
    resolved_24h_share: float | None
    sla_compliance: float | None


class TermOut(Output):
    term: str
    count: int
    previous: int
    change: float | None


class BacklogPointOut(Output):
    day: str
    open: int | None


class BacklogNowOut(Output):
    open: int | None
    unassigned: int | None
    at_risk: int | None
    breached: int | None
    capped: bool = Field(description="A count stopped at 1,000 tickets read: the figures are lower bounds")
    links: dict[str, str] = Field(description="The ticket list behind each figure (GET /tickets query strings)")


class MetricsOut(Output):
    period: PeriodOut
    comparison: PeriodOut
    group_by: Literal["day", "week", "agent", "queue", "priority", "channel", "tag"]
    filters: dict[str, str]
    created: int
    solved: int
    reopened: int
    reopen_rate: float | None
    replies_per_solved: float | None
    first_response: DurationsOut
    first_response_by_priority: list[PriorityResponseOut]
    resolution: DurationsOut
    resolution_previous_p50: float | None
    resolution_change: float | None
    resolved_24h_share: float | None
    solved_per_agent: float | None
    solved_per_agent_previous: float | None
    solved_per_agent_change: float | None
    sla: list[SlaComplianceOut]
    csat_good: int
    csat_bad: int
    csat_score: float | None
    goals: list[GoalCardOut]
    groups: list[MetricsGroupOut]
    top_tags: list[TermOut]
    top_words: list[TermOut]
    backlog_now: BacklogNowOut
    backlog_over_time: list[BacklogPointOut]


class MetricsTicketsOut(Output):
    measure: str
    count: int = Field(description="How many tickets the measure counted over the period")
    items: list[TicketOut] = Field(description="The first tickets of it (at most `limit`), newest number first")


# --- SLA: business hours and policies ------------------------------------------------------------


class SpanOut(Output):
    start: str
    end: str


class WeeklyHoursOut(Output):
    monday: list[SpanOut]
    tuesday: list[SpanOut]
    wednesday: list[SpanOut]
    thursday: list[SpanOut]
    friday: list[SpanOut]
    saturday: list[SpanOut]
    sunday: list[SpanOut]


class HolidayOut(Output):
    start: str
    end: str
    name: str


class BusinessHoursOut(Output):
    time_zone: str
    weekly_hours: WeeklyHoursOut
    holiday_country: str | None
    holiday_subdivision: str | None
    holidays: list[HolidayOut]


class SlaTargetsOut(Output):
    first_response_minutes: int | None
    next_reply_minutes: int | None
    resolution_minutes: int | None


class SlaPolicyOut(Output):
    id: str
    name: str
    queue: str | None
    tag: str | None
    business_hours: bool
    targets: dict[str, SlaTargetsOut] = Field(description="By priority; a priority left out is not held by this policy")
    position: int | None = Field(description="Where it is tried (0 first); null for the built-in default")
    builtin: bool = Field(description="The default, used when no policy matches; it cannot be changed")


class SlaPolicyListOut(Output):
    items: list[SlaPolicyOut] = Field(description="In the order they are tried: the first match wins")
    default: SlaPolicyOut


# --- email in ---


class EmailAddressOut(Output):
    id: str
    address: str
    queue: str
    created_at: str


class EmailSettingsOut(Output):
    support_address: str = Field(description="The workspace's own address; mail to it opens tickets")
    addresses: list[EmailAddressOut] = Field(description="Additional addresses, each opening tickets in its queue")
    forwarding_instructions: str


class EmailTestSentOut(Output):
    message_id: str = Field(description="Names the test in GET /settings/email/tests/{message_id}")


class EmailTestStatusOut(Output):
    status: Literal["sent", "received"]
    ticket_id: str | None
    ticket_number: int | None


class AttachmentLinkOut(Output):
    url: str = Field(description="A short-lived download link; the file is always served as a download")
    filename: str
    expires_at: str
