"""Seeing and lifting a workspace's suppressed addresses (services/email_feedback.py adds them): an
admin lifts one once the customer fixed their mailbox; agents see on a ticket that its requester
gets no mail."""

from __future__ import annotations

from urllib.parse import unquote

from chalicelib.contracts.email_suppressions import RequesterEmailOut, SuppressionListOut, SuppressionOut
from chalicelib.data import suppressions
from chalicelib.data.models import SuppressedAddressItem
from chalicelib.data.store import TransactionConflict
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import to_text
from chalicelib.domain.errors import NotFound, invalid
from chalicelib.domain.principal import Principal
from chalicelib.services.ticket_reads import existing_ticket

MAX_ADDRESS = 254  # RFC 5321's limit on a forward path


def list_suppressions(principal: Principal, limit: int, cursor: str | None) -> SuppressionListOut:
    items, next_cursor = suppressions.list_suppressions(principal.tenant_id, limit, cursor)
    return SuppressionListOut(items=[suppression_public(i) for i in items], next_cursor=next_cursor)


def lift_suppression(principal: Principal, address: str) -> None:
    wanted = _address(address)
    found = suppressions.suppression_of(principal.tenant_id, wanted)
    if found is None:
        raise NotFound("This address is not suppressed.")
    audit = AuditEntry(
        principal.as_actor(),
        "email_suppression.lifted",
        AuditTarget("email_suppression", wanted),
        before=suppression_public(found).model_dump(mode="json"),
    )
    try:
        suppressions.lift(found, audit)
    except TransactionConflict as error:  # lifted meanwhile by someone else
        raise NotFound("This address is not suppressed.") from error


def requester_email(principal: Principal, ticket_id: str) -> RequesterEmailOut:
    address = str(existing_ticket(principal, ticket_id).requester["email"]).lower()
    found = suppressions.suppression_of(principal.tenant_id, address)
    return RequesterEmailOut(address=address, suppression=suppression_public(found) if found else None)


def suppression_public(item: SuppressedAddressItem) -> SuppressionOut:
    return SuppressionOut(
        address=item.email,
        reason="complaint" if item.reason == "complaint" else "bounce",
        detail=item.detail or "",
        at=to_text(item.at),
    )


def _address(raw: str) -> str:
    """The path's address, whether the caller encoded its ``@`` or not."""
    address = unquote(raw).strip().lower()
    if not 3 <= len(address) <= MAX_ADDRESS or "@" not in address[1:-1] or any(c.isspace() for c in address):
        raise invalid("address", "must be an email address")
    return address
