"""Transitional aliases: the notification rules now live one job per module. Import from them:

- ``domain/events.py``      what happened (DomainEvent, ticket_events, comment_created, sla_breached, subscribes)
- ``domain/recipients.py``  who hears about what (email_targets, Recipient, preferences, Slack alerts)
- ``domain/delivery.py``    the delivery job and its retry schedule (Job, retry_delay, DeliveryFailed)
- ``domain/url_safety.py``  which webhook URLs and addresses may be called (SSRF)
- ``domain/masking.py``     secrets shown back masked
- ``domain/waiting.py``     whether a ticket waits for an owner

Kept only so branches written against the old module merge cleanly; remove it once none imports it.
"""

from __future__ import annotations

from chalicelib.domain.delivery import (
    JITTER,
    MAX_QUEUE_DELAY_SECONDS,
    Channel,
    DeliveryFailed,
    Job,
    queue_hop,
    retry_delay,
    should_disable,
)
from chalicelib.domain.events import (
    ALL_EVENTS,
    EVENT_TYPES,
    DomainEvent,
    comment_created,
    event_id,
    sla_breached,
    subscribes,
    ticket_events,
)
from chalicelib.domain.masking import mask
from chalicelib.domain.recipients import (
    DEFAULT_PREFS,
    WATCHED_EVENTS,
    EmailTarget,
    Recipient,
    effective_prefs,
    email_targets,
    slack_alert,
    starts_waiting_unassigned,
)
from chalicelib.domain.url_safety import address_refusal, url_refusal

__all__ = [
    "ALL_EVENTS",
    "DEFAULT_PREFS",
    "EVENT_TYPES",
    "JITTER",
    "MAX_QUEUE_DELAY_SECONDS",
    "WATCHED_EVENTS",
    "Channel",
    "DeliveryFailed",
    "DomainEvent",
    "EmailTarget",
    "Job",
    "Recipient",
    "address_refusal",
    "comment_created",
    "effective_prefs",
    "email_targets",
    "event_id",
    "mask",
    "queue_hop",
    "retry_delay",
    "should_disable",
    "sla_breached",
    "slack_alert",
    "starts_waiting_unassigned",
    "subscribes",
    "ticket_events",
    "url_refusal",
]
