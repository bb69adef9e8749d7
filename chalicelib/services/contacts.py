"""Contacts: requesters as people of the workspace. Kept from the stream (any channel's new ticket
creates or counts its requester's contact), read by agents with their tickets."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from chalicelib.contracts.portal import ContactDetailOut, ContactListOut, ContactOut
from chalicelib.data import contacts as repo
from chalicelib.data.models import ContactItem, TicketItem
from chalicelib.domain.clock import to_text
from chalicelib.domain.contacts import name_key, normalised_email
from chalicelib.domain.errors import NotFound
from chalicelib.domain.principal import Principal
from chalicelib.services.presenters import ticket_public

CONTACT_TICKETS = 50  # tickets shown with a contact (newest activity first)


def contact_public(contact: ContactItem) -> ContactOut:
    return ContactOut(
        id=contact.contact_id,
        name=contact.name,
        email=contact.email,
        organisation=contact.organisation,
        created_at=to_text(contact.created_at),
        last_seen_at=to_text(contact.last_seen_at),
        ticket_count=int(contact.ticket_count or 0),
    )


def list_contacts(principal: Principal, q: str | None, limit: int, cursor: str | None) -> ContactListOut:
    """Without ``q``: every contact by address. With one: an address prefix when it holds ``@``,
    else a name prefix."""
    text = (q or "").strip()
    by = "email" if not text or "@" in text else "name"
    prefix = normalised_email(text) if by == "email" else name_key(text)
    items, next_cursor = repo.list_contacts(principal.tenant_id, prefix, by, limit, cursor)
    return ContactListOut(items=[contact_public(c) for c in items], next_cursor=next_cursor)


def get_contact(principal: Principal, cid: str) -> ContactDetailOut:
    contact = repo.get_contact(principal.tenant_id, cid)
    if contact is None:
        raise NotFound("No such contact.")
    tickets, _ = repo.requester_tickets(principal.tenant_id, contact.email, CONTACT_TICKETS)
    return ContactDetailOut(contact=contact_public(contact), tickets=[ticket_public(t) for t in tickets])


def record_new_ticket(ticket: TicketItem) -> None:
    """A ticket was created (by any channel): its requester's contact exists and counts it once."""
    record_new_tickets([ticket])


def record_new_tickets(tickets: list[TicketItem]) -> int:
    """New tickets (a stream batch's): each requester's contact exists and counts them once, with one
    read of the batch's contacts and one transaction for their counts rather than two calls per ticket;
    returns how many were counted."""
    by_tenant: dict[str, dict[str, list[TicketItem]]] = defaultdict(lambda: defaultdict(list))
    for ticket in tickets:
        email = str(ticket.requester.get("email", ""))
        if email:
            by_tenant[ticket.tenant_id][normalised_email(email)].append(ticket)
    counted = 0
    for tenant_id, by_email in by_tenant.items():
        known = repo.contacts_by_email(tenant_id, by_email)
        counts: dict[str, dict[str, datetime]] = {}
        for email, theirs in by_email.items():
            first = theirs[0]
            contact = known.get(email) or repo.ensure_contact(
                tenant_id, email, str(first.requester.get("name", "")), first.created_at
            )
            counts[contact.contact_id] = {t.ticket_id: t.created_at for t in theirs}
        counted += repo.count_tickets(tenant_id, counts)
    return counted


def record_requester_seen(tenant_id: str, email: str, at: datetime) -> None:
    contact = repo.contact_by_email(tenant_id, email)
    if contact is not None:
        repo.touch_contact(tenant_id, contact.contact_id, at)
