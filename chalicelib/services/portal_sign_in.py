"""Passwordless sign-in to the customer portal: an emailed magic link, then a requester token.

1. ``request_sign_in``: the same 202 whether or not the workspace knows the address (nobody learns
   who is a customer). Each address has its own limit (429 with Retry-After, counted for unknown
   addresses too, so the answer still says nothing); the route adds a per-IP one. For a known
   contact it stores the link (its secret only hashed) and mails it through the platform's email.
2. ``confirm_sign_in``: a live, untampered link of this workspace is spent (a conditional delete:
   it opens once) and yields a short-lived requester token.
3. ``sign_out``: raises the contact's token generation, which ends every requester token at once.
"""

from __future__ import annotations

from datetime import timedelta

from chalicelib.contracts.portal import (
    PortalAcceptedOut,
    PortalWorkspaceOut,
    RequesterOut,
    RequesterTokenOut,
)
from chalicelib.data import contacts, identity, keys
from chalicelib.data.models import ContactItem, PortalLinkItem
from chalicelib.data.store import new_id
from chalicelib.domain.actors import Anonymous
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.contacts import normalised_email
from chalicelib.domain.delivery import DeliveryFailed
from chalicelib.domain.errors import NotFound, invalid
from chalicelib.domain.portal_links import (
    USED_OR_EXPIRED,
    LinkPurpose,
    LinkToken,
    parse_link_token,
    portal_link,
    sign_in_email,
)
from chalicelib.domain.principal import Principal
from chalicelib.observability import logger
from chalicelib.services import email as outgoing_email
from chalicelib.services import rate_limits
from chalicelib.services.tokens import hash_secret, issue_requester_token, new_secret, secret_matches
from chalicelib.settings import get_settings


def workspace_for_slug(slug: str) -> tuple[str, PortalWorkspaceOut]:
    """The workspace a portal address names, or 404."""
    tenant_id = identity.tenant_for_slug(slug.strip().lower())
    if tenant_id is None:
        raise NotFound("No such workspace.")
    return tenant_id, portal_workspace(tenant_id)


def accepted() -> PortalAcceptedOut:
    minutes = max(1, get_settings().portal_link_ttl_seconds // 60)
    return PortalAcceptedOut(
        status="link_sent",
        detail="If this address has requests with us, we emailed it a sign-in link. "
        f"The link works once, for {minutes} minutes.",
    )


def request_sign_in(slug: str, email: str) -> PortalAcceptedOut:
    address = normalised_email(email)
    rate_limits.check("portal_sign_in.address", f"{slug.strip().lower()}#{address}")
    tenant_id = identity.tenant_for_slug(slug.strip().lower())
    contact = contacts.contact_by_email(tenant_id, address) if tenant_id else None
    if tenant_id is None or contact is None:
        return accepted()
    token, link_item = new_link(tenant_id, "sign_in", address)
    contacts.save_link(
        link_item,
        AuditEntry(
            Anonymous(),
            "portal.sign_in_requested",
            AuditTarget("contact", contact.contact_id, name=contact.name),
            after={"expires_at": to_text(link_item.expires)},
        ),
    )
    workspace = identity.get_workspace(tenant_id)
    settings = get_settings()
    minutes = max(1, settings.portal_link_ttl_seconds // 60)
    rendered = sign_in_email(
        workspace.name if workspace else "",
        portal_link(settings.public_base_url, workspace.slug if workspace else slug, "sign_in", token),
        minutes,
    )
    try:
        outgoing_email.send_platform_email(contact.email, contact.name, rendered)
    except DeliveryFailed as failure:
        logger.warning("portal sign-in link not sent", extra={"reason": failure.reason})
    return accepted()


def new_link(
    tenant_id: str, purpose: LinkPurpose, email: str, request: dict[str, str] | None = None
) -> tuple[LinkToken, PortalLinkItem]:
    settings = get_settings()
    ttl = settings.portal_link_ttl_seconds if purpose == "sign_in" else settings.web_request_ttl_seconds
    token = LinkToken(tenant_id, new_id(), new_secret())
    now = utcnow()
    item = PortalLinkItem(
        *keys.portal_link(tenant_id, token.link_id),
        tenant_id=tenant_id,
        link_id=token.link_id,
        purpose=purpose,
        email=email,
        token_hash=hash_secret(token.secret),
        created_at=now,
        expires=now + timedelta(seconds=ttl),
        request=request,
    )
    return token, item


def spend(slug: str, raw_token: str, purpose: LinkPurpose) -> PortalLinkItem:
    """The link this token opens, spent now; a used, expired, tampered or foreign one is a 422
    naming ``token`` (the portal shows it as "ask for a new link")."""
    link = valid_link(slug, raw_token, purpose)
    if not contacts.spend_link(link):
        raise invalid("token", USED_OR_EXPIRED)
    return link


def valid_link(slug: str, raw_token: str, purpose: LinkPurpose) -> PortalLinkItem:
    """The unspent link this token opens, read (not spent: a caller that writes with it spends it in
    its own transaction); a used, expired, tampered or foreign one is a 422 naming ``token``."""
    tenant_id, _ = workspace_for_slug(slug)
    token = parse_link_token(raw_token)
    if token is None or token.tenant_id != tenant_id:
        raise invalid("token", USED_OR_EXPIRED)
    link = contacts.get_link(tenant_id, token.link_id)
    if (
        link is None
        or link.purpose != purpose
        or link.expires < utcnow()
        or not secret_matches(token.secret, link.token_hash)
    ):
        raise invalid("token", USED_OR_EXPIRED)
    return link


def confirm_sign_in(slug: str, raw_token: str) -> RequesterTokenOut:
    link = spend(slug, raw_token, "sign_in")
    contact = contacts.contact_by_email(link.tenant_id, link.email)
    if contact is None:
        raise invalid("token", USED_OR_EXPIRED)
    contacts.touch_contact(link.tenant_id, contact.contact_id, utcnow())
    return requester_token(contact)


def requester_token(contact: ContactItem) -> RequesterTokenOut:
    workspace = portal_workspace(contact.tenant_id)
    token, ttl = issue_requester_token(
        tenant_id=contact.tenant_id,
        contact_id=contact.contact_id,
        email=contact.email,
        name=contact.name,
        generation=int(contact.token_generation or 0),
    )
    return RequesterTokenOut(
        access_token=token,
        token_type="Bearer",
        expires_in=ttl,
        requester=RequesterOut(id=contact.contact_id, name=contact.name, email=contact.email),
        workspace=workspace,
    )


def sign_out(principal: Principal, slug: str) -> None:
    if identity.tenant_for_slug(slug.strip().lower()) != principal.tenant_id:
        raise NotFound("No such workspace.")
    contacts.end_requester_tokens(principal.tenant_id, principal.id)


def portal_workspace(tenant_id: str) -> PortalWorkspaceOut:
    workspace = identity.get_workspace(tenant_id)
    if workspace is None:
        raise NotFound("No such workspace.")
    enabled = bool(contacts.get_settings_item(tenant_id).web_form_enabled)
    return PortalWorkspaceOut(name=workspace.name, slug=workspace.slug, web_form_enabled=enabled)
