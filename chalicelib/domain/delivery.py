"""The delivery job and its schedule: one queue message per event and channel target, how failed
attempts are spaced, when a failing endpoint is given up on, and what a failure says. Pure code."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Channel = Literal["email", "slack", "webhook", "check_unassigned", "check_sla"]


@dataclass(frozen=True)
class Job:
    """One SQS message: one event for one channel target. The idempotency key is the event and the
    target (plus a replay id when an admin replays it on purpose), never the attempt, so retries and
    redeliveries of the same job send at most once."""

    tenant_id: str
    channel: Channel
    target: str
    event: dict[str, Any]
    attempt: int = 1
    extra: dict[str, Any] = field(default_factory=dict)
    replay: str = ""
    not_before: float = 0.0

    @property
    def idempotency_key(self) -> str:
        return f"{self.event['id']}|{self.channel}:{self.target}|{self.replay}"

    @property
    def event_type(self) -> str:
        return str(self.event.get("type", ""))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "idempotency_key": self.idempotency_key}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Job:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__ if name in data})

    def next_attempt(self, not_before: float) -> Job:
        return Job(
            self.tenant_id, self.channel, self.target, self.event, self.attempt + 1, self.extra, self.replay, not_before
        )

    def later(self, not_before: float) -> Job:
        """The same attempt, postponed (a rate limit, or a delay longer than one queue hop)."""
        return Job(
            self.tenant_id, self.channel, self.target, self.event, self.attempt, self.extra, self.replay, not_before
        )


# --- retries -------------------------------------------------------------------------------------

MAX_QUEUE_DELAY_SECONDS = 900  # SQS DelaySeconds limit; longer waits take several hops
JITTER = 0.2


def retry_delay(failed_attempt: int, schedule: Sequence[int], rand: Callable[[], float] = random.random) -> int | None:
    """Seconds before the next attempt after attempt ``failed_attempt`` (1-based) failed, with ±20 %
    jitter so a burst of failures does not retry in lockstep; None once the schedule is spent."""
    if failed_attempt < 1 or failed_attempt > len(schedule):
        return None
    base = schedule[failed_attempt - 1]
    return max(0, round(base * (1 + JITTER * (2 * rand() - 1))))


def queue_hop(not_before: float, now: float) -> int:
    """DelaySeconds for the next hop towards ``not_before``."""
    return max(0, min(MAX_QUEUE_DELAY_SECONDS, int(not_before - now + 0.999)))


def should_disable(failing_since: float | None, now: float, disable_after_seconds: int) -> bool:
    return failing_since is not None and now - failing_since >= disable_after_seconds


class DeliveryFailed(Exception):
    """A delivery did not happen. ``permanent`` ones are not retried (a revoked token, a deleted
    endpoint); ``retry_after`` is the peer's own wish (HTTP 429 ``Retry-After``)."""

    def __init__(self, reason: str, *, permanent: bool = False, retry_after: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after
