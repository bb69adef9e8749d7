"""Every router of the REST API, in the order the OpenAPI document lists them."""

from __future__ import annotations

from chalicelib.api import (
    api_keys_routes,
    articles_routes,
    assignment_routes,
    audit_routes,
    auth_routes,
    csat_routes,
    desk_routes,
    email_routes,
    email_suppressions_routes,
    help_routes,
    integrations_routes,
    macros_routes,
    merge_routes,
    meta_routes,
    metrics_routes,
    notifications_routes,
    people_routes,
    replies_routes,
    rules_routes,
    sla_routes,
    tickets_routes,
    users_routes,
    views_routes,
    webhooks_routes,
)
from chalicelib.api.routing import Router

ROUTERS: list[Router] = [
    meta_routes.router,
    auth_routes.router,
    users_routes.router,
    people_routes.router,
    api_keys_routes.router,
    audit_routes.router,
    tickets_routes.router,
    replies_routes.router,
    views_routes.router,
    assignment_routes.router,
    metrics_routes.router,
    sla_routes.router,
    notifications_routes.router,
    integrations_routes.router,
    webhooks_routes.router,
    email_routes.router,
    email_suppressions_routes.router,
    macros_routes.router,
    merge_routes.router,
    rules_routes.router,
    articles_routes.router,
    help_routes.router,
    csat_routes.router,
    desk_routes.router,
]
meta_routes.document_routers(ROUTERS)
