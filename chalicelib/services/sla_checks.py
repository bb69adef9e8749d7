"""SLA breaches: a check queued for each deadline, which announces the breach once if the ticket
missed it."""

from __future__ import annotations

from datetime import datetime

from chalicelib.data import identity, tickets
from chalicelib.domain.clock import to_text
from chalicelib.domain.delivery import Job
from chalicelib.domain.events import sla_breached
from chalicelib.domain.sla import CHECK_AHEAD, missed_deadline
from chalicelib.services.delivery_queue import enqueue
from chalicelib.services.notification_planning import Planner, sla_check_job
from chalicelib.services.presenters import ticket_snapshot


def queue_sla_checks(now: datetime) -> int:
    """Run by the scheduler: queues a check for every deadline up to CHECK_AHEAD from now that the
    previous run did not cover. Returns how many checks were queued."""
    queued = 0
    until = now + CHECK_AHEAD
    for entry in identity.all_registry_entries():
        since = entry.sla_checks_until or now  # a new workspace: earlier deadlines predate the checks
        due = [ticket_snapshot(t) for t in tickets.tickets_due_between(entry.tenant_id, since, until)]
        queued += enqueue(sla_check_job(entry.tenant_id, t) for t in due)
        identity.mark_sla_checks_queued(entry, until)
    return queued


def check_sla(job: Job, now: datetime) -> int:
    """The deadline a check was queued for has come: announce the breach if the ticket missed it."""
    ticket = tickets.get_ticket(job.tenant_id, job.target)
    if ticket is None or not missed_deadline(ticket_snapshot(ticket), str(job.extra["due_at"]), now):
        return 0
    return enqueue(Planner().jobs([sla_breached(job.tenant_id, ticket_snapshot(ticket), to_text(now))]))
