"""'Add to Slack': start Slack's OAuth v2 with a state bound to the admin's session, and finish it by
exchanging the code for a bot token (slack-sdk ``oauth_v2_access``), stored as the token paste stores
it. The token paste stays as the fallback when the deployment has no Slack app."""

from __future__ import annotations

import secrets
from typing import Any

from chalicelib.contracts.responses import SlackConnectionOut
from chalicelib.contracts.slack_oauth import SlackOAuthOut, SlackOAuthStartOut
from chalicelib.data import integrations
from chalicelib.data.stage_secret import slack_client_secret
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import Conflict, invalid
from chalicelib.domain.principal import Principal
from chalicelib.domain.slack_oauth import (
    STATE_VALID_FOR,
    OAuthState,
    authorize_url,
    read_state,
    redirect_uri,
    state_token,
)
from chalicelib.services import slack
from chalicelib.settings import get_settings

NOT_CONFIGURED = "Add to Slack is not set up on this Pulsedesk; paste a bot token instead."


def availability() -> SlackOAuthOut:
    return SlackOAuthOut(available=bool(get_settings().slack_client_id))


def start(principal: Principal) -> SlackOAuthStartOut:
    settings = get_settings()
    if not settings.slack_client_id:
        raise Conflict(NOT_CONFIGURED)
    now = utcnow()
    nonce = secrets.token_urlsafe(16)
    state = OAuthState(principal.tenant_id, principal.id, _session_of(principal), nonce, now + STATE_VALID_FOR)
    integrations.save_oauth_nonce(principal.tenant_id, state.nonce, principal.id, now, state.expires_at)
    token = state_token(settings.slack_oauth_state_key, state)
    url = authorize_url(
        settings.slack_authorize_url, settings.slack_client_id, token, redirect_uri(settings.public_base_url)
    )
    return SlackOAuthStartOut(authorize_url=url, expires_at=state.expires_at.isoformat())


def finish(principal: Principal, code: str, state_value: str) -> SlackConnectionOut:
    """Checks the state (ours, this admin's session, unexpired), spends it, then asks Slack for the
    token. Nothing is stored unless Slack answered with a bot token."""
    settings = get_settings()
    if not settings.slack_client_id:
        raise Conflict(NOT_CONFIGURED)
    state = read_state(
        settings.slack_oauth_state_key, state_value, utcnow(), principal.tenant_id, principal.id, _session_of(principal)
    )
    if not integrations.spend_oauth_nonce(principal.tenant_id, state.nonce):
        raise invalid("state", "was used already; start 'Add to Slack' again")
    answer = _exchange(code, redirect_uri(settings.public_base_url))
    token = answer.get("access_token")
    hook = answer.get("incoming_webhook") or {}
    channel = hook.get("channel_id") or hook.get("channel")
    if not token or answer.get("token_type", "bot") != "bot" or not channel:
        raise invalid("code", "Slack answered without a bot token and channel; add the app again")
    current = integrations.get_slack(principal.tenant_id)
    kept = slack.slack_public(current) if current is not None and current.mode == "bot" else None
    fields: dict[str, Any] = {
        "mode": "bot",
        "bot_token": str(token),
        "channel": str(channel),
        "alert_urgent": kept.alert_urgent if kept and kept.alert_urgent is not None else True,
        "alert_sla_breaches": kept.alert_sla_breaches if kept and kept.alert_sla_breaches is not None else True,
        "unassigned_after_minutes": kept.unassigned_after_minutes if kept else None,
    }
    return slack.put_connection(principal, fields)


def _exchange(code: str, redirect: str) -> dict[str, Any]:
    from slack_sdk import WebClient  # imported when first used: keeps it off the API's cold start
    from slack_sdk.errors import SlackApiError

    settings = get_settings()
    client = WebClient(base_url=settings.slack_api_url, timeout=slack.TIMEOUT_SECONDS)
    try:
        response = client.oauth_v2_access(
            client_id=settings.slack_client_id,
            client_secret=slack_client_secret(),
            code=code,
            redirect_uri=redirect,
        )
    except SlackApiError as error:
        reason = error.response.get("error", "refused") if error.response is not None else "refused"
        raise invalid("code", f"was refused by Slack ({reason}); add the app again") from error
    return dict(response.data) if isinstance(response.data, dict) else {}


def _session_of(principal: Principal) -> str:
    # an API key has no sign-in session: its flow is bound to the key itself
    return principal.session_id or f"key:{principal.id}"
