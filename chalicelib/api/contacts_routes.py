from __future__ import annotations

from typing import Any

from chalicelib.api.portal_schemas import ContactListQuery
from chalicelib.api.routing import Call, Router
from chalicelib.contracts.portal import ContactDetailOut, ContactListOut
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="contacts")


@router.route(
    "/contacts",
    "GET",
    access=Permission.TICKETS_READ,
    query=ContactListQuery,
    response=ContactListOut,
    summary="Requesters as people: by address, or by an address prefix (q with @) or a name prefix (q)",
)
def list_contacts(call: Call[Any, ContactListQuery]) -> ContactListOut:
    from chalicelib.services import contacts

    return contacts.list_contacts(call.principal, call.query.q, call.query.limit, call.query.cursor)


@router.route(
    "/contacts/{contact_id}",
    "GET",
    access=Permission.TICKETS_READ,
    response=ContactDetailOut,
    summary="A contact and their tickets (most recently updated first, up to 50)",
)
def get_contact(call: Call[Any, Any]) -> ContactDetailOut:
    from chalicelib.services import contacts

    return contacts.get_contact(call.principal, call.path["contact_id"])
