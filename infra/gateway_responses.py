"""What API Gateway itself answers for a path no route matches, defined once for both places:
``infra/aws/gateway.py`` writes it into the REST API as a gateway response, and the local front
answers the same way, so an unknown route is a problem+json 404 everywhere, not API Gateway's 403."""

from __future__ import annotations

import json

PROBLEM_CONTENT_TYPE = "application/problem+json"
UNKNOWN_ROUTE_STATUS = 404
UNKNOWN_ROUTE_TITLE = "Not found"
UNKNOWN_ROUTE_SLUG = "not-found"
UNKNOWN_ROUTE_DETAIL = "No route matches this path. See /api/v1/openapi.json."


def unknown_route_body() -> str:
    return json.dumps(
        {
            "type": f"urn:pulsedesk:problem:{UNKNOWN_ROUTE_SLUG}",
            "title": UNKNOWN_ROUTE_TITLE,
            "status": UNKNOWN_ROUTE_STATUS,
            "detail": UNKNOWN_ROUTE_DETAIL,
        }
    )
