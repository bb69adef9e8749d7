"""The demo workspace ``demo``: one user of each role (three agents) and ~200 realistic tickets.

Seeding goes through the same services as the API, so every ticket has its history, audit
events and search postings, exactly as if a team had worked it. Idempotent: a second run only
prints the logins.
"""

from __future__ import annotations

import random
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.contracts.responses import TicketOut
from chalicelib.data import contacts, identity
from chalicelib.data import tickets as tickets_repo
from chalicelib.data.store import new_id
from chalicelib.data.ticket_changes import commit, retrying
from chalicelib.domain.actors import Actor, EmailRequester
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import Conflict
from chalicelib.domain.permissions import permissions_for_role
from chalicelib.domain.principal import Principal
from chalicelib.domain.ticket_change import AddComment, CreateTicket, Requester, TicketChange, UpdateTicket, decide
from chalicelib.services import (
    assignment,
    comments,
    macros,
    queues,
    signup,
    sla_policies,
    ticket_reads,
    ticket_writes,
    users,
)
from chalicelib.services.sla_context import sla_context
from infra.local.seed_articles import seed_articles

SLUG = "demo"
CAPACITY = 45
MANUAL_QUEUES = {"billing": False}  # billing waits for a lead to assign it: the demo shows both ways
PASSWORD = "lantern-harbour-demo"
TICKETS = 200
# Tickets lived over the past weeks, so the Performance page has periods to compare: created, answered
# and solved at past times, through the one write path (decide, then commit), folded by the stream.
PAST_TICKETS = 240
PAST_DAYS = 60
PEOPLE = [
    ("admin", "Ada Admin", "admin@example.com", ["billing", "technical", "support"]),
    ("lead", "Lena Lead", "lead@example.com", ["billing", "technical", "support"]),
    ("agent", "Arjun Agent", "agent@example.com", ["support", "technical"]),
    ("agent", "Bea Agent", "bea@example.com", ["billing", "support"]),
    ("agent", "Carlos Agent", "carlos@example.com", ["technical"]),
    ("viewer", "Vera Viewer", "viewer@example.com", []),
]
QUEUES = [  # defined after the tickets are worked: billing is then left to the people with the skill
    ("billing", "Invoices, refunds, plans and payments", ["admin@example.com", "lead@example.com", "bea@example.com"]),
    ("support", "How-to questions and accounts", []),
    ("technical", "Bugs, outages and integrations", []),
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


# Shared macros (by the lead): what agents apply most, from the ticket page with Ctrl/Cmd+K.
DEMO_MACROS: list[dict[str, Any]] = [
    {
        "name": "Ask for details",
        "shared": True,
        "actions": [{"type": "set_status", "status": "pending"}, {"type": "add_tags", "tags": ["needs-info"]}],
        "reply": {
            "body": "Hi {{ requester.first_name }},\n\nThanks for your message about “{{ ticket.subject }}”. "
            "Could you tell us the exact time it happened and the email of the account?\n\n{{ agent.name }}",
            "public": True,
        },
    },
    {
        "name": "Solved: fix released",
        "shared": True,
        "actions": [{"type": "set_status", "status": "solved"}, {"type": "remove_tags", "tags": ["needs-info"]}],
        "reply": {
            "body": "Hi {{ requester.first_name }},\n\nWe have released a fix for #{{ ticket.number }}. "
            "Reply to this email if anything still looks wrong.\n\nBest,\n{{ agent.name }}",
            "public": True,
        },
    },
    {
        "name": "Escalate to technical",
        "shared": True,
        "actions": [
            {"type": "set_queue", "queue": "technical"},
            {"type": "set_priority", "priority": "high"},
            {"type": "set_assignee", "assignee": "router"},
        ],
        "reply": {"body": "Escalated by {{ agent.name }}: needs an engineer's look.", "public": False},
    },
]


def seed() -> list[tuple[str, str, str]]:
    """Creates what is missing: the people, then tickets up to TICKETS (a crash resumes here)."""
    admin, workers = _people()
    seed_articles(admin)
    already = tickets_repo.ticket_count(admin.tenant_id)
    if already < TICKETS:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda n: _create_ticket(random.Random(n), admin, workers), range(already, TICKETS)))
    _seed_macros(next(w for w in workers if w.role == "lead"))
    _queues(admin)
    now = utcnow()
    for n in range(PAST_TICKETS):  # one at a time: each commit moves an agent's load counter
        _past_ticket(random.Random(10_000 + n), n, admin, workers, now)
    # the stream keeps contacts (and counts their tickets); made here too so the portal works at once
    for name, email in REQUESTERS:
        contacts.ensure_contact(admin.tenant_id, email, name, utcnow())
    return [(role, email, PASSWORD) for role, _, email, _ in PEOPLE]


def _seed_macros(lead: Principal) -> None:
    existing = {m.name for m in macros.list_macros(lead).items}
    for macro in DEMO_MACROS:
        if macro["name"] not in existing:
            macros.create_macro(lead, macro)


