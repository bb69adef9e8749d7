"""Stream trigger of SLA re-planning: the workspace's SLA settings item changed its policies or its
business hours."""

from __future__ import annotations

from chalicelib.data.models import SlaSettingsItem
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
