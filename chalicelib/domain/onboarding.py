"""The first-run checklist: what a new workspace still has to set up, each step ticked from the
workspace's own state, plus the sample tickets that let a team try the desk before mail arrives.
Pure code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

StepId = Literal["invite_team", "tickets_arrive", "connect_slack", "review_routing", "review_sla"]
STEP_IDS: tuple[StepId, ...] = ("invite_team", "tickets_arrive", "connect_slack", "review_routing", "review_sla")
# Steps a fact cannot tick by itself: there is nothing to observe when an admin read the routing
# or SLA settings and found them right, or set up a channel no customer has used yet.
MARKABLE: frozenset[str] = frozenset({"tickets_arrive", "review_routing", "review_sla"})

SAMPLE_TAG = "sample"


@dataclass(frozen=True)
class WorkspaceFacts:
    members: int  # active people, the admin included
    invitations: int  # sent and not yet accepted
    email_ticket_seen: bool
    slack_connected: bool
    marked: frozenset[str]  # steps an admin marked done


@dataclass(frozen=True)
class Step:
    id: StepId
    title: str
    why: str
    link: str
    link_label: str
    done: bool
    done_because: str | None  # what ticked it, in words
    markable: bool


def checklist(facts: WorkspaceFacts) -> tuple[Step, ...]:
    invited = facts.members > 1 or facts.invitations > 0
    arrived = facts.email_ticket_seen or "tickets_arrive" in facts.marked
    return (
        Step(
            "invite_team",
            "Invite your team",
            "Agents answer tickets, leads balance the work, viewers read along.",
            "/team",
            "Invite people",
            invited,
            _invited_because(facts) if invited else None,
            False,
        ),
        Step(
            "tickets_arrive",
            "Set up how tickets arrive",
            "Customers write to your support address, or use the portal and the web form on your site.",
            "/settings/email",
            "See your support address",
            arrived,
            ("An email reached your support address." if facts.email_ticket_seen else "Marked as set up.")
            if arrived
            else None,
            True,
        ),
        Step(
            "connect_slack",
            "Connect Slack",
            "Urgent tickets and SLA breaches are posted to a channel your team watches.",
            "/settings/integrations",
            "Add to Slack",
            facts.slack_connected,
            "Slack is connected." if facts.slack_connected else None,
            False,
        ),
        Step(
            "review_routing",
            "Review routing",
            "Choose which queues assign tickets automatically and how much work each agent takes.",
            "/settings/routing",
            "Open routing",
            "review_routing" in facts.marked,
            "Marked as reviewed." if "review_routing" in facts.marked else None,
            True,
        ),
        Step(
            "review_sla",
            "Review your SLA",
            "Set the response and resolution targets the ticket badges count down to.",
            "/settings/sla",
            "Open SLA settings",
            "review_sla" in facts.marked,
            "Marked as reviewed." if "review_sla" in facts.marked else None,
            True,
        ),
    )


def _invited_because(facts: WorkspaceFacts) -> str:
    if facts.members > 1:
        return f"{facts.members} people are in the workspace."
    return f"{facts.invitations} invitation{'s' if facts.invitations != 1 else ''} sent."


@dataclass(frozen=True)
class SampleTicket:
    subject: str
    description: str
    requester_name: str
    requester_email: str  # at example.com (RFC 2606): no real person is ever emailed
    priority: str


SAMPLE_TICKETS: tuple[SampleTicket, ...] = (
    SampleTicket(
        "Can't sign in after the password change",
        "Hi, I changed my password this morning and now the sign-in page says my details are wrong. "
        "I have a client call in an hour. Can you help?",
        "Maya Lindqvist",
        "maya.lindqvist@example.com",
        "high",
    ),
    SampleTicket(
        "Invoice INV-2043 charged twice",
        "Our card was charged twice for the November invoice (INV-2043). Please refund the duplicate.",
        "Omar Haddad",
        "omar.haddad@example.com",
        "urgent",
    ),
    SampleTicket(
        "How do I export my reports to CSV?",
        "Is there a way to download the monthly report as a spreadsheet? I looked under Settings.",
        "Priya Raman",
        "priya.raman@example.com",
        "normal",
    ),
    SampleTicket(
        "Feature idea: dark mode",
        "Love the product. Our night shift would really appreciate a dark theme.",
        "Lucas Moreau",
        "lucas.moreau@example.com",
        "low",
    ),
    SampleTicket(
        "Shipment stuck in customs for 6 days",
        "Order #55120 has been 'held at customs' since Monday. Do you need documents from me?",
        "Aiko Tanaka",
        "aiko.tanaka@example.com",
        "normal",
    ),
)
