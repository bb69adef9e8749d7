"""Answers of 'Add to Slack'."""

from __future__ import annotations

from pydantic import Field

from chalicelib.contracts.responses import Output


class SlackOAuthOut(Output):
    available: bool = Field(description="Whether this Pulsedesk has a Slack app to add; otherwise paste a token")


class SlackOAuthStartOut(Output):
    authorize_url: str = Field(description="Send the admin's browser here (Slack's OAuth v2 authorize page)")
    expires_at: str = Field(description="The state in the URL works until then, once, for this sign-in only")
