"""PynamoDB models: the one definition of every table, its keys, GSIs and stream.

The local stack creates its tables from these classes and ``infra/aws`` generates the
CloudFormation tables from them, so there is one source of truth.

Main table keys all start with ``T#<tenant id>`` (the slug claim is the one global item).
Ticket items carry sparse GSI attributes, one pair per access pattern; see ``keys.py``.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.connection.table import TableConnection
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.data.wire_items import read_items_unparsed
from chalicelib.domain.metrics_fold import PACKED_NUMBERS, unpack_numbers
from chalicelib.settings import physical_table_name


def _index(name: str, hash_attr: str, range_attr: str) -> type[GlobalSecondaryIndex[Any]]:
    """A GSI class with ALL projection whose keys are two string attributes of the item."""

    class _Meta:
        index_name = name
        projection = AllProjection()

    attrs: dict[str, Any] = {
        "Meta": _Meta,
        hash_attr: UnicodeAttribute(hash_key=True),
        range_attr: UnicodeAttribute(range_key=True),
    }
    return type(f"{name}_index", (GlobalSecondaryIndex,), attrs)


# Ticket list access patterns -> (index name, partition attribute, sort attribute).
TICKET_INDEXES: dict[str, tuple[str, str]] = {
    "by_status": ("status_pk", "updated_sk"),
    "by_assignee": ("assignee_pk", "updated_sk"),
    "by_queue": ("queue_pk", "updated_sk"),
    "by_requester": ("requester_pk", "updated_sk"),
    "by_priority": ("priority_pk", "updated_sk"),
    "by_updated": ("tenant_pk", "updated_sk"),
    "by_created": ("tenant_pk", "created_sk"),
    "by_sla_due": ("sla_pk", "sla_due_sk"),
    # Composite partitions for the lists dashboards ask for most (built-in views, the filter bar's
    # status with an assignee, a queue or a priority): each reads only what it returns.
    "by_status_priority": ("status_priority_pk", "updated_sk"),
    "by_assignee_status": ("assignee_status_pk", "updated_sk"),
    "by_queue_status": ("queue_status_pk", "updated_sk"),
}


class _TableMeta:
    billing_mode = "PAY_PER_REQUEST"


class _Table(Model):
    """A model whose reads hand their items to PynamoDB unparsed by botocore (``wire_items``)."""

    @classmethod
    def _get_connection(cls) -> TableConnection:
        connection = super()._get_connection()
        read_items_unparsed(connection.connection.client)
        return connection


class MainItem(_Table):
    """Every tenant record: workspaces, users, tickets, comments, history, audit..."""

    class Meta(_TableMeta):
        table_name = physical_table_name("main")
        stream_view_type = "NEW_AND_OLD_IMAGES"
        # every kind of item shares one client (below): room for a request's parallel reads, and locally for
        # the event runner's handlers at once (connections are opened as needed, so room costs nothing)
        max_pool_connections = 32

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()
    tenant_id = UnicodeAttribute()

    status_pk = UnicodeAttribute(null=True)
    assignee_pk = UnicodeAttribute(null=True)
    queue_pk = UnicodeAttribute(null=True)
    requester_pk = UnicodeAttribute(null=True)
    priority_pk = UnicodeAttribute(null=True)
    tenant_pk = UnicodeAttribute(null=True)
    updated_sk = UnicodeAttribute(null=True)
    created_sk = UnicodeAttribute(null=True)
    sla_pk = UnicodeAttribute(null=True)
    sla_due_sk = UnicodeAttribute(null=True)
    status_priority_pk = UnicodeAttribute(null=True)
    assignee_status_pk = UnicodeAttribute(null=True)
    queue_status_pk = UnicodeAttribute(null=True)

    by_status = _index("by_status", "status_pk", "updated_sk")()
    by_assignee = _index("by_assignee", "assignee_pk", "updated_sk")()
    by_queue = _index("by_queue", "queue_pk", "updated_sk")()
    by_requester = _index("by_requester", "requester_pk", "updated_sk")()
    by_priority = _index("by_priority", "priority_pk", "updated_sk")()
    by_updated = _index("by_updated", "tenant_pk", "updated_sk")()
    by_created = _index("by_created", "tenant_pk", "created_sk")()
    by_sla_due = _index("by_sla_due", "sla_pk", "sla_due_sk")()
    by_status_priority = _index("by_status_priority", "status_priority_pk", "updated_sk")()
    by_assignee_status = _index("by_assignee_status", "assignee_status_pk", "updated_sk")()
    by_queue_status = _index("by_queue_status", "queue_status_pk", "updated_sk")()

    @classmethod
    def _get_connection(cls) -> TableConnection:
        """Every kind of item shares this class's connection, and so one botocore client. PynamoDB gives each
        class its own, each with a botocore session of its own that loads the endpoint and service data again:
        ~50 ms of CPU the first time a container touches each kind. The table's schema is the same for every
        kind (PynamoDB already gathers the indexes of every discriminated class into it)."""
        if cls is MainItem:
            return super()._get_connection()
        return MainItem._get_connection()


class WorkspaceItem(MainItem, discriminator="workspace"):
    name = UnicodeAttribute()
    slug = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    routing = JSONAttribute(null=True)
    # when the admin confirmed the sign-up email; None (a workspace from before confirmation
    # existed) sends no email outside the workspace
    email_confirmed_at = UTCDateTimeAttribute(null=True)
    # an operator vetted the customer: no first-day budget (the local demo is created so)
    outbound_vetted_at = UTCDateTimeAttribute(null=True)


class SlaSettingsItem(MainItem, discriminator="sla_settings"):
    """A workspace's business hours and its ordered SLA policies (domain/sla_settings.py shapes).
    A change reaches the stream, where the workflows consumer re-plans the open tickets."""

    business_hours = JSONAttribute(null=True)  # None: the default hours
    policies = JSONAttribute(default=list)
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class RegistryEntry(MainItem, discriminator="registry"):
    """One row per workspace in a single partition, for scheduled jobs that visit every workspace."""

    sla_checks_until = UTCDateTimeAttribute(null=True)  # deadlines up to here have their checks queued
    # Retagging comment postings written before replies and notes were told apart (data/search.py):
    # the ``created_sk`` of the last ticket done, and whether every ticket is.
    comment_postings_after = UnicodeAttribute(null=True)
    comment_postings_tagged = BooleanAttribute(null=True)
    # Ranked postings (data/search.py) written for tickets indexed before they existed: the ``created_sk`` of
    # the last ticket done, and whether every ticket is (a new workspace starts with every ticket done).
    ranked_postings_after = UnicodeAttribute(null=True)
    ranked_postings_ready = BooleanAttribute(null=True)
    metrics_rebuilt_through = UnicodeAttribute(null=True)  # the last day (ISO date) the nightly rebuild did
    # The composite list keys (by_status_priority...) given to tickets written before they existed:
    # the ``created_sk`` of the last ticket done, and whether every ticket has them (lists use them then).
    list_keys_after = UnicodeAttribute(null=True)
    list_keys_ready = BooleanAttribute(null=True)


class SlugClaim(MainItem, discriminator="slug"):
    """Global uniqueness of a workspace slug; maps the slug to its tenant at login."""


class PendingSignupItem(MainItem, discriminator="pending_signup"):
    """A sign-up waiting for its emailed link. Keyed by the link token's hash (the token itself is
    never stored); global like the slug claim, since there is no tenant yet. Expires by TTL."""

    workspace_name = UnicodeAttribute()
    workspace_slug = UnicodeAttribute()
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    password_hash = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    expires = TTLAttribute()


class OutboundBudgetItem(MainItem, discriminator="outbound_budget"):
    """Emails sent to outside addresses during the workspace's first day (counted atomically)."""

    sent = NumberAttribute(default=0)
    expires = TTLAttribute()


