"""The first-run checklist: read from the workspace's own state, marked, dismissed; and the sample
tickets an admin may add to try the desk and take away again."""

from __future__ import annotations

from chalicelib.contracts.onboarding import OnboardingOut, OnboardingStepOut
from chalicelib.data import identity, integrations, invitations
from chalicelib.data import onboarding as repo
from chalicelib.data import tickets as ticket_repo
from chalicelib.data.models import OnboardingItem
from chalicelib.data.store import TransactionConflict, new_id
from chalicelib.data.ticket_changes import commit, retrying, ticket_of
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import Conflict, invalid
from chalicelib.domain.onboarding import (
    MARKABLE,
    SAMPLE_TAG,
    SAMPLE_TICKETS,
    STEP_IDS,
    WorkspaceFacts,
    checklist,
)
from chalicelib.domain.principal import Principal
from chalicelib.domain.ticket_change import CreateTicket, Requester, TicketChange, UpdateTicket, create, update
from chalicelib.services.sla_context import sla_context


def get_checklist(principal: Principal) -> OnboardingOut:
    return _present(principal.tenant_id, repo.get_state(principal.tenant_id))


def mark_step(principal: Principal, step: str, done: bool) -> OnboardingOut:
    if step not in STEP_IDS:
        raise invalid("step", f"is not a step of the checklist: {step}")
    if step not in MARKABLE:
        raise invalid("step", "is ticked by what the workspace does (an invitation sent, Slack connected)")
    at = utcnow() if done else None
    action = "onboarding.step_marked" if done else "onboarding.step_unmarked"
    repo.set_marked(principal.tenant_id, step, at, _audit(principal, action, {"step": step}))
    return get_checklist(principal)


def set_dismissed(principal: Principal, dismissed: bool) -> OnboardingOut:
    action = "onboarding.dismissed" if dismissed else "onboarding.restored"
    repo.set_dismissed(principal.tenant_id, utcnow() if dismissed else None, _audit(principal, action, {}))
    return get_checklist(principal)


def add_sample_tickets(principal: Principal, count: int) -> OnboardingOut:
    """A handful of realistic tickets, each created through the one write path by the admin, tagged
    ``sample``; their requesters are at example.com and are never emailed (domain/recipients.py)."""
    tenant_id = principal.tenant_id
    samples = SAMPLE_TICKETS[:count]
    ids = [new_id() for _ in samples]
    try:
        repo.claim_samples(tenant_id, ids, _audit(principal, "onboarding.samples_added", {"count": len(ids)}))
    except TransactionConflict as error:
        raise Conflict("Sample tickets are already in the workspace; remove them first.") from error
    sla = sla_context(tenant_id)
    for ticket_id, sample in zip(ids, samples, strict=True):
        request = CreateTicket(
            ticket_id=ticket_id,
            number=ticket_repo.next_ticket_number(tenant_id),
            subject=sample.subject,
            description=sample.description,
            requester=Requester(sample.requester_email, sample.requester_name),
            priority=sample.priority,
            queue="support",
            tags=(SAMPLE_TAG,),
            assignee_id=None,
            channel="web",
        )
        _create_sample(tenant_id, create(principal.as_actor(), request, utcnow(), sla))
    return get_checklist(principal)


def _create_sample(tenant_id: str, change: TicketChange) -> None:
    retrying(lambda: commit(tenant_id, change), "The sample tickets could not be saved; try again.")


def remove_sample_tickets(principal: Principal) -> OnboardingOut:
    """Each sample ticket is solved and closed by typed changes, never deleted: its number is never
    reused and its history and audit stay true. Closed, it leaves every working view."""
    tenant_id = principal.tenant_id
    state = repo.get_state(tenant_id)
    for ticket_id in state.sample_ticket_ids or ():
        for status in ("solved", "closed"):
            _move_sample(principal, str(ticket_id), status)
    repo.forget_samples(tenant_id, _audit(principal, "onboarding.samples_removed", {}))
    return get_checklist(principal)


def _move_sample(principal: Principal, ticket_id: str, status: str) -> None:
    def attempt() -> None:
        item = ticket_repo.get_ticket(principal.tenant_id, ticket_id)
        if item is None or item.status == status or (status == "solved" and item.status == "closed"):
            return
        sla = sla_context(principal.tenant_id)
        change = update(ticket_of(item), principal.as_actor(), UpdateTicket(status=status), utcnow(), sla)
        if change is not None:
            commit(principal.tenant_id, change)

    retrying(attempt, "A sample ticket is changing too fast; try again.")


def _present(tenant_id: str, state: OnboardingItem) -> OnboardingOut:
    email_seen = state.email_seen_at is not None
    if not email_seen and "email" in repo.newest_channels(tenant_id):
        repo.remember_email_seen(tenant_id, utcnow())
        email_seen = True
    facts = WorkspaceFacts(
        members=sum(1 for user in identity.all_users(tenant_id) if user.active),
        invitations=len(invitations.list_invitations(tenant_id)),
        email_ticket_seen=email_seen,
        slack_connected=integrations.get_slack(tenant_id) is not None,
        marked=repo.marked_steps(state),
    )
    steps = checklist(facts)
    return OnboardingOut(
        steps=[
            OnboardingStepOut(
                id=s.id,
                title=s.title,
                why=s.why,
                link=s.link,
                link_label=s.link_label,
                done=s.done,
                done_because=s.done_because,
                markable=s.markable,
            )
            for s in steps
        ],
        done=sum(1 for s in steps if s.done),
        total=len(steps),
        dismissed=state.dismissed_at is not None,
        sample_ticket_count=len(state.sample_ticket_ids or ()),
    )


def _audit(principal: Principal, action: str, after: dict[str, object]) -> AuditEntry:
    return AuditEntry(principal.as_actor(), action, AuditTarget("onboarding", "checklist"), None, after)
