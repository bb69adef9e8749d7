"""Every router of the REST API, in the order the OpenAPI document lists them."""

from __future__ import annotations

from chalicelib.api import (
    api_keys_routes,
    assignment_routes,
    audit_routes,
    auth_routes,
    contacts_routes,
    email_routes,
    integrations_routes,
    meta_routes,
    metrics_routes,
    notifications_routes,
    portal_routes,
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
    api_keys_routes.router,
    audit_routes.router,
    tickets_routes.router,
    views_routes.router,
    assignment_routes.router,
    metrics_routes.router,
    sla_routes.router,
    notifications_routes.router,
    integrations_routes.router,
    webhooks_routes.router,
    email_routes.router,
    contacts_routes.router,
    portal_routes.router,
]
meta_routes.document_routers(ROUTERS)
