"""Webhook endpoints and their delivery log, the Slack connection, notification preferences and
dead letters. Every function takes the tenant first; every change made by a person is audited."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import DeleteError, DoesNotExist, UpdateError

from chalicelib.data import keys
from chalicelib.data.cursor import decode_cursor, encode_cursor
from chalicelib.data.models import (
    DeadLetterItem,
    NotificationPrefsItem,
    SlackIntegrationItem,
    SlackOAuthNonceItem,
    WebhookDeliveryItem,
    WebhookEndpointItem,
)
from chalicelib.data.store import new_id, transaction
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.clock import utcnow

DELIVERY_LOG_DAYS = 30
DEAD_LETTER_DAYS = 14


def time_ordered_id(at: datetime) -> str:
    """``20260101T120000123456-1a2b3c4d5e6f``: sorts by time, safe in a URL, unique."""
    return f"{at.strftime('%Y%m%dT%H%M%S%f')}-{new_id()[:12]}"


# --- webhook endpoints ---------------------------------------------------------------------------


def endpoint_item(tenant_id: str, endpoint_id: str, **fields: Any) -> WebhookEndpointItem:
    return WebhookEndpointItem(
        keys.webhook_endpoints(tenant_id), endpoint_id, tenant_id=tenant_id, endpoint_id=endpoint_id, **fields
    )


def list_endpoints(tenant_id: str) -> list[WebhookEndpointItem]:
    return list(WebhookEndpointItem.query(keys.webhook_endpoints(tenant_id)))


def get_endpoint(tenant_id: str, endpoint_id: str) -> WebhookEndpointItem | None:
    try:
        return WebhookEndpointItem.get(keys.webhook_endpoints(tenant_id), endpoint_id, consistent_read=True)
    except DoesNotExist:
        return None


def save_endpoint(endpoint: WebhookEndpointItem, audit: AuditEntry) -> None:
    """Creates or changes an endpoint only if nobody changed it since it was read (its version)."""
    with transaction(endpoint.tenant_id, audit) as tx:
        tx.save(endpoint)


def delete_endpoint(endpoint: WebhookEndpointItem, audit: AuditEntry) -> None:
    with transaction(endpoint.tenant_id, audit) as tx:
        tx.delete(endpoint)


def record_health(endpoint: WebhookEndpointItem, *, ok: bool, at: datetime) -> None:
    """Best effort: a concurrent edit wins, and the next delivery records health again."""
    if ok and endpoint.failing_since is None and endpoint.last_success_at is not None:
        return
    if not ok and endpoint.failing_since is not None:
        return
    try:
        if ok:
            endpoint.update(
                actions=[WebhookEndpointItem.failing_since.remove(), WebhookEndpointItem.last_success_at.set(at)]
            )
        else:
            endpoint.update(actions=[WebhookEndpointItem.failing_since.set(at)])
    except UpdateError:
        return


# --- delivery log --------------------------------------------------------------------------------


def delivery_item(tenant_id: str, endpoint_id: str, at: datetime, **fields: Any) -> WebhookDeliveryItem:
    delivery_id = time_ordered_id(at)
    return WebhookDeliveryItem(
        keys.webhook_deliveries(tenant_id, endpoint_id),
        delivery_id,
        tenant_id=tenant_id,
        endpoint_id=endpoint_id,
        delivery_id=delivery_id,
        at=at,
        expires=at + timedelta(days=DELIVERY_LOG_DAYS),
        **fields,
    )


def record_delivery(row: WebhookDeliveryItem) -> None:
    row.save()


def list_deliveries(
    tenant_id: str, endpoint_id: str, limit: int, cursor: str | None
) -> tuple[list[WebhookDeliveryItem], str | None]:
    listing = f"webhook-deliveries:{endpoint_id}"
    result = WebhookDeliveryItem.query(
        keys.webhook_deliveries(tenant_id, endpoint_id),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=decode_cursor(tenant_id, listing, cursor),
    )
    items = list(result)
    next_key = result.last_evaluated_key
    return items, encode_cursor(tenant_id, listing, next_key) if next_key else None


def get_delivery(tenant_id: str, endpoint_id: str, delivery_id: str) -> WebhookDeliveryItem | None:
    try:
        return WebhookDeliveryItem.get(keys.webhook_deliveries(tenant_id, endpoint_id), delivery_id)
    except DoesNotExist:
        return None


# --- Slack ---------------------------------------------------------------------------------------


def get_slack(tenant_id: str) -> SlackIntegrationItem | None:
    try:
        return SlackIntegrationItem.get(*keys.slack_integration(tenant_id), consistent_read=True)
    except DoesNotExist:
        return None


def slack_item(tenant_id: str, **fields: Any) -> SlackIntegrationItem:
    return SlackIntegrationItem(*keys.slack_integration(tenant_id), tenant_id=tenant_id, **fields)


def save_slack(item: SlackIntegrationItem, audit: AuditEntry) -> None:
    with transaction(item.tenant_id, audit) as tx:
        tx.save(item)


def delete_slack(item: SlackIntegrationItem, audit: AuditEntry) -> None:
    with transaction(item.tenant_id, audit) as tx:
        tx.delete(item)


# --- notification preferences --------------------------------------------------------------------


def get_prefs(tenant_id: str, user_id: str) -> NotificationPrefsItem | None:
    try:
        return NotificationPrefsItem.get(*keys.notification_prefs(tenant_id, user_id))
    except DoesNotExist:
        return None


def save_prefs(tenant_id: str, user_id: str, prefs: dict[str, bool], audit: AuditEntry) -> NotificationPrefsItem:
    item = NotificationPrefsItem(
        *keys.notification_prefs(tenant_id, user_id),
        tenant_id=tenant_id,
        user_id=user_id,
        prefs=prefs,
        updated_at=utcnow(),
    )
    with transaction(tenant_id, audit) as tx:
        tx.save(item)
    return item


# --- dead letters --------------------------------------------------------------------------------


def add_dead_letter(tenant_id: str, at: datetime, **fields: Any) -> DeadLetterItem:
    letter_id = time_ordered_id(at)
    item = DeadLetterItem(
        keys.dead_letters(tenant_id),
        letter_id,
        tenant_id=tenant_id,
        letter_id=letter_id,
        at=at,
        expires=at + timedelta(days=DEAD_LETTER_DAYS),
        **fields,
    )
    item.save(condition=DeadLetterItem.pk.does_not_exist())
    return item


def list_dead_letters(tenant_id: str, limit: int, cursor: str | None) -> tuple[list[DeadLetterItem], str | None]:
    listing = "dead-letters"
    result = DeadLetterItem.query(
        keys.dead_letters(tenant_id),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=decode_cursor(tenant_id, listing, cursor),
    )
    items = list(result)
    next_key = result.last_evaluated_key
    return items, encode_cursor(tenant_id, listing, next_key) if next_key else None


def get_dead_letter(tenant_id: str, letter_id: str) -> DeadLetterItem | None:
    try:
        return DeadLetterItem.get(keys.dead_letters(tenant_id), letter_id, consistent_read=True)
    except DoesNotExist:
        return None


def mark_replayed(letter: DeadLetterItem, at: datetime, audit: AuditEntry) -> None:
    """Conditional on not yet replayed, so two admins replaying at once send it once."""
    letter.replayed_at = at
    with transaction(letter.tenant_id, audit) as tx:
        tx.save(letter, condition=DeadLetterItem.replayed_at.does_not_exist())


# --- "Add to Slack" ---


def save_oauth_nonce(tenant_id: str, nonce: str, user_id: str, created_at: datetime, expires: datetime) -> None:
    SlackOAuthNonceItem(
        *keys.slack_oauth_nonce(tenant_id, nonce),
        tenant_id=tenant_id,
        user_id=user_id,
        created_at=created_at,
        expires=expires,
    ).save(condition=SlackOAuthNonceItem.pk.does_not_exist())


def spend_oauth_nonce(tenant_id: str, nonce: str) -> bool:
    """Deletes the nonce if it is still there: False when it was spent (or never issued)."""
    item = SlackOAuthNonceItem(*keys.slack_oauth_nonce(tenant_id, nonce), tenant_id=tenant_id)
    try:
        item.delete(condition=SlackOAuthNonceItem.pk.exists())
    except DeleteError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True
