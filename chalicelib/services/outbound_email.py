"""The gate every workspace email passes just before SES: may this workspace mail this address now?
Held mail is recorded in the workspace's audit log and raised as a permanent delivery failure, so
the worker turns it into a dead letter an admin can read and replay (after the first day it sends)."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.data import audit, identity, outbound, suppressions
from chalicelib.domain.actors import ROUTER
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import utcnow
from chalicelib.domain.delivery import DeliveryFailed
from chalicelib.domain.outbound_email import HELD_REASONS, Outbound, outbound_rule
from chalicelib.observability import logger, metrics
from chalicelib.services.workspace_facts import remembered_workspace
from chalicelib.settings import get_settings


def admit(tenant_id: str, address: str, event_id: str) -> None:
    """Returns if the email may go; otherwise records it as held and raises ``DeliveryFailed``."""
    settings = get_settings()
    workspace = remembered_workspace(tenant_id)
    if workspace is None:
        raise DeliveryFailed("the workspace no longer exists", permanent=True)
    suppressed = suppressions.suppression_of(tenant_id, address)
    if suppressed is not None:
        # mailing an address that bounced for good or complained hurts the sender's reputation for everyone
        metrics.add_metric(name="EmailsSuppressed", unit="Count", value=1)
        raise DeliveryFailed(f"the address is suppressed after a {suppressed.reason}", permanent=True)
    now = utcnow()
    first_day = timedelta(seconds=settings.new_workspace_window_seconds)

    def rule_for(recipient_is_confirmed_member: bool) -> Outbound:
        return outbound_rule(
            confirmed_at=workspace.email_confirmed_at,
            now=now,
            recipient_is_confirmed_member=recipient_is_confirmed_member,
            first_day=first_day,
            vetted=workspace.outbound_vetted_at is not None,
        )

    rule = rule_for(False)
    if rule is not Outbound.SEND:  # only then does it matter who the recipient is (saves two reads)
        member = identity.find_user_by_email(tenant_id, address)
        rule = rule_for(member is not None and member.active and member.email_confirmed_at is not None)
    if rule is Outbound.SEND:
        return
    if rule is Outbound.SPEND_BUDGET and workspace.email_confirmed_at is not None:
        expires = workspace.email_confirmed_at + first_day + first_day
        if outbound.spend_one(tenant_id, settings.new_workspace_email_budget, expires):
            return
    reason = HELD_REASONS[rule]
    audit.record(
        tenant_id,
        AuditEntry(
            ROUTER, "email.held", AuditTarget("email", address.lower()), after={"reason": reason, "event_id": event_id}
        ),
    )
    metrics.add_metric(name="EmailsHeld", unit="Count", value=1)
    logger.warning("email held", extra={"tenant_id": tenant_id, "event_id": event_id, "reason": reason})
    raise DeliveryFailed(reason, permanent=True)
