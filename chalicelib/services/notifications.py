"""The notification pipeline's plumbing: planning one job per (event, channel target), the delivery
queue, dead letters and their replay, and each user's notification preferences."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any

import boto3

from chalicelib.data import identity, integrations, tickets
from chalicelib.data.models import DeadLetterItem, SlackIntegrationItem, WebhookEndpointItem
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import from_text, maybe_text, to_text, utcnow
from chalicelib.domain.errors import BadRequest, Conflict, NotFound
from chalicelib.domain.notifications import (
    WATCHED_EVENTS,
    DomainEvent,
    Job,
    Recipient,
    effective_prefs,
    email_targets,
    queue_hop,
    sla_breached,
    slack_alert,
    starts_waiting_unassigned,
    subscribes,
)
from chalicelib.domain.permissions import permissions_for_role, sees_internal_notes
from chalicelib.domain.principal import Principal
from chalicelib.domain.sla import CHECK_AHEAD, missed_deadline, needs_early_check
from chalicelib.observability import logger, metrics
from chalicelib.services.presenters import ticket_public
from chalicelib.settings import get_settings

SQS_BATCH = 10


# --- the queue -----------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _sqs_client(endpoint: str | None, region: str | None) -> Any:
    return boto3.client("sqs", region_name=region)


def _sqs() -> Any:
    """Built on first use and again whenever the endpoint changes (moto, the local stack)."""
    return _sqs_client(os.environ.get("AWS_ENDPOINT_URL_SQS"), os.environ.get("AWS_DEFAULT_REGION"))


@lru_cache(maxsize=4)
def _resolved_queue_url(endpoint: str | None, name: str) -> str:
    return str(_sqs().get_queue_url(QueueName=name)["QueueUrl"])


def queue_url() -> str:
    settings = get_settings()
    if settings.notifications_queue_url:
        return settings.notifications_queue_url
    return _resolved_queue_url(os.environ.get("AWS_ENDPOINT_URL_SQS"), settings.notifications_queue_name)


def enqueue(jobs: Iterable[Job], now: float | None = None) -> int:
    """Sends each job, delayed until its ``not_before`` (one hop of at most 15 minutes; the consumer
    sends it on again if it arrives early). Raises if any message was not accepted."""
    moment = time.time() if now is None else now
    entries = [
        {"Id": str(i), "MessageBody": json.dumps(job.to_dict()), "DelaySeconds": queue_hop(job.not_before, moment)}
        for i, job in enumerate(jobs)
    ]
    for start in range(0, len(entries), SQS_BATCH):
        answer = _sqs().send_message_batch(QueueUrl=queue_url(), Entries=entries[start : start + SQS_BATCH])
        if answer.get("Failed"):
            raise RuntimeError(f"the notification queue refused {len(answer['Failed'])} message(s)")
    if entries:
        metrics.add_metric(name="NotificationsEnqueued", unit="Count", value=len(entries))
    return len(entries)


# --- planning: who gets which event --------------------------------------------------------------


class _Tenant:
    """What planning needs to know about one workspace, read at most once per planner."""

    def __init__(self, tenant_id: str) -> None:
        self.tenant_id = tenant_id
        self._workspace: str | None = None
        self._slack: SlackIntegrationItem | bool | None = False
        self._endpoints: list[WebhookEndpointItem] | None = None
        self._recipients: dict[str, Recipient | None] = {}
        self._watchers: dict[str, list[str]] = {}

    @property
    def workspace_name(self) -> str:
        if self._workspace is None:
            workspace = identity.get_workspace(self.tenant_id)
            self._workspace = workspace.name if workspace else "Pulsedesk"
        return self._workspace

    @property
    def slack(self) -> SlackIntegrationItem | None:
        if self._slack is False:
            self._slack = integrations.get_slack(self.tenant_id)
        return self._slack if isinstance(self._slack, SlackIntegrationItem) else None

    @property
    def endpoints(self) -> list[WebhookEndpointItem]:
        if self._endpoints is None:
            self._endpoints = [e for e in integrations.list_endpoints(self.tenant_id) if e.enabled]
        return self._endpoints

    def recipient(self, user_id: str | None) -> Recipient | None:
        if not user_id:
            return None
        if user_id not in self._recipients:
            user = identity.get_user(self.tenant_id, user_id)
            prefs = integrations.get_prefs(self.tenant_id, user_id)
            self._recipients[user_id] = (
                Recipient(
                    user.email,
                    user.name,
                    user.user_id,
                    effective_prefs(prefs.prefs if prefs else None),
                    sees_internal_notes(permissions_for_role(user.role)),
                )
                if user is not None and user.active
                else None
            )
        return self._recipients[user_id]

    def watchers(self, ticket_id: str) -> list[Recipient]:
        if ticket_id not in self._watchers:
            self._watchers[ticket_id] = list(tickets.get_watchers(self.tenant_id, ticket_id).user_ids or ())
        return [r for r in map(self.recipient, sorted(self._watchers[ticket_id])) if r is not None]


class Planner:
    """Plans one job per (event, channel target); the consumer sends each at most once. One planner
    serves one stream batch, so a workspace's settings, endpoints and recipients are read once per
    batch rather than once per record."""

    def __init__(self) -> None:
        self._tenants: dict[str, _Tenant] = {}

    def jobs(self, events: list[DomainEvent]) -> list[Job]:
        jobs: list[Job] = []
        for event in events:
            tenant = self._tenants.setdefault(event.tenant_id, _Tenant(event.tenant_id))
            jobs += _jobs_for(event, tenant)
        return list({_job_key(job): job for job in jobs}.values())  # one write's events share a check


def _job_key(job: Job) -> tuple[str, str, str]:
    return (job.channel, job.target, job.idempotency_key if job.channel != "check_sla" else "")


def _jobs_for(event: DomainEvent, tenant: _Tenant) -> list[Job]:
    data = event.to_dict()
    jobs = [
        Job(
            tenant.tenant_id,
            "email",
            target.target,
            data,
            extra={
                "template": target.template,
                "email": target.email,
                "name": target.name,
                "workspace": tenant.workspace_name,
            },
        )
        for target in email_targets(event, _assignee(event, tenant), _watchers(event, tenant))
    ]
    if "sla_due_at" in event.changes and needs_early_check(event.ticket, utcnow()):
        jobs.append(sla_check_job(tenant.tenant_id, event.ticket))  # the sweep may have passed it
    slack = tenant.slack
    if slack is not None:
        alert = slack_alert(event, bool(slack.alert_urgent), bool(slack.alert_sla_breaches))
        if alert is not None:
            jobs.append(slack_job(tenant.tenant_id, data, alert, tenant.workspace_name))
        if slack.unassigned_after_minutes and starts_waiting_unassigned(event):
            wait = int(slack.unassigned_after_minutes) * 60
            jobs.append(
                Job(
                    tenant.tenant_id,
                    "check_unassigned",
                    str(event.ticket["id"]),
                    data,
                    extra={"workspace": tenant.workspace_name},
                    not_before=time.time() + wait,
                )
            )
    jobs += [
        Job(tenant.tenant_id, "webhook", endpoint.endpoint_id, data)
        for endpoint in tenant.endpoints
        if subscribes(endpoint.event_types, event.type)
    ]
    return jobs


def _assignee(event: DomainEvent, tenant: _Tenant) -> Recipient | None:
    """Read only for the events an assignee may hear of."""
    if event.type not in ("ticket.assigned", "comment.created", "ticket.sla_breached"):
        return None
    return tenant.recipient(event.ticket.get("assignee_id"))


def _watchers(event: DomainEvent, tenant: _Tenant) -> list[Recipient]:
    return tenant.watchers(str(event.ticket["id"])) if event.type in WATCHED_EVENTS else []


def slack_job(tenant_id: str, event: dict[str, Any], alert: str, workspace: str) -> Job:
    return Job(tenant_id, "slack", f"alert:{alert}", event, extra={"alert": alert, "workspace": workspace})


# --- SLA breaches ---------------------------------------------------------------------------------


def sla_check_job(tenant_id: str, ticket: dict[str, Any]) -> Job:
    """A look at the ticket when its deadline passes; it raises the breach only if still due then."""
    due = str(ticket["sla_due_at"])
    return Job(
        tenant_id,
        "check_sla",
        str(ticket["id"]),
        {"id": f"sla:{ticket['id']}:{due}", "type": "ticket.sla_breached"},
        extra={"due_at": due},
        not_before=from_text(due).timestamp(),
    )


def queue_sla_checks(now: datetime) -> int:
    """Run by the scheduler: queues a check for every deadline up to CHECK_AHEAD from now that the
    previous run did not cover. Returns how many checks were queued."""
    queued = 0
    until = now + CHECK_AHEAD
    for entry in identity.all_registry_entries():
        since = entry.sla_checks_until or now  # a new workspace: earlier deadlines predate the checks
        due = [ticket_public(t) for t in tickets.tickets_due_between(entry.tenant_id, since, until)]
        queued += enqueue(sla_check_job(entry.tenant_id, t) for t in due)
        identity.mark_sla_checks_queued(entry, until)
    return queued


def check_sla(job: Job, now: datetime) -> int:
    """The deadline a check was queued for has come: announce the breach if the ticket missed it."""
    ticket = tickets.get_ticket(job.tenant_id, job.target)
    if ticket is None or not missed_deadline(ticket_public(ticket), str(job.extra["due_at"]), now):
        return 0
    return enqueue(Planner().jobs([sla_breached(job.tenant_id, ticket_public(ticket), to_text(now))]))


# --- dead letters --------------------------------------------------------------------------------


def dead_letter(job: Job, reason: str) -> None:
    integrations.add_dead_letter(
        job.tenant_id,
        utcnow(),
        channel=job.channel,
        event_type=job.event_type,
        target=job.target,
        error=reason[:1000],
        attempts=job.attempt,
        job=job.to_dict(),
    )
    metrics.add_metric(name="NotificationsDeadLettered", unit="Count", value=1)
    logger.warning(
        "notification dead-lettered",
        extra={"tenant_id": job.tenant_id, "channel": job.channel, "event_id": job.event.get("id"), "reason": reason},
    )


def list_dead_letters(principal: Principal, limit: int, cursor: str | None) -> dict[str, Any]:
    items, next_cursor = integrations.list_dead_letters(principal.tenant_id, limit, cursor)
    return {"items": [dead_letter_public(letter) for letter in items], "next_cursor": next_cursor}


def replay_dead_letter(principal: Principal, letter_id: str) -> dict[str, Any]:
    """Sends the job again from its first attempt. The replay key is the letter's id, so two admins
    replaying at once still send it once."""
    letter = integrations.get_dead_letter(principal.tenant_id, letter_id)
    if letter is None:
        raise NotFound("No such dead letter.")
    if letter.replayed_at is not None:
        raise Conflict("This dead letter was already replayed.", replayed_at=maybe_text(letter.replayed_at))
    job = Job.from_dict(letter.job)
    enqueue([Job(job.tenant_id, job.channel, job.target, job.event, 1, job.extra, f"dead-letter:{letter_id}")])
    integrations.mark_replayed(
        letter,
        utcnow(),
        audit=AuditEntry(
            principal.as_actor(),
            "notification.replayed",
            AuditTarget("dead_letter", letter_id),
            after={"channel": letter.channel, "event_type": letter.event_type, "target": letter.target},
        ),
    )
    return dead_letter_public(letter)


def dead_letter_public(letter: DeadLetterItem) -> dict[str, Any]:
    return {
        "id": letter.letter_id,
        "at": to_text(letter.at),
        "channel": letter.channel,
        "event_type": letter.event_type,
        "event_id": str(letter.job.get("event", {}).get("id", "")),
        "target": letter.target,
        "error": letter.error,
        "attempts": int(letter.attempts),
        "replayed_at": maybe_text(letter.replayed_at),
    }


# --- preferences ---------------------------------------------------------------------------------


def get_my_prefs(principal: Principal) -> dict[str, Any]:
    stored = integrations.get_prefs(principal.tenant_id, _user_id(principal))
    return effective_prefs(stored.prefs if stored else None)


def put_my_prefs(principal: Principal, prefs: dict[str, Any]) -> dict[str, Any]:
    user_id = _user_id(principal)
    before = get_my_prefs(principal)
    after = effective_prefs({**before, **{k: v for k, v in prefs.items() if v is not None}})
    integrations.save_prefs(
        principal.tenant_id,
        user_id,
        after,
        audit=AuditEntry(
            principal.as_actor(), "notification_prefs.updated", AuditTarget("user", user_id), before=before, after=after
        ),
    )
    return after


def _user_id(principal: Principal) -> str:
    if principal.user_id is None:
        raise BadRequest("Notification preferences belong to a signed-in user; an API key has none.")
    return principal.user_id
