"""Each user's notification preferences (which emails they want)."""

from __future__ import annotations

from typing import Any

from chalicelib.data import integrations
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.errors import BadRequest
from chalicelib.domain.principal import Principal
from chalicelib.domain.recipients import effective_prefs


def get_my_prefs(principal: Principal) -> dict[str, Any]:
    stored = integrations.get_prefs(principal.tenant_id, _user_id(principal))
    return effective_prefs(stored.prefs if stored else None)


def put_my_prefs(principal: Principal, prefs: dict[str, Any]) -> dict[str, Any]:
    user_id = _user_id(principal)
    before = get_my_prefs(principal)
    after = effective_prefs({**before, **{k: v for k, v in prefs.items() if v is not None}})
    integrations.save_prefs(
        principal.tenant_id,
        user_id,
        after,
        audit=AuditEntry(
            principal.as_actor(), "notification_prefs.updated", AuditTarget("user", user_id), before=before, after=after
        ),
    )
    return after


def _user_id(principal: Principal) -> str:
    if principal.user_id is None:
        raise BadRequest("Notification preferences belong to a signed-in user; an API key has none.")
    return principal.user_id
