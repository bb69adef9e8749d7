"""Domain errors. ``chalicelib/api/problems.py`` is the one place that maps them to HTTP."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    title = "Bad request"
    type_slug = "bad-request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class BadRequest(DomainError):
    pass


class Unauthorized(DomainError):
    status, title, type_slug = 401, "Unauthorized", "unauthorized"


class Forbidden(DomainError):
    status, title, type_slug = 403, "Forbidden", "forbidden"


class NotFound(DomainError):
    status, title, type_slug = 404, "Not found", "not-found"


class MethodNotAllowed(DomainError):
    status, title, type_slug = 405, "Method not allowed", "method-not-allowed"


class Conflict(DomainError):
    status, title, type_slug = 409, "Conflict", "conflict"


class PayloadTooLarge(DomainError):
    status, title, type_slug = 413, "Payload too large", "payload-too-large"


class UnsupportedMediaType(DomainError):
    status, title, type_slug = 415, "Unsupported media type", "unsupported-media-type"


class ValidationFailed(DomainError):
    """Input that parsed but breaks a rule; ``errors`` names each field and its problem."""

    status, title, type_slug = 422, "Validation failed", "validation-failed"

    def __init__(self, errors: list[dict[str, str]], detail: str = "The request has invalid fields.") -> None:
        super().__init__(detail, errors=errors)
        self.errors = errors


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([{"field": field, "message": message}], detail=f"{field}: {message}")


class InvalidTransition(DomainError):
    status, title, type_slug = 422, "Invalid status transition", "invalid-transition"

    def __init__(self, current: str, requested: str) -> None:
        super().__init__(f"A ticket cannot go from '{current}' to '{requested}'.", current=current, requested=requested)


class TooManyRequests(DomainError):
    status, title, type_slug = 429, "Too many requests", "too-many-requests"

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail, retry_after=retry_after_seconds)
        self.retry_after_seconds = retry_after_seconds
