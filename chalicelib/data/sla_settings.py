"""A workspace's SLA settings item. Every function takes the tenant first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys
from chalicelib.data.models import SlaSettingsItem
from chalicelib.data.store import transaction
from chalicelib.data.ticket_changes import retrying
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.sla_policies import SlaPolicy
from chalicelib.domain.sla_settings import BusinessHours, SlaSettings


def get_sla_settings(tenant_id: str, *, consistent: bool = True) -> SlaSettings:
    """The stored settings, or the defaults (version None) for a workspace that set none."""
    try:
        item = SlaSettingsItem.get(*keys.sla_settings(tenant_id), consistent_read=consistent)
    except DoesNotExist:
        return SlaSettings()
    return settings_of(item)


def settings_of(item: SlaSettingsItem) -> SlaSettings:
    hours = BusinessHours.from_dict(item.business_hours) if item.business_hours else None
    return SlaSettings(
        **({"business_hours": hours} if hours is not None else {}),  # type: ignore[arg-type]
        policies=tuple(SlaPolicy.from_dict(p) for p in item.policies or ()),
        version=int(item.version) if item.version is not None else None,
    )


def save_sla_settings(tenant_id: str, settings: SlaSettings, at: datetime, audit: AuditEntry) -> None:
    """Saves only over the version read (a new item only if none exists); raises TransactionConflict
    when another change came first. The audit entry lands in the same transaction."""
    item = SlaSettingsItem(
        *keys.sla_settings(tenant_id),
        tenant_id=tenant_id,
        business_hours=settings.business_hours.to_dict(),
        policies=[p.to_dict() for p in settings.policies],
        updated_at=at,
    )
    if settings.version is not None:
        item.version = settings.version
    with transaction(tenant_id, audit) as tx:
        tx.save(item, condition=SlaSettingsItem.pk.does_not_exist() if settings.version is None else None)


def change_sla_settings(
    tenant_id: str,
    change: Callable[[SlaSettings], SlaSettings],
    audit: Callable[[SlaSettings, SlaSettings], AuditEntry],
    at: datetime,
) -> SlaSettings:
    """Read, change (pure), save over the version read; a lost race is retried from a fresh read.
    Returns the settings as saved."""

    def attempt() -> SlaSettings:
        current = get_sla_settings(tenant_id)
        changed = change(current)
        save_sla_settings(tenant_id, changed, at, audit(current, changed))
        return replace(changed, version=(current.version or 0) + 1)

    return retrying(attempt, "The SLA settings are changing too fast; try again.")
