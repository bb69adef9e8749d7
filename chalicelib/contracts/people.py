"""Answers of the people-lifecycle routes: invitations, my password, my sessions."""

from __future__ import annotations

from pydantic import Field

from chalicelib.contracts.responses import Output, RoleName


class InvitationOut(Output):
    id: str
    email: str
    role: RoleName
    invited_by: str = Field(description="The inviter's name")
    created_at: str
    sent_at: str = Field(description="When the newest link was emailed")
    expires_at: str
    expired: bool = Field(description="The link no longer works: send it again or revoke it")


class InvitationListOut(Output):
    items: list[InvitationOut]
