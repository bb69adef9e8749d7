"""The "Take it" button on Slack alerts: a request signed by the workspace's Slack app assigns the
ticket to the Pulsedesk agent whose email matches the Slack user who pressed it, then updates
the alert (or answers only that user when the ticket cannot be taken)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.error import URLError
from urllib.parse import parse_qs

from chalicelib.data import identity, integrations
from chalicelib.data import tickets as ticket_repo
from chalicelib.data.models import SlackIntegrationItem, UserItem
from chalicelib.domain.errors import BadRequest, Conflict, DomainError, Unauthorized
from chalicelib.domain.notification_templates import taken_blocks
from chalicelib.domain.permissions import Permission, permissions_for_role
from chalicelib.domain.principal import Principal
from chalicelib.domain.slack_actions import TakeAction, parse_take_action
from chalicelib.observability import logger
from chalicelib.services import ticket_writes
from chalicelib.services.slack import INCOMING_WEBHOOK_PREFIX, TIMEOUT_SECONDS, slack_user_email
from chalicelib.settings import get_settings

TAKE_ATTEMPTS = 3


def handle_interaction(raw_body: bytes, headers: Mapping[str, str]) -> None:
    action = parse_take_action(_payload(raw_body))
    if action is None:
        return  # "Open ticket" is a link; Slack still tells us it was pressed
    item = integrations.get_slack(action.tenant_id)
    if item is None or not item.signing_secret or not _signed_by(item.signing_secret, raw_body, headers):
        raise Unauthorized("The request is not signed by this workspace's Slack app.")
    _respond(action.response_url, _take(item, action))


def _payload(raw_body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(parse_qs(raw_body.decode())["payload"][0])
    except (KeyError, IndexError, ValueError, UnicodeDecodeError) as error:
        raise BadRequest("Expected Slack's form-encoded 'payload'.") from error
    if not isinstance(payload, dict):
        raise BadRequest("Expected Slack's form-encoded 'payload'.")
    return payload


def _signed_by(secret: str, raw_body: bytes, headers: Mapping[str, str]) -> bool:
    from slack_sdk.signature import SignatureVerifier

    try:
        return SignatureVerifier(secret).is_valid_request(raw_body, dict(headers))
    except ValueError:  # a timestamp that is not a number
        return False


def _take(item: SlackIntegrationItem, action: TakeAction) -> dict[str, Any]:
    """What the alert should say now (replacing it), or a note only the presser sees."""
    user = _agent_behind(item, action)
    if user is None:
        return _only_you(
            "Could not match your Slack account to an active agent of this Pulsedesk workspace "
            "(we look you up by your Slack email; the app needs the users:read.email scope)."
        )
    principal = Principal(action.tenant_id, "user", user.user_id, user.name, user.role, permissions_for_role(user.role))
    if not principal.can(Permission.TICKETS_WRITE):
        return _only_you("Your Pulsedesk role cannot take tickets.")
    for _ in range(TAKE_ATTEMPTS):
        ticket = ticket_repo.get_ticket(action.tenant_id, action.ticket_id)
        if ticket is None:
            return _only_you("This ticket no longer exists.")
        if ticket.assignee_id and ticket.assignee_id != user.user_id:
            owner = identity.get_user(action.tenant_id, ticket.assignee_id)
            return _only_you(f"#{ticket.number} is already taken by {owner.name if owner else 'someone'}.")
        try:
            if ticket.assignee_id is None:
                changes = {"assignee_id": user.user_id}
                ticket_writes.update_ticket(principal, action.ticket_id, changes, int(ticket.version))
        except Conflict:
            continue  # someone changed the ticket meanwhile: look again
        except DomainError as error:
            return _only_you(f"Could not take #{ticket.number}: {error.detail}")
        logger.info("ticket taken from Slack", extra={"tenant_id": action.tenant_id, "ticket_id": action.ticket_id})
        return {
            "replace_original": True,
            "text": f"#{ticket.number} taken by {user.name}",
            "blocks": taken_blocks(action.blocks, user.name),
        }
    return _only_you("The ticket is changing fast; try again.")


def _agent_behind(item: SlackIntegrationItem, action: TakeAction) -> UserItem | None:
    email = slack_user_email(item, action.slack_user_id)
    user = identity.find_user_by_email(action.tenant_id, email) if email else None
    return user if user is not None and user.active else None


def _only_you(text: str) -> dict[str, Any]:
    return {"response_type": "ephemeral", "replace_original": False, "text": text}


def _respond(response_url: str, body: dict[str, Any]) -> None:
    """Answers through the interaction's response_url: only ever a Slack address (the URL comes
    in a verified request, but an outbound call is checked all the same)."""
    from slack_sdk.errors import SlackClientError
    from slack_sdk.webhook import WebhookClient

    if not response_url.startswith(INCOMING_WEBHOOK_PREFIX) and not get_settings().webhook_allow_private_targets:
        raise BadRequest("response_url must be a Slack address.")
    try:
        WebhookClient(response_url, timeout=TIMEOUT_SECONDS).send_dict(body)
    except (SlackClientError, URLError, OSError) as error:  # the take itself stands; Slack shows no update
        logger.warning("Slack response_url failed", extra={"error": str(error)[:300]})
