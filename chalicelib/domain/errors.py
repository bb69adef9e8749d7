"""Domain errors: what went wrong, in the domain's words. They know nothing of HTTP:
``chalicelib/api/problems.py`` is the one place that maps each to a status and a problem type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chalicelib.domain.rate_limits import Quota


class DomainError(Exception):
    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class BadRequest(DomainError):
    pass


class Unauthorized(DomainError):
    pass


class Forbidden(DomainError):
    pass


class NotFound(DomainError):
    pass


class MethodNotAllowed(DomainError):
    pass


class Conflict(DomainError):
    pass


class PreconditionRequired(DomainError):
    """A change that must name the version it was based on did not."""


class PayloadTooLarge(DomainError):
    pass


class UnsupportedMediaType(DomainError):
    pass


class ValidationFailed(DomainError):
    """Input that parsed but breaks a rule; ``errors`` names each field and its problem."""

    def __init__(
        self, errors: list[dict[str, str]], detail: str = "Some fields need another look: each one says what to change."
    ) -> None:
        super().__init__(detail, errors=errors)
        self.errors = errors


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([{"field": field, "message": message}], detail=f"{field}: {message}")


class InvalidTransition(DomainError):
    def __init__(self, current: str, requested: str) -> None:
        super().__init__(f"A ticket cannot go from '{current}' to '{requested}'.", current=current, requested=requested)


class TooManyRequests(DomainError):
    def __init__(self, detail: str, retry_after_seconds: int, quota: Quota | None = None) -> None:
        super().__init__(detail, retry_after=retry_after_seconds)
        self.retry_after_seconds = retry_after_seconds
        self.quota = quota  # the exhausted token bucket, when the limit is one


class LinkInvalid(DomainError):
    """A signed link (a survey link) that was altered, or was never ours."""


class LinkExpired(DomainError):
    """A signed link past its validity, or for something that no longer takes answers."""