def _queues(admin: Principal) -> None:
    defined = {q.name for q in queues.list_queues(admin).items}
    for name, description, emails in QUEUES:
        if name in defined:
            continue
        members = [u.user_id for e in emails if (u := identity.find_user_by_email(admin.tenant_id, e)) is not None]
        queues.create_queue(admin, {"name": name, "description": description, "member_ids": members})


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
    _seed_rules(admin)
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


def _past_ticket(rng: random.Random, n: int, admin: Principal, workers: list[Principal], now: datetime) -> None:
    """A ticket created days ago, answered and solved (some reopened and solved again) at past times.
    Later weeks are answered faster than earlier ones, so the goal cards have a trend to show. Its id
    is derived from ``n``, so a seed run again (or resumed) makes only the missing ones."""
    tenant_id = admin.tenant_id
    ticket_id = uuid.uuid5(uuid.NAMESPACE_URL, f"pulsedesk-demo-past-ticket-{n}").hex
    if tickets_repo.get_ticket(tenant_id, ticket_id) is not None:
        return
    sla = sla_context(tenant_id)
    age = rng.random() ** 0.8  # 0 = now, 1 = PAST_DAYS ago; a little denser near today
    at = now - timedelta(days=1 + age * (PAST_DAYS - 1), seconds=rng.randrange(3600))
    speed = 0.5 + age  # older tickets took longer
    subject, queue, tags = rng.choice(SUBJECTS)
    requester_name, requester_email = rng.choice(REQUESTERS)
    agent = rng.choice(workers)
    request = CreateTicket(
        ticket_id=ticket_id,
        number=tickets_repo.next_ticket_number(tenant_id),
        subject=subject,
        description=rng.choice(DETAILS).format(what=subject.lower()),
        requester=Requester(requester_email, requester_name),
        priority=rng.choices(["low", "normal", "high", "urgent"], weights=[2, 6, 3, 1])[0],
        queue=queue,
        tags=tuple(tags),
        assignee_id=agent.id,
        channel=rng.choice(["web", "email", "api"]),
    )
    steps: list[tuple[float, Actor, Any]] = [
        (rng.lognormvariate(8.3, 1.0) * speed, agent.as_actor(), AddComment(new_id(), rng.choice(REPLIES), True)),
        (rng.lognormvariate(10.2, 0.9) * speed, agent.as_actor(), UpdateTicket(status="solved")),
    ]
    if rng.random() < 0.12:
        customer = EmailRequester(requester_email, requester_name)
        steps += [
            (rng.lognormvariate(9, 1), customer, AddComment(new_id(), "It is happening again.", True)),
            (rng.lognormvariate(8, 1) * speed, agent.as_actor(), AddComment(new_id(), rng.choice(REPLIES), True)),
            (rng.lognormvariate(9, 1) * speed, agent.as_actor(), UpdateTicket(status="solved")),
        ]
    change = decide(None, admin.as_actor(), request, at, sla)
    assert change is not None
    _commit(tenant_id, change)
    ticket = replace(change.after, version=1)
    for seconds, actor, step in steps:
        at = min(at + timedelta(seconds=seconds), now - timedelta(minutes=5))
        change = decide(ticket, actor, step, at, sla)
        if change is None:
            continue
        _commit(tenant_id, change)
        ticket = replace(change.after, version=(ticket.version or 0) + 1)


def _commit(tenant_id: str, change: TicketChange) -> None:
    # only the agent's load counter races here (the seed's threads share the agents)
    retrying(lambda: commit(tenant_id, change), "The agent's workload kept changing.")


def _work(rng: random.Random, agent: Principal, ticket_id: str, outcome: str) -> None:
    comments.add_comment(agent, ticket_id, comments.Reply(rng.choice(REPLIES), public=True))
    if rng.random() < 0.4:
        comments.add_comment(agent, ticket_id, comments.Reply(rng.choice(NOTES), public=False))
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


# Two example rules (issue 16): one on events, one on time.
DEMO_RULES: list[dict[str, Any]] = [
    {
        "name": "Urgent from VIP customer Northwind → technical, tagged vip",
        "kind": "event",
        "triggers": [{"event": "created"}, {"event": "updated", "field": "priority", "changed_to": "urgent"}],
        "conditions": {
            "all": [
                {"field": "priority", "op": "is", "value": "urgent"},
                {"field": "requester_domain", "op": "is", "value": "northwind.example"},
            ]
        },
        "actions": [
            {"type": "set_queue", "queue": "technical"},
            {"type": "add_tags", "tags": ["vip"]},
            {"type": "add_note", "body": "VIP: {{ requester.name }} ({{ requester.email }}) is a Northwind customer."},
        ],
    },
    {
        "name": "Close solved tickets after 5 days",
        "kind": "time",
        "conditions": {
            "all": [
                {"field": "status", "op": "is", "value": "solved"},
                {"field": "hours_since_solved", "op": "at_least", "value": 120},
            ]
        },
        "actions": [{"type": "set_status", "status": "closed"}],
    },
]


def _seed_rules(admin: Principal) -> None:
    from chalicelib.domain.rules import RuleDefinition
    from chalicelib.services import rules_admin

    if not rules_admin.list_rules(admin).rules:
        for rule in DEMO_RULES:
            rules_admin.create_rule(admin, RuleDefinition.model_validate(rule))
