"""Answers of the suppression routes: addresses SES reported as bounced for good or complaining."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.contracts.responses import Output


class SuppressionOut(Output):
    address: str
    reason: Literal["bounce", "complaint"] = Field(
        description="bounce: the mailbox does not exist (a permanent bounce); complaint: marked as spam"
    )
    detail: str = Field(description="What the receiving server said (a bounce's diagnostic, a complaint's type)")
    at: str = Field(description="When SES reported it")


class SuppressionListOut(Output):
    items: list[SuppressionOut]
    next_cursor: str | None


class RequesterEmailOut(Output):
    address: str = Field(description="The ticket's requester")
    suppression: SuppressionOut | None = Field(
        description="Set while the address is suppressed: replies on this ticket are not emailed to it"
    )