class SuppressedAddressItem(MainItem, discriminator="suppressed_address"):
    """An address of a workspace's mail that bounced for good or complained: it is not emailed again."""

    email = UnicodeAttribute()
    reason = UnicodeAttribute()  # "bounce" or "complaint"
    detail = UnicodeAttribute(default="")
    at = UTCDateTimeAttribute()


class CounterItem(MainItem, discriminator="counter"):
    value = NumberAttribute(default=0)


class UserItem(MainItem, discriminator="user"):
    user_id = UnicodeAttribute()
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    role = UnicodeAttribute()
    active = BooleanAttribute(default=True)
    password_hash = UnicodeAttribute()
    skills = UnicodeSetAttribute(null=True)
    capacity = NumberAttribute(default=20)
    availability = UnicodeAttribute(default="offline")
    last_seen_at = UTCDateTimeAttribute(null=True)
    sessions_valid_after = UTCDateTimeAttribute(null=True)  # refresh tokens issued before are dead
    session_kept = UnicodeAttribute(null=True)  # ... except this one (a password changed by its owner)
    token_generation = NumberAttribute(default=0)  # access tokens of an older generation are dead
    email_confirmed_at = UTCDateTimeAttribute(null=True)  # the person proved the address (sign-up link)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class EmailClaim(MainItem, discriminator="email"):
    """Uniqueness of an email inside one workspace; maps it to the user at login."""

    user_id = UnicodeAttribute()


