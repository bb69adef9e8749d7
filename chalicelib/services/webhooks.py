"""Webhook endpoints: management, signed delivery (Standard Webhooks, via the ``standardwebhooks``
package), the delivery log, manual redelivery, the test call and auto-disable."""

from __future__ import annotations

import base64
import json
import secrets
import time
from typing import Any

from chalicelib.contracts.responses import WebhookCreatedOut, WebhookDeliveryOut, WebhookOut
from chalicelib.data import audit as audit_log
from chalicelib.data import identity, integrations
from chalicelib.data.models import WebhookDeliveryItem, WebhookEndpointItem
from chalicelib.data.store import TransactionConflict, new_id
from chalicelib.domain.actors import ROUTER
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import maybe_text, to_text, utcnow
from chalicelib.domain.delivery import DeliveryFailed, Job, should_disable
from chalicelib.domain.errors import Conflict, NotFound, invalid
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.permissions import Role
from chalicelib.domain.principal import SYSTEM_ACTOR, Principal
from chalicelib.observability import logger
from chalicelib.services import safe_http
from chalicelib.services.delivery_queue import enqueue
from chalicelib.settings import get_settings

SAMPLE_TICKET = {
    "id": "sample",
    "number": 0,
    "subject": "A sample ticket",
    "priority": "normal",
    "status": "new",
    "queue": "support",
    "requester": {"name": "Sample Requester", "email": "requester@example.com"},
}


# --- management ----------------------------------------------------------------------------------


def create_endpoint(principal: Principal, fields: dict[str, Any]) -> WebhookCreatedOut:
    _check_url(fields["url"])
    now = utcnow()
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    endpoint = integrations.endpoint_item(
        principal.tenant_id,
        new_id(),
        url=fields["url"],
        description=fields.get("description") or "",
        event_types=set(fields["event_types"]),
        secret=secret,
        enabled=True,
        created_by=principal.id,
        created_at=now,
        updated_at=now,
    )
    integrations.save_endpoint(
        endpoint, audit=_audit(principal, "webhook.created", endpoint, None, endpoint_snapshot(endpoint))
    )
    return WebhookCreatedOut(**endpoint_public(endpoint).model_dump(), secret=secret)


def list_endpoints(principal: Principal) -> dict[str, Any]:
    endpoints = sorted(integrations.list_endpoints(principal.tenant_id), key=lambda e: e.created_at)
    return {"items": [endpoint_public(e) for e in endpoints], "next_cursor": None}


def get_endpoint(principal: Principal, endpoint_id: str) -> WebhookOut:
    return endpoint_public(_existing(principal, endpoint_id))


def update_endpoint(principal: Principal, endpoint_id: str, changes: dict[str, Any]) -> WebhookOut:
    endpoint = _existing(principal, endpoint_id)
    before = endpoint_snapshot(endpoint)
    if changes.get("url") is not None:
        _check_url(changes["url"])
        endpoint.url = changes["url"]
    if changes.get("event_types") is not None:
        endpoint.event_types = set(changes["event_types"])
    if changes.get("description") is not None:
        endpoint.description = changes["description"]
    if changes.get("enabled") is not None:
        endpoint.enabled = changes["enabled"]
        if endpoint.enabled:  # a fresh start: the old failure streak no longer counts
            endpoint.disabled_reason, endpoint.failing_since = None, None
    endpoint.updated_at = utcnow()
    try:
        integrations.save_endpoint(
            endpoint, audit=_audit(principal, "webhook.updated", endpoint, before, endpoint_snapshot(endpoint))
        )
    except TransactionConflict as error:
        raise Conflict("The endpoint changed meanwhile; reload it and try again.") from error
    return endpoint_public(endpoint)


def delete_endpoint(principal: Principal, endpoint_id: str) -> None:
    endpoint = _existing(principal, endpoint_id)
    integrations.delete_endpoint(
        endpoint, audit=_audit(principal, "webhook.deleted", endpoint, endpoint_snapshot(endpoint), None)
    )


