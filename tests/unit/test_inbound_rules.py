"""The rules email in adds to notifications and the lifecycle: no mail back to a machine or to
the requester about their own message, nothing at all about spam, and what a requester's reply
does to the status."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.domain.events import DomainEvent
from chalicelib.domain.recipients import Recipient, email_targets, is_spam
from chalicelib.domain.tickets import TicketState, after_reply

REQUESTER = {"email": "ada@customer.example", "name": "Ada"}
BY_EMAIL = {"type": "requester", "id": "ada@customer.example", "name": "Ada", "channel": "email"}
AGENT_ACTOR = {"type": "user", "id": "u-agent", "name": "Bo"}
ASSIGNEE = Recipient("bo@team.example", "Bo", "u-assignee")
NOW = datetime(2026, 11, 30, tzinfo=UTC)


def event(kind: str, actor: dict[str, str], tags: list[str] | None = None, **fields: Any) -> DomainEvent:
    ticket = {"id": "tk1", "number": 7, "subject": "Hi", "status": "open", "requester": REQUESTER, "tags": tags or []}
    return DomainEvent("evt", kind, "t1", "2026-11-30T00:00:00Z", actor, ticket, **fields)


def test_the_requesters_own_email_reply_sends_them_nothing_but_tells_the_assignee() -> None:
    reply = event("comment.created", BY_EMAIL, comment={"public": True, "body": "thanks"})
    assert [(t.template, t.email) for t in email_targets(reply, ASSIGNEE)] == [("commented", "bo@team.example")]


def test_an_agents_reply_still_reaches_the_requester() -> None:
    reply = event("comment.created", AGENT_ACTOR, comment={"public": True, "body": "try this"})
    assert [t.email for t in email_targets(reply, None)] == ["ada@customer.example"]


def test_a_ticket_a_machine_wrote_gets_no_email_back() -> None:
    reply = event("comment.created", AGENT_ACTOR, ["auto-reply"], comment={"public": True, "body": "hello"})
    solved = event(
        "ticket.status_changed", AGENT_ACTOR, ["auto-reply"], changes={"status": {"from": "open", "to": "solved"}}
    )
    assert email_targets(reply, None) == [] and email_targets(solved, None) == []


def test_spam_is_recognised_by_its_tag() -> None:
    assert is_spam({"tags": ["spam"]}) and not is_spam({"tags": ["vip"]}) and not is_spam({})


@pytest.mark.parametrize(
    ("status", "by_agent", "after"),
    [
        ("new", False, "new"),  # the requester adding detail leaves it waiting for a first look
        ("pending", False, "open"),  # the answer an agent waited for
        ("solved", False, "open"),  # reopened
        ("on_hold", False, "on_hold"),
        ("new", True, "open"),
        ("pending", True, "pending"),
        ("solved", True, "open"),
    ],
)
def test_what_a_public_reply_does_to_the_status(status: str, by_agent: bool, after: str) -> None:
    state = TicketState(status=status, priority="normal", created_at=NOW)
    assert after_reply(state, public=True, by_agent=by_agent, now=NOW).status == after
