"""Who is calling: a signed-in user or an API key, always bound to one tenant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from chalicelib.domain.errors import Forbidden
from chalicelib.domain.permissions import Permission


@dataclass(frozen=True)
class Principal:
    tenant_id: str
    kind: Literal["user", "api_key"]
    id: str
    name: str
    role: str | None
    permissions: frozenset[Permission]

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden(f"This action needs the '{permission}' permission.")

    @property
    def user_id(self) -> str | None:
        return self.id if self.kind == "user" else None

    def actor(self) -> dict[str, str]:
        return {"type": self.kind, "id": self.id, "name": self.name}


SYSTEM_ACTOR = {"type": "system", "id": "system", "name": "Pulsedesk"}
