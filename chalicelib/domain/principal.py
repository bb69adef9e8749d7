"""Who is calling: a signed-in user or an API key, always bound to one tenant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from chalicelib.domain.actors import ROUTER, Actor, ApiKeyActor, Person, PortalRequester
from chalicelib.domain.errors import Forbidden
from chalicelib.domain.permissions import Permission


@dataclass(frozen=True)
class Principal:
    tenant_id: str
    kind: Literal["user", "api_key", "requester"]
    id: str
    name: str
    role: str | None
    permissions: frozenset[Permission]
    session_id: str | None = None  # a user's sign-in session
    owner_id: str | None = None  # an API key's owning user, whose permissions bound the key
    email: str | None = None  # a requester's address (their tickets are the ones requested by it)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden(f"This action needs the '{permission}' permission.")

    @property
    def user_id(self) -> str | None:
        return self.id if self.kind == "user" else None

    @property
    def acting_user_id(self) -> str:
        """The user on whose authority this principal acts: itself, or an API key's owner."""
        return (self.owner_id or self.id) if self.kind == "api_key" else self.id

    def as_actor(self) -> Actor:
        """The one place a caller becomes an actor of the changes it makes."""
        if self.kind == "requester":
            return PortalRequester(self.email or "", self.name)
        return ApiKeyActor(self.id, self.name) if self.kind == "api_key" else Person(self.id, self.name)

    def actor(self) -> dict[str, str]:
        return self.as_actor().to_dict()


SYSTEM_ACTOR = ROUTER.to_dict()