def list_deliveries(principal: Principal, endpoint_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    _existing(principal, endpoint_id)
    rows, next_cursor = integrations.list_deliveries(principal.tenant_id, endpoint_id, limit, cursor)
    return {"items": [delivery_public(row) for row in rows], "next_cursor": next_cursor}


def redeliver(principal: Principal, endpoint_id: str, delivery_id: str) -> dict[str, Any]:
    """Queues the logged event again, now, with a fresh retry schedule and the same ``webhook-id``."""
    endpoint = _existing(principal, endpoint_id)
    row = integrations.get_delivery(principal.tenant_id, endpoint_id, delivery_id)
    if row is None:
        raise NotFound("No such delivery.")
    event = DomainEvent.from_payload(principal.tenant_id, json.loads(row.body))
    replay = f"manual:{new_id()}"
    enqueue([Job(principal.tenant_id, "webhook", endpoint.endpoint_id, event.to_dict(), replay=replay)])
    audit_log.record(
        principal.tenant_id,
        _audit(principal, "webhook.redelivered", endpoint, None, {"delivery_id": delivery_id, "event_id": event.id}),
    )
    return {"queued": True, "event_id": event.id}


def test_endpoint(principal: Principal, endpoint_id: str) -> dict[str, Any]:
    """Sends a signed ``webhook.test`` event now and reports the receiver's answer."""
    endpoint = _existing(principal, endpoint_id)
    event = DomainEvent(
        f"evt_test_{new_id()}",
        "webhook.test",
        principal.tenant_id,
        utcnow().isoformat(),
        principal.actor(),
        SAMPLE_TICKET,
    )
    row = deliver(endpoint, event, attempt=1)
    return {
        "ok": row.outcome == "delivered",
        "status_code": int(row.status_code) if row.status_code is not None else None,
        "latency_ms": int(row.latency_ms) if row.latency_ms is not None else None,
        "error": row.error,
    }


# --- delivery ------------------------------------------------------------------------------------


def send_job(job: Job) -> dict[str, Any]:
    endpoint = integrations.get_endpoint(job.tenant_id, job.target)
    if endpoint is None:
        raise DeliveryFailed("The endpoint was deleted.", permanent=True)
    if not endpoint.enabled:
        raise DeliveryFailed("The endpoint is disabled.", permanent=True)
    row = deliver(endpoint, DomainEvent.from_dict(job.event), attempt=job.attempt)
    if row.outcome != "delivered":
        raise DeliveryFailed(str(row.error))
    return {"channel": "webhook", "status": int(row.status_code or 0), "delivery_id": row.delivery_id}


def deliver(endpoint: WebhookEndpointItem, event: DomainEvent, attempt: int) -> WebhookDeliveryItem:
    """One signed POST; logged whatever happens. The ``webhook-id`` is the event id, the same on
    every retry, so the receiver can drop a duplicate."""
    from standardwebhooks import Webhook  # only a delivery signs: not loaded by the API's cold start

    settings = get_settings()
    body = json.dumps(event.payload(), separators=(",", ":"), default=str)
    now = utcnow()
    headers = {
        "webhook-id": event.id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(endpoint.secret).sign(event.id, now, body),
    }
    status: int | None = None
    latency: int | None = None
    error: str | None = None
    started = time.perf_counter()
    try:
        answer = safe_http.post(
            endpoint.url,
            body.encode(),
            headers,
            allow_private=settings.webhook_allow_private_targets,
            timeout=settings.webhook_timeout_seconds,
        )
        status, latency = answer.status, answer.latency_ms
        if not 200 <= status < 300:
            error = f"HTTP {status}: {answer.body[:200]}".strip()
    except (safe_http.UnsafeTarget, safe_http.TransportError) as failure:
        error, latency = str(failure), round((time.perf_counter() - started) * 1000)
    row = integrations.delivery_item(
        endpoint.tenant_id,
        endpoint.endpoint_id,
        now,
        event_id=event.id,
        event_type=event.type,
        attempt=attempt,
        outcome="failed" if error else "delivered",
        status_code=status,
        latency_ms=latency,
        error=error,
        body=body,
    )
    integrations.record_delivery(row)
    integrations.record_health(endpoint, ok=error is None, at=now)
    return row


def disable_if_failing_too_long(tenant_id: str, endpoint_id: str, last_error: str) -> bool:
    """After a failed attempt: an endpoint that has not succeeded for the configured time is
    disabled, audited, and every admin of the workspace is emailed."""
    endpoint = integrations.get_endpoint(tenant_id, endpoint_id)
    if endpoint is None or not endpoint.enabled or endpoint.failing_since is None:
        return False
    failing_since = endpoint.failing_since.timestamp()
    if not should_disable(failing_since, time.time(), get_settings().webhook_disable_after_seconds):
        return False
    before = endpoint_snapshot(endpoint)
    endpoint.enabled = False
    endpoint.disabled_reason = f"Failing since {to_text(endpoint.failing_since)}: {last_error}"[:500]
    endpoint.updated_at = utcnow()
    audit = AuditEntry(
        ROUTER,
        "webhook.disabled",
        AuditTarget("webhook", endpoint_id),
        before=before,
        after=endpoint_snapshot(endpoint),
    )
    try:
        integrations.save_endpoint(endpoint, audit=audit)
    except TransactionConflict:
        return False  # changed meanwhile (an admin, or another failure disabling it): decide next time
    logger.warning("webhook endpoint disabled", extra={"tenant_id": tenant_id, "endpoint_id": endpoint_id})
    workspace = identity.get_workspace(tenant_id)
    notice = DomainEvent(
        f"evt_disabled_{endpoint_id}_{int(failing_since)}",
        "webhook.disabled",
        tenant_id,
        utcnow().isoformat(),
        SYSTEM_ACTOR,
        {},
    )
    admins = [u for u in identity.all_users(tenant_id) if u.role == Role.ADMIN and u.active]
    enqueue(
        Job(
            tenant_id,
            "email",
            f"webhook_disabled:{admin.email.lower()}",
            notice.to_dict(),
            extra={
                "template": "webhook_disabled",
                "email": admin.email,
                "name": admin.name,
                "workspace": workspace.name if workspace else "Pulsedesk",
                "url": endpoint.url,
                "error": last_error,
            },
        )
        for admin in admins
    )
    return True


# --- shapes --------------------------------------------------------------------------------------


def endpoint_public(endpoint: WebhookEndpointItem) -> WebhookOut:
    return WebhookOut(
        id=endpoint.endpoint_id,
        url=endpoint.url,
        description=endpoint.description,
        event_types=sorted(endpoint.event_types),
        enabled=bool(endpoint.enabled),
        disabled_reason=endpoint.disabled_reason,
        failing_since=maybe_text(endpoint.failing_since),
        created_at=to_text(endpoint.created_at),
        updated_at=to_text(endpoint.updated_at),
    )


def endpoint_snapshot(endpoint: WebhookEndpointItem) -> dict[str, Any]:
    """The endpoint as the API answers it, as plain JSON: for audit rows."""
    return endpoint_public(endpoint).model_dump(mode="json")


def delivery_public(row: WebhookDeliveryItem) -> WebhookDeliveryOut:
    return WebhookDeliveryOut(
        id=row.delivery_id,
        event_id=row.event_id,
        event_type=row.event_type,
        attempt=int(row.attempt),
        outcome=row.outcome,  # type: ignore[arg-type]  # "delivered" or "failed"; the model checks it
        status_code=int(row.status_code) if row.status_code is not None else None,
        latency_ms=int(row.latency_ms) if row.latency_ms is not None else None,
        error=row.error,
        at=to_text(row.at),
    )


def _existing(principal: Principal, endpoint_id: str) -> WebhookEndpointItem:
    endpoint = integrations.get_endpoint(principal.tenant_id, endpoint_id)
    if endpoint is None:
        raise NotFound("No such webhook endpoint.")
    return endpoint


def _check_url(url: str) -> None:
    try:
        safe_http.check_url(url, get_settings().webhook_allow_private_targets)
    except safe_http.UnsafeTarget as error:
        raise invalid("url", str(error)) from error


def _audit(
    principal: Principal,
    action: str,
    endpoint: WebhookEndpointItem,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    return AuditEntry(
        principal.as_actor(), action, AuditTarget("webhook", endpoint.endpoint_id), before=before, after=after
    )