class SessionItem(MainItem, discriminator="session"):
    """A refresh-token family: only the newest token of the family is valid (rotation)."""

    user_id = UnicodeAttribute()
    current_token_id = UnicodeAttribute()
    token_hash = UnicodeAttribute()
    revoked = BooleanAttribute(default=False)
    created_at = UTCDateTimeAttribute()
    expires = TTLAttribute()


class PasswordResetItem(MainItem, discriminator="password_reset"):
    """A user's live "forgot password" link: the secret only as its hash, the address it was mailed
    to (a link sent to an address the user no longer has opens nothing). Expires by TTL, and is
    checked against ``expires`` too, since TTL deletion is lazy."""

    user_id = UnicodeAttribute()
    email = UnicodeAttribute()
    token_hash = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    expires = TTLAttribute()


class ApiKeyItem(MainItem, discriminator="api_key"):
    key_id = UnicodeAttribute()
    name = UnicodeAttribute()
    scopes = UnicodeSetAttribute()
    secret_hash = UnicodeAttribute()
    prefix = UnicodeAttribute()
    created_by = UnicodeAttribute()
    owner_id = UnicodeAttribute(null=True)  # the user whose permissions bound the key (else created_by)
    created_at = UTCDateTimeAttribute()
    last_used_at = UTCDateTimeAttribute(null=True)


class AuditItem(MainItem, discriminator="audit"):
    event_id = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    actor = JSONAttribute()
    action = UnicodeAttribute()
    target = JSONAttribute()
    before = JSONAttribute(null=True)
    after = JSONAttribute(null=True)
    request_id = UnicodeAttribute(null=True)
    source_ip = UnicodeAttribute(null=True)


class TicketItem(MainItem, discriminator="ticket"):
    ticket_id = UnicodeAttribute()
    number = NumberAttribute()
    subject = UnicodeAttribute()
    description = UnicodeAttribute()
    requester = JSONAttribute()
    status = UnicodeAttribute()
    priority = UnicodeAttribute()
    assignee_id = UnicodeAttribute(null=True)
    queue = UnicodeAttribute()
    tags = ListAttribute(of=UnicodeAttribute, default=list)  # type: ignore[arg-type]
    channel = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    first_response_at = UTCDateTimeAttribute(null=True)
    solved_at = UTCDateTimeAttribute(null=True)
    sla_due_at = UTCDateTimeAttribute(null=True)  # the nearest unmet deadline while the clock runs
    # The SLA clock (domain/sla_clock.py); stream consumers (metrics) read these names.
    sla_policy_id = UnicodeAttribute(null=True)
    sla_policy_name = UnicodeAttribute(null=True)
    first_response_due_at = UTCDateTimeAttribute(null=True)
    next_reply_due_at = UTCDateTimeAttribute(null=True)
    resolution_due_at = UTCDateTimeAttribute(null=True)
    sla_paused_at = UTCDateTimeAttribute(null=True)  # set while pending or on hold
    sla_pauses = JSONAttribute(null=True)  # closed stretches the clock stood still: [[from, to], ...]
    sla_reply_requested_at = UTCDateTimeAttribute(null=True)  # the requester's unanswered message
    sla_at_risk_at = UTCDateTimeAttribute(null=True)
    last_change = JSONAttribute(null=True)
    attachments = JSONAttribute(null=True)  # [{id, filename, content_type, size, inline}]
    follow_up_of = NumberAttribute(null=True)
    description_html = UnicodeAttribute(null=True)  # the opening email's sanitised HTML
    merged_into = JSONAttribute(null=True)  # {"id", "number"}: closed as a duplicate of that ticket
    csat = JSONAttribute(null=True)  # the requester's rating: {rating, comment, at}
    version = VersionAttribute()


