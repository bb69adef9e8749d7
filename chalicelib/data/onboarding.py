"""The first-run checklist's state, and the workspace facts it is ticked from. Tenant first."""

from __future__ import annotations

from datetime import datetime
from itertools import islice

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.data import keys
from chalicelib.data.models import MainItem, OnboardingItem, TicketItem
from chalicelib.data.store import transaction
from chalicelib.domain.audit import AuditEntry

# A new workspace's first emailed ticket is among its newest few; once seen it is remembered, so an
# old, busy workspace never reads more than this either.
NEWEST_TICKETS_READ = 20


def _identity(tenant_id: str) -> list[Action]:
    """An update may be the item's first write: it must carry what a save would (its type, its tenant)."""
    return [OnboardingItem.kind.set(OnboardingItem), OnboardingItem.tenant_id.set(tenant_id)]


def get_state(tenant_id: str) -> OnboardingItem:
    try:
        return OnboardingItem.get(*keys.onboarding(tenant_id), consistent_read=True)
    except DoesNotExist:
        return OnboardingItem(*keys.onboarding(tenant_id), tenant_id=tenant_id)


_MARKS = {
    "tickets_arrive": OnboardingItem.tickets_arrive_marked_at,
    "review_routing": OnboardingItem.review_routing_marked_at,
    "review_sla": OnboardingItem.review_sla_marked_at,
}


def marked_steps(item: OnboardingItem) -> frozenset[str]:
    return frozenset(step for step, attribute in _MARKS.items() if getattr(item, attribute.attr_name) is not None)


def set_marked(tenant_id: str, step: str, at: datetime | None, audit: AuditEntry) -> None:
    """One step's mark (``at``), or its removal (None), with its audit entry."""
    attribute = _MARKS[step]
    action = attribute.set(at) if at is not None else attribute.remove()
    item = OnboardingItem(*keys.onboarding(tenant_id), tenant_id=tenant_id)
    with transaction(tenant_id, audit) as tx:
        tx.update(item, actions=[action, *_identity(tenant_id)])


def set_dismissed(tenant_id: str, at: datetime | None, audit: AuditEntry) -> None:
    item = OnboardingItem(*keys.onboarding(tenant_id), tenant_id=tenant_id)
    action = OnboardingItem.dismissed_at.set(at) if at is not None else OnboardingItem.dismissed_at.remove()
    with transaction(tenant_id, audit) as tx:
        tx.update(item, actions=[action, *_identity(tenant_id)])


def remember_email_seen(tenant_id: str, at: datetime) -> None:
    item = OnboardingItem(*keys.onboarding(tenant_id), tenant_id=tenant_id)
    try:
        item.update(
            actions=[OnboardingItem.email_seen_at.set(at), *_identity(tenant_id)],
            condition=OnboardingItem.email_seen_at.does_not_exist(),
        )
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":  # seen already: keep the first
            raise


def newest_channels(tenant_id: str) -> list[str]:
    """The channels of the workspace's newest tickets (one Query, newest first)."""
    page = MainItem.by_created.query(
        keys.ticket_partition(tenant_id, "tenant", ""), scan_index_forward=False, limit=NEWEST_TICKETS_READ
    )
    return [str(t.channel) for t in islice(page, NEWEST_TICKETS_READ) if isinstance(t, TicketItem)]


def claim_samples(tenant_id: str, ticket_ids: list[str], audit: AuditEntry) -> None:
    """Records the sample tickets about to be created; refused (TransactionConflict) while others exist."""
    item = OnboardingItem(*keys.onboarding(tenant_id), tenant_id=tenant_id)
    with transaction(tenant_id, audit) as tx:
        tx.update(
            item,
            actions=[OnboardingItem.sample_ticket_ids.set(ticket_ids), *_identity(tenant_id)],  # type: ignore[arg-type]
            condition=OnboardingItem.sample_ticket_ids.does_not_exist(),
        )


def forget_samples(tenant_id: str, audit: AuditEntry) -> None:
    item = OnboardingItem(*keys.onboarding(tenant_id), tenant_id=tenant_id)
    with transaction(tenant_id, audit) as tx:
        tx.update(item, actions=[OnboardingItem.sample_ticket_ids.remove(), *_identity(tenant_id)])
