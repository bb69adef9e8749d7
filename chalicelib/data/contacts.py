"""Contacts (requesters as people) and the portal's magic links and settings. Tenant first.

A contact is three items written together once: the record itself in its own partition, and two
entries of the workspace's listing (by address and by name), so listing and prefix search are one
Query each and the record is one GetItem by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys
from chalicelib.data.cursor import decode_cursor, encode_cursor
from chalicelib.data.models import (
    ContactIndexItem,
    ContactItem,
    ContactTicketMarker,
    MainItem,
    PortalLinkItem,
    PortalSettingsItem,
    TicketItem,
)
from chalicelib.data.store import TransactionConflict, transaction
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.contacts import contact_id, name_key, normalised_email, organisation


def get_contact(tenant_id: str, cid: str) -> ContactItem | None:
    try:
        return ContactItem.get(*keys.contact(tenant_id, cid), consistent_read=True)
    except DoesNotExist:
        return None


def contact_by_email(tenant_id: str, email: str) -> ContactItem | None:
    return get_contact(tenant_id, contact_id(email))


def ensure_contact(tenant_id: str, email: str, name: str, at: datetime) -> ContactItem:
    """The contact of ``email``, created with its listing entries if it is new (two writers creating
    it at once: one transaction wins, the other reads the winner's)."""
    found = contact_by_email(tenant_id, email)
    if found is not None:
        return found
    address = normalised_email(email)
    cid = contact_id(address)
    shown = name.strip() or address.partition("@")[0]
    contact = ContactItem(
        *keys.contact(tenant_id, cid),
        tenant_id=tenant_id,
        contact_id=cid,
        email=address,
        name=shown,
        organisation=organisation(address),
        created_at=at,
        last_seen_at=at,
        ticket_count=0,
        token_generation=0,
    )
    listing = keys.contact_listing(tenant_id)
    try:
        with transaction(tenant_id, None) as tx:
            tx.save(contact, condition=ContactItem.pk.does_not_exist())
            tx.save(ContactIndexItem(listing, f"E#{address}", tenant_id=tenant_id, contact_id=cid, email=address))
            tx.save(
                ContactIndexItem(
                    listing, f"N#{name_key(shown)}#{address}", tenant_id=tenant_id, contact_id=cid, email=address
                )
            )
    except TransactionConflict:
        existing = contact_by_email(tenant_id, address)
        if existing is None:
            raise
        return existing
    return contact


ITEMS_PER_TRANSACTION = 100  # TransactWriteItems' limit: the markers and their contacts' counts


def contacts_by_email(tenant_id: str, emails: Iterable[str]) -> dict[str, ContactItem]:
    """The contacts of several addresses (normalised address -> contact) in one BatchGetItem per hundred."""
    wanted = [keys.contact(tenant_id, contact_id(email)) for email in {normalised_email(e) for e in emails}]
    return {c.email: c for c in ContactItem.batch_get(wanted, consistent_read=True)} if wanted else {}


def count_tickets(tenant_id: str, tickets: dict[str, dict[str, datetime]]) -> int:
    """Adds tickets (contact id -> ticket id -> created) to their contacts' counts, each once, in one
    transaction per ITEMS_PER_TRANSACTION markers and counts; returns how many were new. A transaction
    refused (a ticket counted before: a redelivered stream record) is done again ticket by ticket."""
    counted = 0
    for chunk in _count_chunks(tickets):
        try:
            with transaction(tenant_id, None) as tx:
                for cid, theirs in chunk.items():
                    for ticket_id in theirs:
                        marker = ContactTicketMarker(
                            *keys.contact_ticket(tenant_id, cid, ticket_id), tenant_id=tenant_id, ticket_id=ticket_id
                        )
                        tx.save(marker, condition=MainItem.pk.does_not_exist())
                    tx.update(
                        ContactItem(*keys.contact(tenant_id, cid)),
                        actions=[
                            ContactItem.ticket_count.add(len(theirs)),
                            ContactItem.last_seen_at.set(max(theirs.values())),
                        ],
                        condition=ContactItem.pk.exists(),
                    )
        except TransactionConflict:
            for cid, theirs in chunk.items():
                counted += sum(count_ticket(tenant_id, cid, ticket_id, at) for ticket_id, at in theirs.items())
            continue
        counted += sum(len(theirs) for theirs in chunk.values())
    return counted


def _count_chunks(tickets: dict[str, dict[str, datetime]]) -> Iterator[dict[str, dict[str, datetime]]]:
    chunk: dict[str, dict[str, datetime]] = {}
    items = 0
    for cid, theirs in tickets.items():
        for ticket_id, at in theirs.items():
            needed = 1 + (cid not in chunk)  # the marker, and the contact's count if it is new to the chunk
            if items + needed > ITEMS_PER_TRANSACTION:
                yield chunk
                chunk, items, needed = {}, 0, 2
            chunk.setdefault(cid, {})[ticket_id] = at
            items += needed
    if chunk:
        yield chunk


def count_ticket(tenant_id: str, cid: str, ticket_id: str, at: datetime) -> bool:
    """Adds the ticket to its contact's count once (False when it was counted before)."""
    marker = ContactTicketMarker(
        *keys.contact_ticket(tenant_id, cid, ticket_id), tenant_id=tenant_id, ticket_id=ticket_id
    )
    contact_key = keys.contact(tenant_id, cid)
    try:
        with transaction(tenant_id, None) as tx:
            tx.save(marker, condition=MainItem.pk.does_not_exist())
            tx.update(
                ContactItem(*contact_key),
                actions=[ContactItem.ticket_count.add(1), ContactItem.last_seen_at.set(at)],
                condition=ContactItem.pk.exists(),
            )
    except TransactionConflict as conflict:
        if conflict.reasons and conflict.reasons[0] == "ConditionalCheckFailed":
            return False
        raise
    return True


def touch_contact(tenant_id: str, cid: str, at: datetime) -> None:
    """Records that the requester was seen (never moves ``last_seen_at`` back)."""
    try:
        ContactItem(*keys.contact(tenant_id, cid)).update(
            actions=[ContactItem.last_seen_at.set(at)],
            condition=ContactItem.pk.exists() & (ContactItem.last_seen_at < at),
        )
    except Exception as error:  # a newer sighting already recorded, or no such contact
        if "ConditionalCheckFailed" not in str(error):
            raise


def end_requester_tokens(tenant_id: str, cid: str) -> None:
    ContactItem(*keys.contact(tenant_id, cid)).update(
        actions=[ContactItem.token_generation.add(1)], condition=ContactItem.pk.exists()
    )


def list_contacts(
    tenant_id: str, prefix: str, by: str, limit: int, cursor: str | None
) -> tuple[list[ContactItem], str | None]:
    """A page of contacts sorted by address (``by="email"``) or name (``by="name"``) whose sort key
    starts with ``prefix``: one Query of the listing, then one BatchGetItem of the records."""
    listing_name = f"contacts:{by}:{prefix}"
    start = decode_cursor(tenant_id, listing_name, cursor)
    sort_prefix = ("E#" if by == "email" else "N#") + prefix
    result = ContactIndexItem.query(
        keys.contact_listing(tenant_id),
        ContactIndexItem.sk.startswith(sort_prefix),
        limit=limit,
        last_evaluated_key=start,
    )
    entries = list(result)
    next_key = result.last_evaluated_key
    wanted = [keys.contact(tenant_id, e.contact_id) for e in entries]
    found = {c.contact_id: c for c in ContactItem.batch_get(wanted)} if wanted else {}
    contacts = [found[e.contact_id] for e in entries if e.contact_id in found]
    return contacts, encode_cursor(tenant_id, listing_name, next_key) if next_key else None


def requester_tickets(
    tenant_id: str, email: str, limit: int, cursor: str | None = None, statuses: tuple[str, ...] = ()
) -> tuple[list[TicketItem], str | None]:
    """The requester's tickets, most recently updated first: one Query of the ``by_requester`` index
    reading at most ``limit`` items (a status filter may leave a page short; the cursor goes on)."""
    listing_name = f"requester:{normalised_email(email)}:{','.join(statuses)}"
    start = decode_cursor(tenant_id, listing_name, cursor)
    result = MainItem.by_requester.query(
        keys.ticket_partition(tenant_id, "requester", normalised_email(email)),
        filter_condition=TicketItem.status.is_in(*statuses) if statuses else None,
        scan_index_forward=False,
        page_size=limit,
        limit=limit,
        last_evaluated_key=start,
    )
    tickets = [t for t in result if isinstance(t, TicketItem)]
    next_key = result.last_evaluated_key
    return tickets, encode_cursor(tenant_id, listing_name, next_key) if next_key else None


# --- magic links ---


def save_link(link: PortalLinkItem, audit: AuditEntry | None) -> None:
    with transaction(link.tenant_id, audit) as tx:
        tx.save(link, condition=MainItem.pk.does_not_exist())


def get_link(tenant_id: str, link_id: str) -> PortalLinkItem | None:
    try:
        return PortalLinkItem.get(*keys.portal_link(tenant_id, link_id), consistent_read=True)
    except DoesNotExist:
        return None


def spend_link(link: PortalLinkItem) -> bool:
    """Deletes the link only if it is still there: True for the one caller that spent it."""
    try:
        with transaction(link.tenant_id, None) as tx:
            tx.delete(link, condition=PortalLinkItem.token_hash == link.token_hash)
    except TransactionConflict:
        return False
    return True


# --- settings ---


def get_settings_item(tenant_id: str) -> PortalSettingsItem:
    try:
        return PortalSettingsItem.get(*keys.portal_settings(tenant_id), consistent_read=True)
    except DoesNotExist:
        return PortalSettingsItem(*keys.portal_settings(tenant_id), tenant_id=tenant_id)


def save_settings_item(item: PortalSettingsItem, audit: AuditEntry) -> None:
    with transaction(item.tenant_id, audit) as tx:
        tx.save(item)
