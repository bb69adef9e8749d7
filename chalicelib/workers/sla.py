"""Stream triggers of the SLA clock: re-plan the open tickets when the workspace's SLA settings
change, and check at once a deadline that a write moved where the scheduled sweep has already been."""

from __future__ import annotations

from chalicelib.data.models import SlaSettingsItem, TicketItem
from chalicelib.domain.clock import utcnow
from chalicelib.domain.sla import needs_early_check
from chalicelib.services.delivery_queue import enqueue
from chalicelib.services.notification_planning import sla_check_job
from chalicelib.services.presenters import ticket_snapshot
from chalicelib.services.sla_replanning import replan_open_tickets
from chalicelib.workers.stream import ItemChange


def replan_on_settings_change(change: ItemChange) -> None:
    new, old = change.new, change.old
    if not isinstance(new, SlaSettingsItem):
        return
    before = old if isinstance(old, SlaSettingsItem) else None
    policies_changed = before is None or (before.policies or []) != (new.policies or [])
    hours_changed = before is None or before.business_hours != new.business_hours
    if policies_changed or hours_changed:
        reason = "sla policies changed" if policies_changed else "business hours changed"
        replan_open_tickets(new.tenant_id, reason)


def check_moved_deadline(change: ItemChange) -> int:
    """A re-plan, or the requester's message that starts a next-reply target, moves ``sla_due_at``
    without a status or priority event (whose planning queues this check itself): when the new
    deadline is within the sweep's reach or past, queue its check now. A duplicate check is
    harmless: a breach is announced once per deadline."""
    new, old = change.new, change.old
    if not isinstance(new, TicketItem) or not isinstance(old, TicketItem) or change.event_name == "INSERT":
        return 0
    if new.sla_due_at is None or new.sla_due_at == old.sla_due_at:
        return 0
    if new.status != old.status or new.priority != old.priority:
        return 0
    ticket = ticket_snapshot(new)
    if not needs_early_check(ticket, utcnow()):
        return 0
    return enqueue([sla_check_job(new.tenant_id, ticket)])
