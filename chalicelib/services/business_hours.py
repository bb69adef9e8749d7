"""A workspace's business hours: read by anyone who works tickets, changed by admins. A change
reaches the stream, where the open tickets' deadlines are re-planned."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.contracts.responses import BusinessHoursOut
from chalicelib.data.sla_settings import change_sla_settings, get_sla_settings
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import utcnow
from chalicelib.domain.principal import Principal
from chalicelib.domain.sla_settings import BusinessHours, SlaSettings, checked_business_hours
from chalicelib.services import sla_context
from chalicelib.services.presenters import business_hours_public


def get_business_hours(principal: Principal) -> BusinessHoursOut:
    return business_hours_public(get_sla_settings(principal.tenant_id).business_hours)


def put_business_hours(principal: Principal, fields: dict[str, Any]) -> BusinessHoursOut:
    hours = BusinessHours.from_dict(fields)
    checked_business_hours(hours)  # 422 naming each bad field, before anything is written

    def change(current: SlaSettings) -> SlaSettings:
        return replace(current, business_hours=hours)

    def audit(before: SlaSettings, after: SlaSettings) -> AuditEntry:
        return AuditEntry(
            principal.as_actor(),
            "settings.business_hours_changed",
            AuditTarget("workspace", principal.tenant_id),
            before.business_hours.to_dict(),
            after.business_hours.to_dict(),
        )

    saved = change_sla_settings(principal.tenant_id, change, audit, utcnow())
    sla_context.forget(principal.tenant_id)
    return business_hours_public(saved.business_hours)
