"""Pending invitations to a workspace, and accepting one: the user, their email claim and the spent
invitation in one transaction, so an invitation makes at most one account."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.data import keys
from chalicelib.data.models import EmailClaim, InvitationItem, UserItem
from chalicelib.data.store import transaction
from chalicelib.domain.audit import AuditEntry


def invitation_item(tenant_id: str, invitation_id: str, **fields: Any) -> InvitationItem:
    return InvitationItem(
        keys.invitations(tenant_id), invitation_id, tenant_id=tenant_id, invitation_id=invitation_id, **fields
    )


def get_invitation(tenant_id: str, invitation_id: str) -> InvitationItem | None:
    try:
        return InvitationItem.get(keys.invitations(tenant_id), invitation_id)
    except DoesNotExist:
        return None


def list_invitations(tenant_id: str) -> list[InvitationItem]:
    return list(InvitationItem.query(keys.invitations(tenant_id)))


def save_invitation(invitation: InvitationItem, audit: AuditEntry) -> None:
    """Raises TransactionConflict when it changed meanwhile (optimistic lock)."""
    with transaction(invitation.tenant_id, audit) as tx:
        tx.save(invitation)


def delete_invitation(invitation: InvitationItem, audit: AuditEntry) -> None:
    with transaction(invitation.tenant_id, audit) as tx:
        tx.delete(invitation, condition=InvitationItem.pk.exists())


def accept(invitation: InvitationItem, user: UserItem, audit: AuditEntry) -> None:
    """Raises TransactionConflict when the invitation was spent or revoked, or the email is taken."""
    with transaction(user.tenant_id, audit) as tx:
        tx.delete(invitation, condition=InvitationItem.pk.exists())
        claim = EmailClaim(
            *keys.email_claim(user.tenant_id, user.email), tenant_id=user.tenant_id, user_id=user.user_id
        )
        tx.save(claim, condition=EmailClaim.pk.does_not_exist())
        tx.save(user)
