"""API Gateway's own answers (no route, no integration, throttled...) as RFC 9457 problem+json.

A path no route matches reaches API Gateway as MISSING_AUTHENTICATION_TOKEN (its 403 for "no such resource"):
answered here as the 404 it is, shaped like the app's own problems (``chalicelib/api/problems.py``).
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib.api.response_headers import API_RESPONSE_HEADERS
from infra.gateway_responses import (
    PROBLEM_CONTENT_TYPE,
    UNKNOWN_ROUTE_DETAIL,
    UNKNOWN_ROUTE_SLUG,
    UNKNOWN_ROUTE_STATUS,
    UNKNOWN_ROUTE_TITLE,
)

Json = dict[str, Any]
DETAIL_PLACEHOLDER = "<gateway message>"


def gateway_responses() -> Json:
    return {
        "MISSING_AUTHENTICATION_TOKEN": _response(
            UNKNOWN_ROUTE_STATUS, UNKNOWN_ROUTE_TITLE, UNKNOWN_ROUTE_SLUG, UNKNOWN_ROUTE_DETAIL
        ),
        # messageString is API Gateway's JSON-quoted message: spliced in raw so the body stays valid JSON.
        "DEFAULT_4XX": _response(None, "Request rejected", "bad-request", None),
        "DEFAULT_5XX": _response(None, "Internal server error", "internal", "Something went wrong on our side."),
    }


def _response(status: int | None, title: str, slug: str, detail: str | None) -> Json:
    body: Json = {"type": f"urn:pulsedesk:problem:{slug}", "title": title}
    if status is not None:
        body["status"] = status
    body["detail"] = detail or DETAIL_PLACEHOLDER
    template = json.dumps(body).replace(json.dumps(DETAIL_PLACEHOLDER), "$context.error.messageString")
    response: Json = {
        "ResponseParameters": {
            "Headers": {
                "Content-Type": f"'{PROBLEM_CONTENT_TYPE}'",
                **{name: f"'{value}'" for name, value in API_RESPONSE_HEADERS.items()},
            }
        },
        "ResponseTemplates": {"application/json": template},
    }
    if status is not None:
        response["StatusCode"] = str(status)
    return response