class CommentItem(MainItem, discriminator="comment"):
    comment_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    body = UnicodeAttribute()
    public = BooleanAttribute()
    author = JSONAttribute()
    created_at = UTCDateTimeAttribute()
    channel = UnicodeAttribute(null=True)  # None: written before channels were kept ("web")
    attachments = JSONAttribute(null=True)
    body_html = UnicodeAttribute(null=True)  # an emailed comment's sanitised HTML
    format = UnicodeAttribute(null=True)  # None: plain text; "markdown"
    cc = ListAttribute(of=UnicodeAttribute, null=True)  # a public reply's other recipients


class TicketNumberItem(MainItem, discriminator="ticket_number"):
    """A ticket found by its number (a ``[#123]`` subject tag, a signed reply address)."""

    ticket_id = UnicodeAttribute()


class MailRecordItem(MainItem, discriminator="mail_record"):
    """One email by its Message-ID: an inbound one we made a ticket or comment of (``IN``: its
    idempotency marker, written in the same transaction), or one we sent about a ticket (``OUT``:
    what a customer's In-Reply-To points at)."""

    message_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute(null=True)
    ticket_number = NumberAttribute(null=True)
    comment_id = UnicodeAttribute(null=True)
    at = UTCDateTimeAttribute()
    expires = TTLAttribute(null=True)


class InboundAddressItem(MainItem, discriminator="inbound_address"):
    """An additional support address of a workspace (``<slug>+<name>@``), mapped to a queue."""

    address_id = UnicodeAttribute()
    name = UnicodeAttribute()
    queue = UnicodeAttribute()
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()


class WatchersItem(MainItem, discriminator="watchers"):
    """Who follows a ticket (besides its assignee). Kept beside the ticket, not on it, so following
    never changes the ticket's version under a colleague's edit; read in the same Query."""

    ticket_id = UnicodeAttribute()
    user_ids = UnicodeSetAttribute(null=True)
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class HistoryItem(MainItem, discriminator="history"):
    ticket_id = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    actor = JSONAttribute()
    changes = JSONAttribute()
    note = JSONAttribute(null=True)


class ViewItem(MainItem, discriminator="view"):
    view_id = UnicodeAttribute()
    name = UnicodeAttribute()
    filters = JSONAttribute()
    owner_id = UnicodeAttribute()
    shared = BooleanAttribute(default=False)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class AgentLoadItem(MainItem, discriminator="agent_load"):
    """An agent's open tickets by priority; every change is a versioned write, so two assignments
    can never both use the same room."""

    user_id = UnicodeAttribute()
    open_by_priority = JSONAttribute(default=dict)
    last_assigned_at = UTCDateTimeAttribute(null=True)
    version = VersionAttribute()


class ConnectionItem(_Table):
    """A live WebSocket connection; listed by tenant, found by id; expires by TTL."""

    class Meta(_TableMeta):
        table_name = physical_table_name("connections")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    tenant_id = UnicodeAttribute()
    connection_id = UnicodeAttribute()
    user_id = UnicodeAttribute(null=True)
    name = UnicodeAttribute(null=True)
    role = UnicodeAttribute(null=True)
    viewing = UnicodeAttribute(null=True)
    seen_at = UTCDateTimeAttribute(null=True)
    typing_until = UTCDateTimeAttribute(null=True)
    connected_at = UTCDateTimeAttribute(null=True)
    session_id = UnicodeAttribute(null=True)  # the sign-in session whose token opened it
    requester_email = UnicodeAttribute(null=True)  # a portal socket: the requester whose tickets it hears
    expires = TTLAttribute()


