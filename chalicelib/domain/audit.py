"""One audit event, typed: who did what to which target, and the before/after it changed. The data
layer stamps it with the time, the request id and the source address when it commits it. Pure code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.actors import AuditActor


@dataclass(frozen=True)
class AuditTarget:
    type: str
    id: str
    number: str | None = None  # a ticket's number, so the log reads "#42" without a lookup
    name: str | None = None  # a person's name, as it was when they were changed

    def to_dict(self) -> dict[str, str]:
        target = {"type": self.type, "id": self.id}
        if self.number is not None:
            target["number"] = self.number
        if self.name is not None:
            target["name"] = self.name
        return target


@dataclass(frozen=True)
class AuditEntry:
    actor: AuditActor
    action: str
    target: AuditTarget
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None

    def record(self) -> dict[str, Any]:
        """The stored fields (the API's audit event shape, less what the data layer stamps)."""
        return {
            "actor": self.actor.to_dict(),
            "action": self.action,
            "target": self.target.to_dict(),
            "before": dict(self.before) if self.before is not None else None,
            "after": dict(self.after) if self.after is not None else None,
        }
