"""Time in one place: aware UTC datetimes and the fixed-width text form that sorts in keys."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_text(moment: datetime) -> str:
    """``2026-11-24T02:29:48.123456Z``: fixed width, so text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def maybe_text(moment: datetime | None) -> str | None:
    return to_text(moment) if moment else None


def from_text(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)