class SearchTermItem(_Table):
    """Inverted index posting: one word of one ticket. Maintained from the tickets stream."""

    class Meta(_TableMeta):
        table_name = physical_table_name("search")

    pk = UnicodeAttribute(hash_key=True)  # T#<tenant>#W#<first two letters> (N# for internal notes)
    sk = UnicodeAttribute(range_key=True)  # <word>#<ticket id>#<source>
    ticket_id = UnicodeAttribute()
    weight = NumberAttribute()  # SUBJECT_WEIGHT when the word is in the subject, BODY_WEIGHT elsewhere
    number = NumberAttribute(null=True)  # the ticket's number: newer tickets win ties


class IdempotencyRecord(_Table):
    """Table used by Powertools idempotency (its default attribute names)."""

    class Meta(_TableMeta):
        table_name = physical_table_name("idempotency")

    id = UnicodeAttribute(hash_key=True)
    expiration = TTLAttribute(null=True)


class RateCounterItem(_Table):
    """Requests counted in one rate-limit window, or one token bucket (see domain/rate_limits.py); expires by TTL."""

    class Meta(_TableMeta):
        table_name = physical_table_name("limits")

    key = UnicodeAttribute(hash_key=True)  # <limit>#<subject>#<window start>, or bucket#<limit>#<subject>
    hits = NumberAttribute(default=0)
    arrival = NumberAttribute(null=True)  # token buckets: the theoretical arrival time (epoch seconds)
    expires = TTLAttribute()


class RollupItem(_Table):
    """The team's figures for one day and one dimension value (see domain/metrics_fold.py), kept by the
    metrics stream consumer. Its figures are flat numeric attributes (``c_<counter>``,
    ``h_<histogram>_<bucket>``, ``w_<word>``) and string sets (``ids_<measure>``), so one UpdateItem ADDs
    a whole change; they are read into ``figures`` and ``id_sets``. The rebuild job writes a closed
    day's histograms packed instead, one string each (``p_<histogram>``, read into ``packed``), so a
    period's read decodes a few attributes per item rather than one per bucket. No stream: nothing
    reacts to it.

    ``pk = T#<tenant>#M#<dimension>``, ``sk = <day>#<value>``: a period of one dimension is one Query.
    The same table holds ``AppliedChange`` markers (``pk = T#<tenant>#MAPPLIED#<ticket>``), written in the
    transaction that applies a change, so a change delivered twice counts once."""

    class Meta(_TableMeta):
        table_name = physical_table_name("metrics")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    tenant_id = UnicodeAttribute(null=True)
    expires = TTLAttribute(null=True)  # markers only: a change is never delivered again after days

    figures: dict[str, int]
    id_sets: dict[str, set[str]]
    packed: dict[str, str]

    @classmethod
    def from_raw_data(cls, data: dict[str, Any]) -> RollupItem:
        item = super().from_raw_data(data)
        item.figures, item.id_sets, item.packed = rollup_contents(data)
        return item


def rollup_contents(data: dict[str, Any]) -> tuple[dict[str, int], dict[str, set[str]], dict[str, str]]:
    """A stored rollup's figures, id sets and packed histograms (``p_<histogram>``: a closed day's
    histogram in one string, as the rebuild job writes them), from the item as DynamoDB returns it. A
    closed item's numbers are packed too (``numbers``), with any the consumer ADDed since beside them."""
    figures: dict[str, int] = {}
    id_sets: dict[str, set[str]] = {}
    packed: dict[str, str] = {}
    for name, value in data.items():
        if "N" in value and name[1:2] == "_":
            figures[name] = figures.get(name, 0) + int(value["N"])
        elif name == PACKED_NUMBERS and "S" in value:  # a closed item's numbers, flat ones beside them add
            for packed_name, n in unpack_numbers(value["S"]).items():
                figures[packed_name] = figures.get(packed_name, 0) + n
        elif "SS" in value:
            id_sets[name] = set(value["SS"])
        elif "S" in value and name[:2] == "p_":
            packed[name] = value["S"]
    return figures, id_sets, packed


TABLE_MODELS: tuple[type[Model], ...] = (
    MainItem,
    ConnectionItem,
    SearchTermItem,
    IdempotencyRecord,
    RateCounterItem,
    RollupItem,
)


# --- notifications and integrations (items of the main table) ---


