"""A workspace's email-in settings: its support address, and the additional addresses an admin
adds (``<slug>+<name>@``), each opening tickets in a queue."""

from __future__ import annotations

from chalicelib.contracts.responses import EmailAddressOut, EmailSettingsOut
from chalicelib.data import identity, mail
from chalicelib.data.models import InboundAddressItem
from chalicelib.data.store import TransactionConflict, new_id
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import to_text
from chalicelib.domain.errors import Conflict, NotFound, invalid
from chalicelib.domain.inbound_addresses import support_address
from chalicelib.domain.principal import Principal
from chalicelib.settings import get_settings

MAX_ADDRESSES = 50


def email_settings(principal: Principal) -> EmailSettingsOut:
    slug = _slug(principal.tenant_id)
    main = support_address(slug, get_settings().inbound_domain)
    addresses = sorted(mail.list_addresses(principal.tenant_id), key=lambda a: a.created_at)
    return EmailSettingsOut(
        support_address=main,
        addresses=[address_public(a, slug) for a in addresses],
        forwarding_instructions=(
            f"Forward your team's own support address (for example support@yourcompany.com) to {main}: "
            "in your mail provider, add a forwarding rule or an alias that sends every message to that "
            "address, keeping the original sender. Each message opens a ticket; customers' replies "
            "thread back onto their ticket. Use 'Send a test email' to check the path end to end."
        ),
    )


def add_address(principal: Principal, name: str, queue: str) -> EmailAddressOut:
    tenant_id = principal.tenant_id
    slug = _slug(tenant_id)
    if len(mail.list_addresses(tenant_id)) >= MAX_ADDRESSES:
        raise invalid("name", f"cannot be added: a workspace has at most {MAX_ADDRESSES} additional addresses")
    item = mail.address_item(tenant_id, new_id(), name, queue, principal.id)
    snapshot = address_public(item, slug).model_dump(mode="json")
    audit = AuditEntry(
        principal.as_actor(), "email_address.created", AuditTarget("email_address", item.address_id), after=snapshot
    )
    try:
        mail.create_address(item, audit)
    except TransactionConflict as error:
        raise Conflict("This address exists already.", field="name") from error
    return address_public(item, slug)


def delete_address(principal: Principal, address_id: str) -> None:
    found = next((a for a in mail.list_addresses(principal.tenant_id) if a.address_id == address_id), None)
    if found is None:
        raise NotFound("No such email address.")
    snapshot = address_public(found, _slug(principal.tenant_id)).model_dump(mode="json")
    audit = AuditEntry(
        principal.as_actor(), "email_address.deleted", AuditTarget("email_address", address_id), before=snapshot
    )
    try:
        mail.delete_address(found, audit)
    except TransactionConflict as error:  # removed meanwhile by someone else
        raise NotFound("No such email address.") from error


def address_public(item: InboundAddressItem, slug: str) -> EmailAddressOut:
    return EmailAddressOut(
        id=item.address_id,
        address=support_address(slug, get_settings().inbound_domain, item.name),
        queue=item.queue,
        created_at=to_text(item.created_at),
    )


def _slug(tenant_id: str) -> str:
    workspace = identity.get_workspace(tenant_id)
    if workspace is None:
        raise NotFound("No such workspace.")
    return workspace.slug
