"""Slack's interactive "Take it" button, as plain data: what the button carries and what a press
of it asks for. Pure code; verification and the assignment happen in the service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.errors import BadRequest
from chalicelib.domain.notification_templates import TAKE_ACTION


@dataclass(frozen=True)
class TakeAction:
    tenant_id: str
    ticket_id: str
    slack_user_id: str
    response_url: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


def take_value(tenant_id: str, ticket_id: str) -> str:
    """The button's value. It names the workspace, so the request can be checked against that
    workspace's signing secret before anything in it is believed."""
    return f"{tenant_id}:{ticket_id}"


def parse_take_action(payload: Mapping[str, Any]) -> TakeAction | None:
    """The "Take it" press in a ``block_actions`` payload, or None for any other interaction."""
    if payload.get("type") != "block_actions":
        return None
    actions = [a for a in _list(payload.get("actions")) if isinstance(a, dict)]
    action = next((a for a in actions if a.get("action_id") == TAKE_ACTION), None)
    if action is None:
        return None
    tenant_id, _, ticket_id = str(action.get("value") or "").partition(":")
    user_id = _dict(payload.get("user")).get("id")
    response_url = payload.get("response_url")
    if not (tenant_id and ticket_id and isinstance(user_id, str) and isinstance(response_url, str)):
        raise BadRequest("The Slack interaction is missing its value, user or response_url.")
    blocks = [b for b in _list(_dict(payload.get("message")).get("blocks")) if isinstance(b, dict)]
    return TakeAction(tenant_id, ticket_id, user_id, response_url, blocks)


def _dict(value: Any) -> Mapping[str, Any]:
    """The request is not yet verified when it is parsed: any shape may arrive."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
