"""'Add to Slack' by Slack's OAuth v2; the token paste (integrations_routes) stays as the fallback."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from chalicelib.api.routing import Call, Router
from chalicelib.api.schemas import Input
from chalicelib.contracts.responses import SlackConnectionOut
from chalicelib.contracts.slack_oauth import SlackOAuthOut, SlackOAuthStartOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="integrations")
MANAGE = Permission.INTEGRATIONS_MANAGE


class SlackOAuthCallbackIn(Input):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,255}$")] = Field(
        description="The code Slack put on the redirect"
    )
    state: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,1024}$")] = Field(
        description="The state Slack sent back, as it came"
    )


@router.route(
    "/integrations/slack/oauth",
    "GET",
    access=MANAGE,
    response=SlackOAuthOut,
    summary="Whether 'Add to Slack' is available on this deployment",
)
def oauth_available(call: Call[Any, Any]) -> SlackOAuthOut:
    from chalicelib.services import slack_oauth

    return slack_oauth.availability()


@router.route(
    "/integrations/slack/oauth/start",
    "POST",
    access=MANAGE,
    response=SlackOAuthStartOut,
    summary="Start 'Add to Slack': Slack's authorize URL with a state bound to this sign-in (10 min, once)",
)
def oauth_start(call: Call[Any, Any]) -> SlackOAuthStartOut:
    from chalicelib.services import slack_oauth

    return slack_oauth.start(call.principal)


@router.route(
    "/integrations/slack/oauth/callback",
    "POST",
    access=MANAGE,
    body=SlackOAuthCallbackIn,
    response=SlackConnectionOut,
    summary="Finish 'Add to Slack': the code and state from Slack's redirect, sent by the same signed-in admin",
)
def oauth_callback(call: Call[SlackOAuthCallbackIn, Any]) -> SlackConnectionOut:
    from chalicelib.services import slack_oauth

    return slack_oauth.finish(call.principal, call.body.code, call.body.state)
