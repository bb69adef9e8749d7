"""SLA policies: which targets a ticket is held to, and whether they count business or calendar time.

A workspace orders its policies; the first whose queue and tag (each optional) match the ticket and
that has targets for the ticket's priority wins. When none does, the built-in default applies: the
targets the product always had (``sla.DEFAULT_TARGETS``), in calendar time. Pure code."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from chalicelib.domain.business_hours import CALENDAR_TIME, BusinessCalendar
from chalicelib.domain.sla import DEFAULT_TARGETS

TargetName = Literal["first_response", "next_reply", "resolution"]
TARGET_NAMES: tuple[TargetName, ...] = ("first_response", "next_reply", "resolution")
DEFAULT_POLICY_ID = "default"
MAX_POLICIES = 50
MAX_TARGET_MINUTES = 365 * 24 * 60


@dataclass(frozen=True)
class Targets:
    """Seconds allowed for each target; None: the policy does not measure it."""

    first_response: int | None = None
    next_reply: int | None = None
    resolution: int | None = None

    def seconds(self, name: TargetName) -> int | None:
        value: int | None = getattr(self, name)
        return value


@dataclass(frozen=True)
class SlaPolicy:
    policy_id: str
    name: str
    targets: Mapping[str, Targets]  # by priority
    business_hours: bool = False
    queue: str | None = None
    tag: str | None = None

    def matches(self, priority: str, queue: str, tags: Iterable[str]) -> bool:
        return (
            priority in self.targets
            and (self.queue is None or self.queue == queue)
            and (self.tag is None or self.tag in set(tags))
        )

    def to_dict(self) -> dict[str, Any]:
        """As stored and as the API shows it (targets in minutes)."""
        return {
            "id": self.policy_id,
            "name": self.name,
            "queue": self.queue,
            "tag": self.tag,
            "business_hours": self.business_hours,
            "targets": {
                priority: {f"{name}_minutes": _minutes(t.seconds(name)) for name in TARGET_NAMES}
                for priority, t in self.targets.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SlaPolicy:
        return cls(
            policy_id=str(data["id"]),
            name=str(data["name"]),
            queue=data.get("queue"),
            tag=data.get("tag"),
            business_hours=bool(data.get("business_hours", False)),
            targets=MappingProxyType(
                {
                    str(priority): Targets(
                        **{name: _seconds(minutes.get(f"{name}_minutes")) for name in TARGET_NAMES}  # type: ignore[arg-type]
                    )
                    for priority, minutes in (data.get("targets") or {}).items()
                }
            ),
        )


def _minutes(seconds: int | None) -> int | None:
    return None if seconds is None else seconds // 60


def _seconds(minutes: Any) -> int | None:
    return None if minutes is None else int(minutes) * 60


DEFAULT_POLICY = SlaPolicy(
    policy_id=DEFAULT_POLICY_ID,
    name="Default",
    targets=MappingProxyType(
        {
            priority: Targets(
                first_response=int(target.first_response.total_seconds()),
                resolution=int(target.resolution.total_seconds()),
            )
            for priority, target in DEFAULT_TARGETS.items()
        }
    ),
)


@dataclass(frozen=True)
class SlaContext:
    """What the clock needs from the workspace: its calendar and its ordered policies."""

    calendar: BusinessCalendar = CALENDAR_TIME
    policies: tuple[SlaPolicy, ...] = field(default_factory=tuple)

    def policy_for(self, priority: str, queue: str, tags: Iterable[str]) -> SlaPolicy:
        tags = tuple(tags)
        return next((p for p in self.policies if p.matches(priority, queue, tags)), DEFAULT_POLICY)

    def calendar_for(self, policy: SlaPolicy) -> BusinessCalendar:
        return self.calendar if policy.business_hours else CALENDAR_TIME


DEFAULT_SLA = SlaContext()
"""A workspace that set nothing: the default targets in calendar time."""
