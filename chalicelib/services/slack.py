"""Slack: a workspace's connection (a bot token and channel, or an incoming-webhook URL), its alerts
as Block Kit messages, and the test-connection call. Credentials are never returned in full.

A 429 is not waited out inside the function (that would bill idle Lambda time and hold the
batch): the delivery goes back on the queue for the ``Retry-After`` Slack asked for.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any
from urllib.error import URLError

from chalicelib.contracts.responses import SlackConnectionOut
from chalicelib.data import integrations
from chalicelib.data.models import SlackIntegrationItem
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.delivery import DeliveryFailed, Job
from chalicelib.domain.errors import NotFound, invalid
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.masking import mask
from chalicelib.domain.notification_templates import slack_message, ticket_link
from chalicelib.domain.principal import Principal
from chalicelib.domain.slack_actions import take_value
from chalicelib.observability import logger
from chalicelib.settings import get_settings

TIMEOUT_SECONDS = 5
INCOMING_WEBHOOK_PREFIX = "https://hooks.slack.com/"
# Slack errors that no retry will fix: the admin must reconnect or fix the channel.
_PERMANENT = {
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "token_expired",
    "channel_not_found",
    "is_archived",
    "not_in_channel",
    "missing_scope",
    "no_service",
    "invalid_token",
}
SAMPLE_TICKET = {
    "id": "sample",
    "number": 0,
    "subject": "This is a test alert from Pulsedesk",
    "priority": "urgent",
    "status": "new",
    "queue": "support",
    "requester": {"name": "Sample Requester", "email": "requester@example.com"},
}


@lru_cache(maxsize=32)
def _web_client(token: str, base_url: str) -> Any:
    from slack_sdk import WebClient  # imported when first used: keeps it off the API's cold start

    return WebClient(token=token, base_url=base_url, timeout=TIMEOUT_SECONDS)


# --- the connection ------------------------------------------------------------------------------


def get_connection(principal: Principal) -> SlackConnectionOut:
    item = integrations.get_slack(principal.tenant_id)
    return slack_public(item)


def put_connection(principal: Principal, fields: dict[str, Any]) -> SlackConnectionOut:
    current = integrations.get_slack(principal.tenant_id)
    mode = fields["mode"]
    token = fields.get("bot_token") or (current.bot_token if current is not None and current.mode == mode else None)
    url = fields.get("webhook_url") or (current.webhook_url if current is not None and current.mode == mode else None)
    if mode == "bot":
        if not token:
            raise invalid("bot_token", "is required to connect a bot")
        if not fields.get("channel"):
            raise invalid("channel", "is required to connect a bot")
        url = None
    else:
        if not url:
            raise invalid("webhook_url", "is required for an incoming webhook")
        if not url.startswith(INCOMING_WEBHOOK_PREFIX) and not get_settings().webhook_allow_private_targets:
            raise invalid("webhook_url", f"must start with {INCOMING_WEBHOOK_PREFIX}")
        token = None
    item = current or integrations.slack_item(principal.tenant_id, updated_by=principal.id, updated_at=utcnow())
    before = slack_snapshot(current) if current is not None else None
    item.mode, item.bot_token, item.webhook_url = mode, token, url
    item.channel = fields.get("channel") if mode == "bot" else None
    kept_secret = current.signing_secret if current is not None and mode == "bot" else None
    item.signing_secret = (fields.get("signing_secret") or kept_secret) if mode == "bot" else None
    item.alert_urgent = fields.get("alert_urgent", True)
    item.alert_sla_breaches = fields.get("alert_sla_breaches", True)
    item.unassigned_after_minutes = fields.get("unassigned_after_minutes")
    item.updated_by, item.updated_at = principal.id, utcnow()
    after = slack_snapshot(item)
    integrations.save_slack(
        item,
        audit=AuditEntry(
            principal.as_actor(),
            "integration.slack.connected",
            AuditTarget("integration", "slack"),
            before=before,
            after=after,
        ),
    )
    return slack_public(item)


def delete_connection(principal: Principal) -> None:
    item = integrations.get_slack(principal.tenant_id)
    if item is None:
        raise NotFound("Slack is not connected.")
    integrations.delete_slack(
        item,
        audit=AuditEntry(
            principal.as_actor(),
            "integration.slack.disconnected",
            AuditTarget("integration", "slack"),
            before=slack_snapshot(item),
        ),
    )


def test_connection(principal: Principal) -> dict[str, Any]:
    """Posts a sample alert now and reports what Slack answered."""
    item = integrations.get_slack(principal.tenant_id)
    if item is None:
        raise NotFound("Slack is not connected.")
    link = ticket_link(get_settings().public_base_url, "sample")
    started = time.perf_counter()
    try:
        post(item, slack_message("test", SAMPLE_TICKET, link, "Pulsedesk"))
    except DeliveryFailed as failure:
        return {"ok": False, "error": failure.reason, "latency_ms": _since(started)}
    return {"ok": True, "error": None, "latency_ms": _since(started)}


def slack_public(item: SlackIntegrationItem | None) -> SlackConnectionOut:
    if item is None:
        return SlackConnectionOut(connected=False)  # the one key answered: nothing else is set
    return SlackConnectionOut(
        connected=True,
        mode=item.mode,  # type: ignore[arg-type]  # "bot" or "incoming_webhook"; the model checks it
        channel=item.channel,
        bot_token=mask(item.bot_token),
        webhook_url=mask(item.webhook_url),
        signing_secret=mask(item.signing_secret),
        alert_urgent=bool(item.alert_urgent),
        alert_sla_breaches=bool(item.alert_sla_breaches),
        unassigned_after_minutes=int(item.unassigned_after_minutes) if item.unassigned_after_minutes else None,
        updated_at=to_text(item.updated_at),
    )


def slack_snapshot(item: SlackIntegrationItem) -> dict[str, Any]:
    """The connection as the API answers it, as plain JSON: for audit rows."""
    return slack_public(item).model_dump(mode="json", exclude_unset=True)


# --- delivery ------------------------------------------------------------------------------------


def send_job(job: Job) -> dict[str, Any]:
    item = integrations.get_slack(job.tenant_id)
    if item is None:
        raise DeliveryFailed("Slack is not connected any more.", permanent=True)
    event = DomainEvent.from_dict(job.event)
    link = ticket_link(get_settings().public_base_url, str(event.ticket.get("id")))
    takeable = item.mode == "bot" and item.signing_secret and not event.ticket.get("assignee_id")
    message = slack_message(
        str(job.extra["alert"]),
        event.ticket,
        link,
        str(job.extra.get("workspace") or ""),
        take_value=take_value(job.tenant_id, str(event.ticket.get("id"))) if takeable else None,
    )
    return {"channel": "slack", **post(item, message)}


def post(item: SlackIntegrationItem, message: dict[str, Any]) -> dict[str, Any]:
    if item.mode == "bot":
        return _post_as_bot(str(item.bot_token), str(item.channel), message)
    return _post_to_incoming_webhook(str(item.webhook_url), message)


def _post_as_bot(token: str, channel: str, message: dict[str, Any]) -> dict[str, Any]:
    from slack_sdk.errors import SlackApiError, SlackClientError

    client = _web_client(token, get_settings().slack_api_url)
    try:
        response = client.chat_postMessage(channel=channel, text=message["text"], blocks=message["blocks"])
    except SlackApiError as error:
        status = error.response.status_code
        if status == 429:
            raise DeliveryFailed("Slack rate limit", retry_after=_retry_after(error.response.headers)) from error
        code = str(error.response.get("error") or f"HTTP {status}")
        raise DeliveryFailed(f"Slack answered {code}", permanent=code in _PERMANENT) from error
    except (SlackClientError, URLError, OSError) as error:
        raise DeliveryFailed(f"Slack unreachable: {error}"[:300]) from error
    return {"ts": response.get("ts")}


def _post_to_incoming_webhook(url: str, message: dict[str, Any]) -> dict[str, Any]:
    from slack_sdk.errors import SlackClientError
    from slack_sdk.webhook import WebhookClient

    try:
        response = WebhookClient(url, timeout=TIMEOUT_SECONDS).send(text=message["text"], blocks=message["blocks"])
    except (SlackClientError, URLError, OSError) as error:
        raise DeliveryFailed(f"Slack unreachable: {error}"[:300]) from error
    if response.status_code == 429:
        raise DeliveryFailed("Slack rate limit", retry_after=_retry_after(response.headers))
    if response.status_code >= 300:
        permanent = response.body in _PERMANENT or response.status_code in (403, 404, 410)
        raise DeliveryFailed(f"Slack answered {response.status_code} {response.body}"[:300], permanent=permanent)
    return {"status": response.status_code}


def slack_user_email(item: SlackIntegrationItem, slack_user_id: str) -> str | None:
    """The email of a Slack user (the bot needs the ``users:read.email`` scope), or None."""
    from slack_sdk.errors import SlackApiError, SlackClientError

    if item.mode != "bot" or not item.bot_token:
        return None
    try:
        answer = _web_client(item.bot_token, get_settings().slack_api_url).users_info(user=slack_user_id)
    except (SlackApiError, SlackClientError, URLError, OSError) as error:
        logger.warning("Slack users.info failed", extra={"tenant_id": item.tenant_id, "error": str(error)[:300]})
        return None
    email = ((answer.get("user") or {}).get("profile") or {}).get("email")
    return str(email) if email else None


def _retry_after(headers: Any) -> int:
    for name, value in dict(headers or {}).items():
        if str(name).lower() == "retry-after":
            values = value if isinstance(value, list) else [value]
            try:
                return max(1, int(values[0]))
            except (TypeError, ValueError):
                break
    return 30


def _since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
