from __future__ import annotations

from typing import Any

from chalicelib.api.routing import Call, Reply, Router
from chalicelib.api.schemas import SlackConnectionIn, SlackInteractionForm
from chalicelib.contracts.responses import ConnectionTestOut, SlackConnectionOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="integrations")
MANAGE = Permission.INTEGRATIONS_MANAGE


@router.route(
    "/integrations/slack",
    "GET",
    access=MANAGE,
    response=SlackConnectionOut,
    summary="The Slack connection, credentials masked",
)
def get_slack(call: Call[Any, Any]) -> SlackConnectionOut:
    from chalicelib.services import slack

    return slack.get_connection(call.principal)


@router.route(
    "/integrations/slack",
    "PUT",
    access=MANAGE,
    body=SlackConnectionIn,
    response=SlackConnectionOut,
    summary="Connect Slack (a bot token and channel, or an incoming-webhook URL) and choose alerts",
)
def put_slack(call: Call[SlackConnectionIn, Any]) -> SlackConnectionOut:
    from chalicelib.services import slack

    return slack.put_connection(call.principal, call.body.model_dump())


@router.route("/integrations/slack", "DELETE", access=MANAGE, status=204, summary="Disconnect Slack")
def delete_slack(call: Call[Any, Any]) -> Reply:
    from chalicelib.services import slack

    slack.delete_connection(call.principal)
    return Reply(None, 204)


@router.route(
    "/integrations/slack/test",
    "POST",
    access=MANAGE,
    response=ConnectionTestOut,
    summary="Post a sample alert now and report Slack's answer",
)
def test_slack(call: Call[Any, Any]) -> dict[str, Any]:
    from chalicelib.services import slack

    return slack.test_connection(call.principal)


@router.route(
    "/integrations/slack/interactions",
    "POST",
    access="public",
    form=SlackInteractionForm,
    summary="Slack's interactivity request URL: the 'Take it' button (verified with the signing secret)",
)
def slack_interaction(call: Call[Any, Any]) -> dict[str, Any]:
    from chalicelib.services import slack_actions

    slack_actions.handle_interaction(call.raw_body, call.headers)
    return {}
