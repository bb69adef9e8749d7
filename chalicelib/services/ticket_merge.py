"""Merging a duplicate into another ticket of the workspace.

One transaction writes both tickets, each only at the version read (a concurrent change makes the
whole merge retry from fresh reads): the duplicate gets a public notice (the one email its requester
gets about it, threaded like any reply), is closed and points to the target; the target gets an
internal note and copies of the duplicate's description and messages, keeping their authors and
times. Copies are public only when both tickets have the same requester: another requester must not
read them in the target's thread. Email replies to the duplicate thread into the target (see
``services/inbound_email.py``)."""

from __future__ import annotations

import hashlib

from chalicelib.contracts.macros import MergedOut
from chalicelib.data import tickets as repo
from chalicelib.data.models import CommentItem, TicketItem
from chalicelib.data.store import new_id
from chalicelib.data.ticket_changes import commit_together, retrying, ticket_of
from chalicelib.domain.actors import ROUTER, Actor, Anonymous, Channel, EmailRequester, PortalRequester, actor_from_dict
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import invalid
from chalicelib.domain.principal import Principal
from chalicelib.domain.ticket_change import MergeAway, MergeIn, MergeTarget, NewComment, merge_away, merge_in
from chalicelib.services.presenters import ticket_public
from chalicelib.services.sla_context import sla_context
from chalicelib.services.ticket_reads import existing_ticket
from chalicelib.services.ticket_writes import stale

CHANNELS: tuple[Channel, ...] = ("web", "api", "email")


def merge_ticket(principal: Principal, ticket_id: str, into_id: str, expected_version: int | None) -> MergedOut:
    if into_id == ticket_id:
        raise invalid("into", "is this ticket itself; merge it into another ticket")
    tenant_id = principal.tenant_id

    def attempt() -> MergedOut:
        found = repo.get_ticket_with_conversation(tenant_id, ticket_id)
        duplicate = found.ticket if found is not None else existing_ticket(principal, ticket_id)  # 404
        if expected_version is not None and int(duplicate.version) != expected_version:
            raise stale(duplicate)
        target_item = repo.get_ticket(tenant_id, into_id)
        if target_item is None:
            raise invalid("into", "is not a ticket of this workspace")
        dup, target = ticket_of(duplicate), ticket_of(target_item)
        into = MergeTarget(target.ticket_id, target.number)
        now, sla, actor = utcnow(), sla_context(tenant_id), principal.as_actor()
        same_requester = dup.requester.email == target.requester.email
        carried = _carried(duplicate, found.comments if found else [], target.ticket_id, public=same_requester)
        away = merge_away(dup, actor, MergeAway(new_id(), _notice(dup.number, target.number), into), now, sla)
        note = _note(dup.number, dup.subject, dup.requester.email, len(carried))
        merged = merge_in(
            target, actor, MergeIn(new_id(), note, MergeTarget(dup.ticket_id, dup.number), carried), now, sla
        )
        done_away, done_in = commit_together(tenant_id, away, merged)
        return MergedOut(
            ticket=ticket_public(done_away.ticket), target=ticket_public(done_in.ticket), carried_over=len(carried)
        )

    return retrying(attempt, "The tickets are changing too fast; try again.")


def _carried(
    duplicate: TicketItem, comments: list[CommentItem], target_id: str, *, public: bool
) -> tuple[NewComment, ...]:
    """The duplicate's description and messages as copies for the target. Their ids derive from the
    originals, so the copies of one merge can never be written twice."""
    requester: Actor = (
        EmailRequester(duplicate.requester["email"], duplicate.requester.get("name", ""))
        if duplicate.channel == "email"
        else PortalRequester(duplicate.requester["email"], duplicate.requester.get("name", ""))
    )
    opening = NewComment(
        _copy_id(target_id, duplicate.ticket_id, "description"),
        f"#{duplicate.number} {duplicate.subject}\n\n{duplicate.description}",
        public,
        requester,
        duplicate.created_at,
        _channel(duplicate.channel),
    )
    copies = [
        NewComment(
            _copy_id(target_id, duplicate.ticket_id, c.comment_id),
            c.body,
            public and bool(c.public),
            _author(c.author or {}),
            c.created_at,
            _channel(c.channel),
        )
        for c in comments
    ]
    return (opening, *copies)


def _author(stored: dict[str, str]) -> Actor:
    actor = actor_from_dict(stored)
    return ROUTER if isinstance(actor, Anonymous) else actor


def _channel(value: str | None) -> Channel:
    return next((c for c in CHANNELS if c == value), "web")


def _copy_id(target_id: str, duplicate_id: str, original: str) -> str:
    return hashlib.sha256(f"merge:{target_id}:{duplicate_id}:{original}".encode()).hexdigest()[:32]


def _notice(number: int, into: int) -> str:
    return (
        f"Your request #{number} is a duplicate of #{into}, so we have merged it there and closed #{number}. "
        f"We will continue in #{into}; you can simply reply to this email."
    )


def _note(number: int, subject: str, requester: str, carried: int) -> str:
    shown = f"{carried} message{'' if carried == 1 else 's'}"
    return f"Merged #{number} “{subject}” ({requester}) into this ticket; its conversation ({shown}) is shown here."
