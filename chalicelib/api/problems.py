"""The one place that turns errors into RFC 9457 ``application/problem+json`` responses."""

from __future__ import annotations

import json
from typing import Any

from chalice.app import Response

from chalicelib.domain.errors import DomainError, TooManyRequests

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(
    status: int, title: str, detail: str, slug: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    body = {"type": f"urn:pulsedesk:problem:{slug}", "title": title, "status": status, "detail": detail}
    body.update(extra)
    return Response(
        body=json.dumps(body, default=str),
        status_code=status,
        headers={"Content-Type": PROBLEM_CONTENT_TYPE, **(headers or {})},
    )


def problem_from_error(error: DomainError) -> Response:
    headers = {}
    if isinstance(error, TooManyRequests):
        headers["Retry-After"] = str(error.retry_after_seconds)
    return problem(error.status, error.title, error.detail, error.type_slug, headers, **error.extra)


def internal_error() -> Response:
    return problem(500, "Internal server error", "Something went wrong on our side.", "internal")