class WebhookEndpointItem(MainItem, discriminator="webhook_endpoint"):
    """A receiver of signed events. The signing secret is needed to sign, so it is kept (encrypted at
    rest by DynamoDB) but never returned after creation."""

    endpoint_id = UnicodeAttribute()
    url = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    event_types = UnicodeSetAttribute()
    secret = UnicodeAttribute()
    enabled = BooleanAttribute(default=True)
    disabled_reason = UnicodeAttribute(null=True)
    failing_since = UTCDateTimeAttribute(null=True)
    last_success_at = UTCDateTimeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class WebhookDeliveryItem(MainItem, discriminator="webhook_delivery"):
    """One attempt to deliver one event to one endpoint: the delivery log. Expires by TTL."""

    endpoint_id = UnicodeAttribute()
    delivery_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    event_type = UnicodeAttribute()
    attempt = NumberAttribute()
    outcome = UnicodeAttribute()  # delivered | failed
    status_code = NumberAttribute(null=True)
    latency_ms = NumberAttribute(null=True)
    error = UnicodeAttribute(null=True)
    at = UTCDateTimeAttribute()
    body = UnicodeAttribute()
    expires = TTLAttribute()


class SlackIntegrationItem(MainItem, discriminator="slack_integration"):
    mode = UnicodeAttribute()  # bot | incoming_webhook
    bot_token = UnicodeAttribute(null=True)
    channel = UnicodeAttribute(null=True)
    webhook_url = UnicodeAttribute(null=True)
    signing_secret = UnicodeAttribute(null=True)  # verifies the "Take it" button's requests
    alert_urgent = BooleanAttribute(default=True)
    alert_sla_breaches = BooleanAttribute(default=True)
    unassigned_after_minutes = NumberAttribute(null=True)
    updated_by = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class NotificationPrefsItem(MainItem, discriminator="notification_prefs"):
    user_id = UnicodeAttribute()
    prefs = JSONAttribute()
    updated_at = UTCDateTimeAttribute()


class DeadLetterItem(MainItem, discriminator="dead_letter"):
    """A notification given up on after its retries; an admin can read it and replay it."""

    letter_id = UnicodeAttribute()
    channel = UnicodeAttribute()
    event_type = UnicodeAttribute()
    target = UnicodeAttribute()
    error = UnicodeAttribute()
    attempts = NumberAttribute()
    job = JSONAttribute()
    at = UTCDateTimeAttribute()
    replayed_at = UTCDateTimeAttribute(null=True)
    expires = TTLAttribute()


class MacroItem(MainItem, discriminator="macro"):
    """A named set of ticket actions plus an optional reply; personal (``shared`` false) or shared."""

    macro_id = UnicodeAttribute()
    name = UnicodeAttribute()
    actions = JSONAttribute()  # ``domain/ticket_actions`` as stored (``dump_actions``)
    reply = JSONAttribute(null=True)  # {"body": template, "public": bool}
    owner_id = UnicodeAttribute()
    shared = BooleanAttribute(default=False)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class QueueItem(MainItem, discriminator="queue"):
    """A queue as a thing (``T#<t>#QUEUES`` / name): tickets name it, admins describe it and say who
    may work it (no members: every agent)."""

    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    member_ids = ListAttribute(of=UnicodeAttribute, default=list)  # type: ignore[arg-type]
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class MacroUsageItem(MainItem, discriminator="macro_usage"):
    """How often a macro was applied: its own item, so a count never races an edit of the macro."""

    macro_id = UnicodeAttribute()
    uses = NumberAttribute(default=0)


class RuleItem(MainItem, discriminator="rule"):
    """An automation rule of a workspace (``domain/rules.py``); rules run in ``position`` order."""

    rule_id = UnicodeAttribute()
    position = NumberAttribute()
    kind_of_rule = UnicodeAttribute()  # event | time (``kind`` is the item type)
    enabled = BooleanAttribute()
    definition = JSONAttribute()
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class RuleRunItem(MainItem, discriminator="rule_run"):
    """One time a rule matched a ticket: what it did, or why it could not."""

    rule_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    ticket_number = NumberAttribute()
    at = UTCDateTimeAttribute()
    outcome = UnicodeAttribute()  # applied | nothing_to_do | stopped | error
    actions = JSONAttribute()  # what it did, in words
    error = UnicodeAttribute(null=True)
    expires = TTLAttribute()


