"""Roles and the granular permissions they grant: the one table every route is checked against.

API-key scopes use the same permission names.
"""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    TICKETS_READ = "tickets.read"
    TICKETS_WRITE = "tickets.write"
    TICKETS_ASSIGN = "tickets.assign"
    USERS_READ = "users.read"
    USERS_MANAGE = "users.manage"
    SETTINGS_MANAGE = "settings.manage"
    AUDIT_READ = "audit.read"
    METRICS_READ = "metrics.read"
    API_KEYS_MANAGE = "api_keys.manage"
    VIEWS_SHARE = "views.share"
    WEBHOOKS_MANAGE = "webhooks.manage"
    INTEGRATIONS_MANAGE = "integrations.manage"
    MACROS_SHARE = "macros.share"
    RULES_MANAGE = "rules.manage"
    ARTICLES_MANAGE = "articles.manage"
    REQUESTS_OWN = "requests.own"  # a requester's own tickets in the portal: nobody else holds it


class Role(StrEnum):
    ADMIN = "admin"
    LEAD = "lead"
    AGENT = "agent"
    VIEWER = "viewer"
    REQUESTER = "requester"  # a customer signed in to the portal (never a user of the workspace)


P = Permission
# Permissions only a requester holds: what the portal routes need, so no member, and no API key
# (bounded by its owner's role), can call them as if it were a customer.
REQUESTER_ONLY = frozenset({P.REQUESTS_OWN})
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission) - REQUESTER_ONLY,
    Role.LEAD: frozenset(
        {P.TICKETS_READ, P.TICKETS_WRITE, P.TICKETS_ASSIGN, P.USERS_READ, P.METRICS_READ, P.VIEWS_SHARE}
        | {P.MACROS_SHARE, P.RULES_MANAGE}
        | {P.ARTICLES_MANAGE}
    ),
    Role.AGENT: frozenset({P.TICKETS_READ, P.TICKETS_WRITE, P.USERS_READ}),
    Role.VIEWER: frozenset({P.TICKETS_READ, P.USERS_READ, P.METRICS_READ}),
    Role.REQUESTER: REQUESTER_ONLY,
}


def permissions_for_role(role: str) -> frozenset[Permission]:
    return ROLE_PERMISSIONS.get(Role(role), frozenset()) if role in Role._value2member_map_ else frozenset()


def parse_scopes(scopes: list[str]) -> frozenset[Permission]:
    """Validates API-key scopes; raises ValueError naming the first unknown one."""
    unknown = [s for s in scopes if s not in Permission._value2member_map_]
    if unknown:
        raise ValueError(f"unknown scope '{unknown[0]}'")
    return frozenset(Permission(s) for s in scopes)


def sees_internal_notes(permissions: frozenset[Permission]) -> bool:
    """Internal notes are for the people who work tickets; viewers see that a note exists, not its body."""
    return Permission.TICKETS_WRITE in permissions
