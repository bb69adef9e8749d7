"""The public web form (and the widget's iframe, which shows it): a request written without signing
in is sent only once its address confirms it by an emailed link, so nobody opens tickets in someone
else's name.

Bot protection without a third-party service: a honeypot field (a filled one gets the same answer
and nothing happens), a per-IP limit (the route's) and a per-workspace limit, and the confirmation.
"""

from __future__ import annotations

from chalicelib.contracts.portal import PortalAcceptedOut, WebRequestConfirmedOut
from chalicelib.data import contacts, identity
from chalicelib.data.models import PortalLinkItem
from chalicelib.domain.actors import Anonymous, PortalRequester
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.contacts import normalised_email
from chalicelib.domain.delivery import DeliveryFailed
from chalicelib.domain.errors import NotFound, invalid
from chalicelib.domain.portal_links import USED_OR_EXPIRED, portal_link, web_request_email
from chalicelib.observability import logger
from chalicelib.services import email as outgoing_email
from chalicelib.services import rate_limits
from chalicelib.services.portal_requests import open_ticket, request_public
from chalicelib.services.portal_sign_in import new_link, requester_token, valid_link, workspace_for_slug
from chalicelib.settings import get_settings

FORM_OFF = "This workspace does not take requests from the web form."


def accepted() -> PortalAcceptedOut:
    hours = max(1, get_settings().web_request_ttl_seconds // 3600)
    return PortalAcceptedOut(
        status="link_sent",
        detail=f"We emailed you a link to confirm your request. It is sent once you confirm (within {hours} hours).",
    )


def submit(slug: str, email: str, name: str, subject: str, description: str, website: str) -> PortalAcceptedOut:
    tenant_id, workspace = workspace_for_slug(slug)
    if not workspace.web_form_enabled:
        raise NotFound(FORM_OFF)
    rate_limits.check("web_form.workspace", tenant_id)
    if website.strip():
        logger.info("web form honeypot filled", extra={"tenant_id": tenant_id})
        return accepted()
    address = normalised_email(email)
    token, link = new_link(
        tenant_id, "web_request", address, {"name": name.strip(), "subject": subject, "description": description}
    )
    contacts.save_link(
        link,
        AuditEntry(
            Anonymous(),
            "portal.web_request_submitted",
            AuditTarget("web_request", link.link_id, name=subject[:80]),
            after={"email": address, "expires_at": to_text(link.expires)},
        ),
    )
    settings = get_settings()
    rendered = web_request_email(
        workspace.name,
        subject,
        portal_link(settings.public_base_url, workspace.slug, "web_request", token),
        max(1, settings.web_request_ttl_seconds // 3600),
    )
    try:
        outgoing_email.send_platform_email(address, name, rendered)
    except DeliveryFailed as failure:
        logger.warning("web form confirmation not sent", extra={"reason": failure.reason})
    return accepted()


def confirm(slug: str, raw_token: str) -> WebRequestConfirmedOut:
    """Opens the request as its (now proven) requester, who is signed in to the portal: the answer
    carries a requester token. The link is spent in the ticket's own transaction, so a request that
    could not be saved leaves the link working for another try, and two clicks open one ticket."""
    link = valid_link(slug, raw_token, "web_request")
    tenant_id = link.tenant_id
    if not contacts.get_settings_item(tenant_id).web_form_enabled or identity.get_workspace(tenant_id) is None:
        raise NotFound(FORM_OFF)
    asked = link.request or {}
    name = str(asked.get("name", ""))
    ticket = open_ticket(
        tenant_id,
        PortalRequester(link.email, name),
        link.email,
        name,
        str(asked.get("subject", "")),
        str(asked.get("description", "")),
        ticket_id=link.link_id,  # the link opens one ticket, whatever happens to this request
        spending=lambda: (_unspent(link),),
    )
    contact = contacts.ensure_contact(tenant_id, link.email, name, utcnow())
    return WebRequestConfirmedOut(request=request_public(ticket), token=requester_token(contact))


def _unspent(link: PortalLinkItem) -> PortalLinkItem:
    """The link as stored now: gone means another click spent it (and opened the request)."""
    current = contacts.get_link(link.tenant_id, link.link_id)
    if current is None or current.token_hash != link.token_hash:
        raise invalid("token", USED_OR_EXPIRED)
    return current
