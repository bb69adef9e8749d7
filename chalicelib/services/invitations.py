"""Joining a workspace by invitation: an admin names an address and a role; the person gets a one-time
link that expires, chooses their name and password, and only then does their account exist. Until
then the invitation is listed as pending and can be sent again (a new link; the old one dies) or
revoked. Every step is audited. The email passes the workspace's outbound gate (a new workspace is no
relay for mail to strangers)."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.contracts.people import InvitationListOut, InvitationOut
from chalicelib.contracts.responses import TokensOut
from chalicelib.data import identity
from chalicelib.data import invitations as repo
from chalicelib.data.models import InvitationItem
from chalicelib.data.store import TransactionConflict, new_id
from chalicelib.domain.actors import Person
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import to_text, utcnow
from chalicelib.domain.delivery import DeliveryFailed
from chalicelib.domain.email_headers import recipient, sender
from chalicelib.domain.errors import Conflict, Forbidden, NotFound, invalid
from chalicelib.domain.invitations import (
    INVITATION_TTL_SECONDS,
    InvitationToken,
    invitation_email,
    invitation_link,
    parse_invitation_token,
)
from chalicelib.domain.permissions import permissions_for_role
from chalicelib.domain.principal import Principal
from chalicelib.services import email as outgoing_email
from chalicelib.services import outbound_email
from chalicelib.services.identity import start_session
from chalicelib.services.passwords import new_password_hash, words_about
from chalicelib.services.tokens import hash_secret, new_secret, secret_matches
from chalicelib.settings import get_settings

EXPIRED = "This invitation has expired, was revoked or was already used. Ask your admin for a new one."


def invite(principal: Principal, email: str, role: str) -> InvitationOut:
    address = email.strip().lower()
    if not permissions_for_role(role) <= principal.permissions:
        raise Forbidden("You cannot give a role with permissions you do not have.")
    if identity.find_user_by_email(principal.tenant_id, address) is not None:
        raise Conflict("A user with this email already exists.", field="email")
    if any(i.email == address for i in repo.list_invitations(principal.tenant_id) if i.expires > utcnow()):
        raise Conflict("This address is invited already: send the invitation again instead.", field="email")
    now = utcnow()
    invitation = repo.invitation_item(
        principal.tenant_id,
        new_id(),
        email=address,
        role=role,
        token_hash="",
        invited_by=principal.actor(),
        created_at=now,
        sent_at=now,
        expires=now,
    )
    token = _renew(invitation)
    _admit(principal.tenant_id, address, invitation.invitation_id)
    repo.save_invitation(invitation, _audit(principal, "user.invited", invitation))
    _send(invitation, token, principal.name)
    return invitation_public(invitation)


def list_invitations(principal: Principal) -> InvitationListOut:
    pending = sorted(repo.list_invitations(principal.tenant_id), key=lambda i: i.created_at, reverse=True)
    return InvitationListOut(items=[invitation_public(i) for i in pending])


def resend(principal: Principal, invitation_id: str) -> InvitationOut:
    invitation = _existing(principal, invitation_id)
    token = _renew(invitation)
    _admit(principal.tenant_id, invitation.email, invitation.invitation_id)
    try:
        repo.save_invitation(invitation, _audit(principal, "user.invitation_resent", invitation))
    except TransactionConflict as conflict:
        raise Conflict("The invitation changed meanwhile; reload and try again.") from conflict
    _send(invitation, token, principal.name)
    return invitation_public(invitation)


def revoke(principal: Principal, invitation_id: str) -> None:
    invitation = _existing(principal, invitation_id)
    try:
        repo.delete_invitation(invitation, _audit(principal, "user.invitation_revoked", invitation))
    except TransactionConflict as conflict:
        raise NotFound("No such invitation.") from conflict


def accept(*, token: str, name: str, password: str) -> TokensOut:
    parsed = parse_invitation_token(token)
    if parsed is None:
        raise invalid("token", EXPIRED)
    invitation = repo.get_invitation(parsed.tenant_id, parsed.invitation_id)
    if invitation is None or invitation.expires < utcnow() or not secret_matches(parsed.secret, invitation.token_hash):
        raise invalid("token", EXPIRED)
    tenant_id = invitation.tenant_id
    if identity.find_user_by_email(tenant_id, invitation.email) is not None:
        raise invalid("token", "An account with this email exists already: sign in, or reset its password.")
    password_hash = new_password_hash(password, about=words_about(tenant_id, name, invitation.email))
    user = identity.user_item(
        tenant_id,
        new_id(),
        name=name,
        email=invitation.email,
        role=invitation.role,
        password_hash=password_hash,
        email_confirmed_at=utcnow(),  # the link reached this address
    )
    audit = AuditEntry(
        Person(user.user_id, user.name),
        "user.invitation_accepted",
        AuditTarget("user", user.user_id, name=user.name),
        after={"email": user.email, "role": user.role, "invitation_id": invitation.invitation_id},
    )
    try:
        repo.accept(invitation, user, audit)
    except TransactionConflict as conflict:
        raise invalid("token", EXPIRED) from conflict
    return start_session(user, "auth.login")


def invitation_public(invitation: InvitationItem) -> InvitationOut:
    return InvitationOut(
        id=invitation.invitation_id,
        email=invitation.email,
        role=invitation.role,  # type: ignore[arg-type]  # a RoleName; the model checks it
        invited_by=str(invitation.invited_by.get("name") or ""),
        created_at=to_text(invitation.created_at),
        sent_at=to_text(invitation.sent_at),
        expires_at=to_text(invitation.expires),
        expired=invitation.expires < utcnow(),
    )


def _renew(invitation: InvitationItem) -> InvitationToken:
    """A fresh secret and expiry: any link sent before stops working."""
    token = InvitationToken(invitation.tenant_id, invitation.invitation_id, new_secret())
    now = utcnow()
    invitation.token_hash = hash_secret(token.secret)
    invitation.sent_at = now
    invitation.expires = now + timedelta(seconds=INVITATION_TTL_SECONDS)
    return token


def _admit(tenant_id: str, address: str, invitation_id: str) -> None:
    try:
        outbound_email.admit(tenant_id, address, f"invitation:{invitation_id}")
    except DeliveryFailed as failure:
        raise Conflict(f"The invitation cannot be emailed now ({failure.reason}).", field="email") from failure


def _send(invitation: InvitationItem, token: InvitationToken, inviter: str) -> None:
    settings = get_settings()
    workspace = identity.get_workspace(invitation.tenant_id)
    name = workspace.name if workspace else ""
    rendered = invitation_email(
        inviter,
        name,
        workspace.slug if workspace else "",
        invitation.role,
        invitation_link(settings.public_base_url, token),
        INVITATION_TTL_SECONDS // 86400,
    )
    message = outgoing_email.build_message(
        sender(name, settings.email_sender), recipient("", invitation.email), rendered, None, None
    )
    try:
        outgoing_email.send(message, tenant_id=invitation.tenant_id)
    except DeliveryFailed as failure:
        raise Conflict(f"The invitation was saved but not emailed ({failure.reason}); send it again.") from failure


def _existing(principal: Principal, invitation_id: str) -> InvitationItem:
    invitation = repo.get_invitation(principal.tenant_id, invitation_id)
    if invitation is None:
        raise NotFound("No such invitation.")
    return invitation


def _audit(principal: Principal, action: str, invitation: InvitationItem) -> AuditEntry:
    return AuditEntry(
        principal.as_actor(),
        action,
        AuditTarget("invitation", invitation.invitation_id, name=invitation.email),
        after={"email": invitation.email, "role": invitation.role, "expires_at": to_text(invitation.expires)},
    )
