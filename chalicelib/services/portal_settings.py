"""The admins' switches of the self-service channels: whether the public web form takes requests,
and which queue it (and the portal's new requests) feed."""

from __future__ import annotations

from chalicelib.contracts.portal import PortalSettingsOut
from chalicelib.data import contacts
from chalicelib.data.models import PortalSettingsItem
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import Conflict
from chalicelib.domain.principal import Principal


def settings_public(item: PortalSettingsItem) -> PortalSettingsOut:
    return PortalSettingsOut(
        web_form_enabled=bool(item.web_form_enabled),
        web_form_queue=str(item.web_form_queue),
        version=int(item.version or 0),
    )


def get_portal_settings(principal: Principal) -> PortalSettingsOut:
    return settings_public(contacts.get_settings_item(principal.tenant_id))


def put_portal_settings(principal: Principal, enabled: bool, queue: str, version: int | None) -> PortalSettingsOut:
    item = contacts.get_settings_item(principal.tenant_id)
    if version is not None and version != int(item.version or 0):
        raise Conflict("Someone changed these settings since you loaded them; reload and try again.")
    before = settings_public(item).model_dump(exclude={"version"})
    item.web_form_enabled = enabled
    item.web_form_queue = queue
    item.updated_at = utcnow()
    after = {"web_form_enabled": enabled, "web_form_queue": queue}
    contacts.save_settings_item(
        item,
        AuditEntry(principal.as_actor(), "portal.settings_changed", AuditTarget("portal", "settings"), before, after),
    )
    return settings_public(item)
