"""Who changes things: each kind of actor is its own type, so a rule or an inbound email is never
mistaken for a person. ``to_dict`` is the shape stored in history, audit and the stream (and
shown by the API); ``actor_from_dict`` reads it back. Pure code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Channel = Literal["web", "api", "email"]


@dataclass(frozen=True)
class Person:
    """A signed-in user of the workspace (an agent, a lead, an admin)."""

    user_id: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"type": "user", "id": self.user_id, "name": self.name}


@dataclass(frozen=True)
class ApiKeyActor:
    """An integration calling with a tenant API key."""

    key_id: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"type": "api_key", "id": self.key_id, "name": self.name}


@dataclass(frozen=True)
class Router:
    """Pulsedesk itself: automatic assignment, releases, housekeeping."""

    def to_dict(self) -> dict[str, str]:
        return {"type": "system", "id": "system", "name": "Pulsedesk"}


@dataclass(frozen=True)
class RuleActor:
    """An automation rule; acts as ``rule:<id>``."""

    rule_id: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"type": "rule", "id": f"rule:{self.rule_id}", "name": self.name}


@dataclass(frozen=True)
class EmailRequester:
    """The requester, writing in by email (an inbound message)."""

    email: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"type": "requester", "id": self.email, "name": self.name, "channel": "email"}


@dataclass(frozen=True)
class PortalRequester:
    """The requester, signed in to the customer portal."""

    email: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"type": "requester", "id": self.email, "name": self.name, "channel": "portal"}


@dataclass(frozen=True)
class Anonymous:
    """Nobody known (a refused sign-in): appears in the audit log only, never changes a ticket."""

    def to_dict(self) -> dict[str, str]:
        return {"type": "anonymous", "id": "", "name": ""}


Actor = Person | ApiKeyActor | Router | RuleActor | EmailRequester | PortalRequester
AuditActor = Actor | Anonymous

ROUTER = Router()


def answers_as_agent(actor: Actor) -> bool:
    """Whose public reply is the ticket's first response (the SLA's first-response clock)."""
    return isinstance(actor, Person)


def acts_automatically(actor: Actor) -> bool:
    return isinstance(actor, Router | RuleActor)


def default_channel(actor: Actor) -> Channel:
    """The channel a ticket arrives by when its creator does not say."""
    if isinstance(actor, ApiKeyActor):
        return "api"
    if isinstance(actor, EmailRequester):
        return "email"
    return "web"


def actor_from_dict(data: Mapping[str, Any]) -> AuditActor:
    kind, actor_id, name = str(data.get("type", "")), str(data.get("id", "")), str(data.get("name", ""))
    if kind == "user":
        return Person(actor_id, name)
    if kind == "api_key":
        return ApiKeyActor(actor_id, name)
    if kind == "system":
        return ROUTER
    if kind == "rule":
        return RuleActor(actor_id.removeprefix("rule:"), name)
    if kind == "requester":
        return EmailRequester(actor_id, name) if data.get("channel") == "email" else PortalRequester(actor_id, name)
    return Anonymous()
