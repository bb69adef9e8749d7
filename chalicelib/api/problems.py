"""The one place that turns errors into RFC 9457 ``application/problem+json`` responses: each domain
error class has its HTTP status, title and problem type here, and nowhere else."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from chalice.app import Response

from chalicelib.api.response_headers import rate_limit_headers
from chalicelib.domain import errors
from chalicelib.domain.errors import DomainError, TooManyRequests

PROBLEM_CONTENT_TYPE = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    status: int
    title: str
    slug: str


# A subclass not listed here answers as its nearest listed ancestor (a TransactionConflict is a Conflict).
PROBLEM_TYPES: dict[type[DomainError], ProblemType] = {
    DomainError: ProblemType(400, "Bad request", "bad-request"),
    errors.Unauthorized: ProblemType(401, "Unauthorized", "unauthorized"),
    errors.Forbidden: ProblemType(403, "Forbidden", "forbidden"),
    errors.NotFound: ProblemType(404, "Not found", "not-found"),
    errors.MethodNotAllowed: ProblemType(405, "Method not allowed", "method-not-allowed"),
    errors.Conflict: ProblemType(409, "Conflict", "conflict"),
    errors.PayloadTooLarge: ProblemType(413, "Payload too large", "payload-too-large"),
    errors.UnsupportedMediaType: ProblemType(415, "Unsupported media type", "unsupported-media-type"),
    errors.ValidationFailed: ProblemType(422, "Validation failed", "validation-failed"),
    errors.InvalidTransition: ProblemType(422, "Invalid status transition", "invalid-transition"),
    errors.PreconditionRequired: ProblemType(428, "Precondition required", "precondition-required"),
    errors.TooManyRequests: ProblemType(429, "Too many requests", "too-many-requests"),
    errors.LinkInvalid: ProblemType(400, "Invalid link", "link-invalid"),
    errors.LinkExpired: ProblemType(410, "Link expired", "link-expired"),
}


def problem_type(error_class: type[DomainError]) -> ProblemType:
    for cls in error_class.__mro__:
        if cls in PROBLEM_TYPES:
            return PROBLEM_TYPES[cls]
    raise TypeError(f"{error_class.__name__} is not a domain error")


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
        if error.quota is not None:
            headers.update(rate_limit_headers(error.quota))
    kind = problem_type(type(error))
    return problem(kind.status, kind.title, error.detail, kind.slug, headers, **error.extra)


def internal_error() -> Response:
    return problem(500, "Internal server error", "Something went wrong on our side.", "internal")
