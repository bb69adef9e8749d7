"""Planning: one delivery job per (event, channel target), with what each workspace has set up
(Slack, webhook endpoints) and who its people are, read once per stream batch."""

from __future__ import annotations

import time
from typing import Any

from chalicelib.data import identity, integrations, tickets
from chalicelib.data.models import SlackIntegrationItem, WebhookEndpointItem
from chalicelib.domain.clock import from_text, utcnow
from chalicelib.domain.delivery import Job
from chalicelib.domain.events import DomainEvent, subscribes
from chalicelib.domain.permissions import permissions_for_role, sees_internal_notes
from chalicelib.domain.recipients import (
    WATCHED_EVENTS,
    Recipient,
    effective_prefs,
    email_targets,
    is_spam,
    slack_alert,
    starts_waiting_unassigned,
)
from chalicelib.domain.sla import needs_early_check
from chalicelib.services.workspace_facts import remembered_workspace


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
            workspace = remembered_workspace(self.tenant_id)
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
            user, prefs = identity.user_and_prefs(self.tenant_id, user_id)
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

    def read_watchers(self, ticket_ids: set[str]) -> None:
        unread = ticket_ids - self._watchers.keys()
        if unread:
            self._watchers.update(tickets.watchers_of(self.tenant_id, unread))

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

    def read_watchers(self, tenant_id: str, ticket_ids: set[str]) -> None:
        """Reads ahead, in one call, the watchers of tickets the batch's events may tell them about."""
        self._tenants.setdefault(tenant_id, _Tenant(tenant_id)).read_watchers(ticket_ids)

    def jobs(self, events: list[DomainEvent]) -> list[Job]:
        jobs: list[Job] = []
        for event in events:
            tenant = self._tenants.setdefault(event.tenant_id, _Tenant(event.tenant_id))
            jobs += _jobs_for(event, tenant)
        return list({_job_key(job): job for job in jobs}.values())  # one write's events share a check


def _job_key(job: Job) -> tuple[str, str, str]:
    return (job.channel, job.target, job.idempotency_key if job.channel != "check_sla" else "")


def _jobs_for(event: DomainEvent, tenant: _Tenant) -> list[Job]:
    if is_spam(event.ticket):
        return []
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