class RuleMarkerItem(MainItem, discriminator="rule_marker"):
    """A rule acted on a ticket: for a time rule once per matching period, for an event rule once
    per stream record (a redelivery does nothing twice). Written with the change it made."""

    rule_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    expires = TTLAttribute()


# --- knowledge base, deflection and satisfaction surveys (keys in data/help_center.py) -------------


class ArticleItem(MainItem, discriminator="article"):
    """A help-centre article; its id is its slug, fixed at creation so links to it never break."""

    article_id = UnicodeAttribute()
    title = UnicodeAttribute()
    body = UnicodeAttribute()
    category = UnicodeAttribute()
    status = UnicodeAttribute()  # draft | published
    author = JSONAttribute()  # {id, name} of whoever wrote the current version
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    published_at = UTCDateTimeAttribute(null=True)
    version = VersionAttribute()


class ArticleVersionItem(MainItem, discriminator="article_version"):
    """One saved state of an article (its history), written in the same transaction as the article."""

    article_id = UnicodeAttribute()
    number = NumberAttribute()
    title = UnicodeAttribute()
    body = UnicodeAttribute()
    category = UnicodeAttribute()
    status = UnicodeAttribute()
    author = JSONAttribute()
    at = UTCDateTimeAttribute()


class HelpStatsItem(MainItem, discriminator="help_stats"):
    """One workspace's deflection funnel on one (UTC) day: counters ADDed atomically."""

    day = UnicodeAttribute()
    suggested = NumberAttribute(default=0)
    opened = NumberAttribute(default=0)
    submitted_after_open = NumberAttribute(default=0)


class HelpSessionItem(MainItem, discriminator="help_session"):
    """One visitor's new-request form (a random id the page makes), so each step counts once per session."""

    session_id = UnicodeAttribute()
    suggested_at = UTCDateTimeAttribute(null=True)
    opened_at = UTCDateTimeAttribute(null=True)
    opened_day = UnicodeAttribute(null=True)
    submitted_at = UTCDateTimeAttribute(null=True)
    expires = TTLAttribute()


class CsatSettingsItem(MainItem, discriminator="csat_settings"):
    surveys_enabled = BooleanAttribute(default=True)
    updated_at = UTCDateTimeAttribute()


class TagCountItem(MainItem, discriminator="tag_count"):
    """How many tickets carry a tag now (``T#<t>#TAGCOUNTS`` / tag), folded from the stream."""

    tag = UnicodeAttribute()
    tickets = NumberAttribute(default=0)
    last_used_at = UTCDateTimeAttribute(null=True)


class TagMarkerItem(MainItem, discriminator="tag_marker"):
    """The last ticket version whose tags were counted (``T#<t>#TAGSEEN`` / ticket id): a stream
    record delivered twice is counted once."""

    ticket_id = UnicodeAttribute()
    counted_version = NumberAttribute()


class PendingUploadItem(MainItem, discriminator="pending_upload"):
    """A reply attachment an agent was allowed to upload to S3 and has not sent yet: what was declared
    (the POST policy pinned it) and who may attach it. Claimed (deleted) by the reply that takes it."""

    upload_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    filename = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size = NumberAttribute()
    created_at = UTCDateTimeAttribute()
    expires = TTLAttribute()


class InvitationItem(MainItem, discriminator="invitation"):
    """Someone asked to join: no user exists until they accept. The secret only as its hash; deleted
    when accepted or revoked (single use), expired by ``expires`` (TTL deletes it later)."""

    invitation_id = UnicodeAttribute()
    email = UnicodeAttribute()
    role = UnicodeAttribute()
    token_hash = UnicodeAttribute()
    invited_by = JSONAttribute()  # the inviting actor
    created_at = UTCDateTimeAttribute()
    sent_at = UTCDateTimeAttribute()
    expires = TTLAttribute()
    version = VersionAttribute()


# --- self-service: contacts, the portal's sign-in links, the public web form (issue 15) ---


