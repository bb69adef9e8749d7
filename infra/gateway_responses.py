"""API Gateway "gateway responses": the answers the gateway itself gives before any Lambda runs.

One definition for both places that need it: ``infra/aws`` writes them into the REST API as
``AWS::ApiGateway::GatewayResponse`` resources, and the local front answers the same way, so an
unknown route is a problem+json 404 everywhere rather than API Gateway's 403.
"""

from __future__ import annotations

import json

PROBLEM_CONTENT_TYPE = "application/problem+json"

# response type -> (status code, problem title, detail)
GATEWAY_RESPONSES: dict[str, tuple[int, str, str]] = {
    "MISSING_AUTHENTICATION_TOKEN": (404, "Not found", "No such endpoint. See /api/v1/openapi.json."),
    "DEFAULT_4XX": (400, "Bad request", "The gateway refused the request."),
    "DEFAULT_5XX": (502, "Bad gateway", "The service did not answer; try again."),
}


def problem_body(response_type: str) -> str:
    status, title, detail = GATEWAY_RESPONSES[response_type]
    slug = title.lower().replace(" ", "-")
    return json.dumps({"type": f"urn:pulsedesk:problem:{slug}", "title": title, "status": status, "detail": detail})
