"""The demo workspace ``demo``: one user of each role (three agents) and ~200 realistic tickets.

Seeding goes through the same services as the API, so every ticket has its history, audit
events and search postings, exactly as if a team had worked it. Idempotent: a second run only
prints the logins.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalicelib.contracts.responses import TicketOut
from chalicelib.data import contacts, identity
from chalicelib.data import tickets as tickets_repo
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import Conflict
from chalicelib.domain.permissions import permissions_for_role
from chalicelib.domain.principal import Principal
from chalicelib.services import assignment, comments, signup, sla_policies, ticket_reads, ticket_writes, users

SLUG = "demo"
CAPACITY = 45
MANUAL_QUEUES = {"billing": False}  # billing waits for a lead to assign it: the demo shows both ways
PASSWORD = "lantern-harbour-demo"
TICKETS = 200
PEOPLE = [
    ("admin", "Ada Admin", "admin@example.com", ["billing", "technical", "support"]),
    ("lead", "Lena Lead", "lead@example.com", ["billing", "technical", "support"]),
    ("agent", "Arjun Agent", "agent@example.com", ["support", "technical"]),
    ("agent", "Bea Agent", "bea@example.com", ["billing", "support"]),
    ("agent", "Carlos Agent", "carlos@example.com", ["technical"]),
    ("viewer", "Vera Viewer", "viewer@example.com", []),
]
SUBJECTS = [
    ("Cannot log in after password reset", "technical", ["login", "account"]),
    ("Invoice shows the wrong VAT number", "billing", ["invoice", "vat"]),
    ("Refund for duplicate charge", "billing", ["refund", "payment"]),
    ("Export to CSV times out", "technical", ["export", "performance"]),
    ("How do I add a teammate?", "support", ["how-to", "account"]),
    ("Two-factor codes not arriving", "technical", ["2fa", "login"]),
    ("Upgrade to the annual plan", "billing", ["plan", "upgrade"]),
    ("Webhook deliveries failing with 500", "technical", ["webhooks", "api"]),
    ("Mobile app crashes on startup", "technical", ["mobile", "crash"]),
    ("Change the billing email address", "billing", ["account", "invoice"]),
    ("Feature request: dark mode", "support", ["feature-request"]),
    ("Data import stuck at 99%", "technical", ["import"]),
    ("Cancel my subscription", "billing", ["cancellation"]),
    ("API rate limit too low for our sync", "technical", ["api", "limits"]),
    ("Where can I download past receipts?", "billing", ["invoice", "how-to"]),
    ("Search does not find archived projects", "technical", ["search"]),
    ("SSO with Okta not working", "technical", ["sso", "login"]),
    ("Team member left, transfer ownership", "support", ["account"]),
    ("Card declined although funds are available", "billing", ["payment"]),
    ("Emails from you land in spam", "support", ["email", "deliverability"]),
]
REQUESTERS = [
    ("Maya Chen", "maya@northwind.example"),
    ("Tom Becker", "tom@contoso.example"),
    ("Priya Nair", "priya@fabrikam.example"),
    ("Luis García", "luis@tailspin.example"),
    ("Emma Wilson", "emma@adventure.example"),
    ("Kenji Sato", "kenji@wingtip.example"),
    ("Fatima Zahra", "fatima@litware.example"),
    ("Olivia Brown", "olivia@proseware.example"),
]
# The demo's customer for the portal (issue 15): has tickets from the start; signs in by emailed link.
PORTAL_REQUESTER = REQUESTERS[0][1]
DETAILS = [
    "Since this morning {what}. We tried clearing the cache and another browser; same result.",
    "Hello team, {what}. This blocks our month-end close, please advise.",
    "Hi, {what}. Screenshot attached in the portal. Thanks for looking into it!",
]
REPLIES = [
    "Thanks for reaching out! I'm looking into this now and will update you shortly.",
    "Could you tell us the exact time it happened and the account email?",
    "We've found the cause and rolled out a fix. Can you confirm it works for you now?",
]
NOTES = [
    "Looks like the known issue from last week's release.",
    "Escalating to engineering; see incident log.",
]


# Billing answers in business hours (weekdays 09:00-17:00 UTC, the default hours).
DEMO_SLA_POLICY = {
    "name": "Billing, business hours",
    "queue": "billing",
    "tag": None,
    "business_hours": True,
    "targets": {
        priority: {"first_response_minutes": first, "next_reply_minutes": first * 2, "resolution_minutes": first * 8}
        for priority, first in (("urgent", 60), ("high", 120), ("normal", 240), ("low", 480))
    },
}


def seed() -> list[tuple[str, str, str]]:
    """Creates what is missing: the people, then tickets up to TICKETS (a crash resumes here)."""
    admin, workers = _people()
    already = tickets_repo.ticket_count(admin.tenant_id)
    if already < TICKETS:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda n: _create_ticket(random.Random(n), admin, workers), range(already, TICKETS)))
    # the stream keeps contacts (and counts their tickets); made here too so the portal works at once
    for name, email in REQUESTERS:
        contacts.ensure_contact(admin.tenant_id, email, name, utcnow())
    return [(role, email, PASSWORD) for role, _, email, _ in PEOPLE]


def _people() -> tuple[Principal, list[Principal]]:
    _, name, email, _ = PEOPLE[0]
    if identity.tenant_for_slug(SLUG) is None:
        # the operator's way (no emailed link): the demo's admin address is vouched for
        signup.create_confirmed_workspace(
            workspace_name="Demo Support", workspace_slug=SLUG, name=name, email=email, password=PASSWORD
        )
    tenant_id = identity.tenant_for_slug(SLUG)
    assert tenant_id is not None
    admin_user = identity.find_user_by_email(tenant_id, email)
    assert admin_user is not None
    admin = _principal(tenant_id, admin_user.user_id, admin_user.name, admin_user.role)
    if assignment.get_routing(admin)["auto_assign_queues"] != MANUAL_QUEUES:
        assignment.put_routing(admin, {"auto_assign_queues": MANUAL_QUEUES})
    if not sla_policies.list_policies(admin).items:
        sla_policies.create_policy(admin, DEMO_SLA_POLICY)  # the rest keeps the built-in default
    workers = []
    for role, name, email, skills in PEOPLE[1:]:
        user = identity.find_user_by_email(tenant_id, email)
        if user is None:
            created = users.create_user(
                admin,
                {
                    "name": name,
                    "email": email,
                    "role": role,
                    "password": PASSWORD,
                    "skills": skills,
                    "capacity": CAPACITY,
                    "availability": "online",
                },
            )
            user_id = created.id
        else:
            user_id = user.user_id
        if role in ("agent", "lead"):
            workers.append(_principal(tenant_id, user_id, name, role))
    return admin, workers


def _create_ticket(rng: random.Random, admin: Principal, workers: list[Principal]) -> None:
    subject, queue, tags = rng.choice(SUBJECTS)
    requester_name, requester_email = rng.choice(REQUESTERS)
    detail = rng.choice(DETAILS).format(what=subject.lower())
    priority = rng.choices(["low", "normal", "high", "urgent"], weights=[2, 6, 3, 1])[0]
    ticket = ticket_writes.create_ticket(
        admin,
        {
            "subject": subject,
            "description": detail,
            "requester": {"email": requester_email, "name": requester_name},
            "priority": priority,
            "queue": queue,
            "tags": tags,
            "channel": rng.choice(["web", "email", "api"]),
        },
    )
    outcome = rng.choices(["new", "open", "pending", "on_hold", "solved", "closed"], weights=[5, 6, 3, 1, 4, 2])[0]
    if outcome == "new":
        return
    # automatic assignment may take the ticket first (from the stream): whoever has it works it
    assignee = _assign_unless_taken(admin, ticket.id, rng.choice(workers).id)
    agent = next((w for w in workers if w.id == assignee), admin)
    _work(rng, agent, ticket.id, outcome)


def _work(rng: random.Random, agent: Principal, ticket_id: str, outcome: str) -> None:
    comments.add_comment(agent, ticket_id, rng.choice(REPLIES), public=True)
    if rng.random() < 0.4:
        comments.add_comment(agent, ticket_id, rng.choice(NOTES), public=False)
    if outcome in ("pending", "on_hold", "solved", "closed"):
        _change(agent, ticket_id, {"status": "solved" if outcome == "closed" else outcome})
    if outcome == "closed":
        _change(agent, ticket_id, {"status": "closed"})


def _assign_unless_taken(admin: Principal, ticket_id: str, agent_id: str) -> str:
    current: TicketOut = ticket_reads.get_ticket(admin, ticket_id)["ticket"]
    if current.assignee_id is None:
        current = _change(admin, ticket_id, {"assignee_id": agent_id})
    return str(current.assignee_id)


def _change(principal: Principal, ticket_id: str, changes: dict[str, Any]) -> TicketOut:
    """As a well-behaved client does: edit the current version; on a conflict, re-read and re-apply."""
    for _ in range(10):
        current = ticket_reads.get_ticket(principal, ticket_id)["ticket"]
        try:
            return ticket_writes.update_ticket(principal, ticket_id, changes, current.version)
        except Conflict:
            continue
    raise RuntimeError(f"ticket {ticket_id} kept changing")


def _principal(tenant_id: str, user_id: str, name: str, role: str) -> Principal:
    return Principal(
        tenant_id=tenant_id, kind="user", id=user_id, name=name, role=role, permissions=permissions_for_role(role)
    )