class ContactItem(MainItem, discriminator="contact"):
    """A requester as a person of the workspace (``T#<tenant>#CONTACT#<id>``, ``CONTACT``). The
    portal's requester tokens carry ``token_generation``: raising it ends them all (sign-out)."""

    contact_id = UnicodeAttribute()
    email = UnicodeAttribute()
    name = UnicodeAttribute()
    organisation = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    last_seen_at = UTCDateTimeAttribute()
    ticket_count = NumberAttribute(default=0)
    token_generation = NumberAttribute(default=0)


class ContactIndexItem(MainItem, discriminator="contact_index"):
    """A contact's place in the workspace's listing (``T#<tenant>#CONTACTS``): ``E#<email>`` and
    ``N#<name>#<email>`` sort keys, so a prefix of either is one Query."""

    contact_id = UnicodeAttribute()
    email = UnicodeAttribute()


class ContactTicketMarker(MainItem, discriminator="contact_ticket"):
    """A ticket counted on its contact (in the contact's partition): the stream may deliver the
    ticket's creation twice, the count goes up once."""

    ticket_id = UnicodeAttribute()


class PortalLinkItem(MainItem, discriminator="portal_link"):
    """A live magic link of the portal (``T#<tenant>#PORTALLINK#<id>``): the secret only as its hash.
    Spent by a conditional delete, so it opens the portal once."""

    link_id = UnicodeAttribute()
    purpose = UnicodeAttribute()  # sign_in | web_request
    email = UnicodeAttribute()
    token_hash = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    expires = TTLAttribute()
    request = JSONAttribute(null=True)  # web_request: {name, subject, description} to open on confirmation


class PortalSettingsItem(MainItem, discriminator="portal_settings"):
    """The public web form's switch and the queue it feeds."""

    web_form_enabled = BooleanAttribute(default=True)
    web_form_queue = UnicodeAttribute(default="support")
    updated_at = UTCDateTimeAttribute(null=True)
    version = VersionAttribute()


class OnboardingItem(MainItem, discriminator="onboarding"):
    """The first-run checklist's own state (``T#<tenant>``, ``ONBOARDING``): what an admin marked as done
    or reviewed, whether the checklist was dismissed, the sample tickets it added. Everything else on
    the checklist is read from the workspace itself."""

    # each markable step (domain/onboarding.py MARKABLE) has its own attribute, so two admins marking
    # two steps at once both land
    tickets_arrive_marked_at = UTCDateTimeAttribute(null=True)
    review_routing_marked_at = UTCDateTimeAttribute(null=True)
    review_sla_marked_at = UTCDateTimeAttribute(null=True)
    dismissed_at = UTCDateTimeAttribute(null=True)
    email_seen_at = UTCDateTimeAttribute(null=True)  # the first emailed ticket seen, kept once seen
    sample_ticket_ids = ListAttribute(of=UnicodeAttribute, null=True)  # type: ignore[arg-type]
    updated_at = UTCDateTimeAttribute(null=True)


class SlackOAuthNonceItem(MainItem, discriminator="slack_oauth_nonce"):
    """An 'Add to Slack' started and not yet finished (``T#<tenant>#SLACKOAUTH``, nonce): spent by a
    conditional delete, so one state connects Slack at most once; expires with its state."""

    user_id = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    expires = TTLAttribute()


class UserSessionIndexItem(MainItem, discriminator="user_session"):
    """A person's sign-in session as listed to them (``T#<tenant>#USERSESSIONS#<user>``, family id):
    written with the session family, deleted when it is revoked, so "my sessions" is one Query."""

    user_id = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    last_used_at = UTCDateTimeAttribute()
    user_agent = UnicodeAttribute(null=True)
    source_ip = UnicodeAttribute(null=True)
    expires = TTLAttribute()


class SearchWordItem(_Table):
    """A word the keyword index holds (``T#<tenant>#VW#<first two letters>``/``<word>``; ``VN#`` for words of
    internal notes): a query's prefix finds the ranked lists (``T#<tenant>#RW#<word>``, SearchTermItem) to read.
    Written when a posting of the word is, never deleted: a word no ticket has any more reads an empty list."""

    class Meta(_TableMeta):
        table_name = physical_table_name("search")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)  # the word
