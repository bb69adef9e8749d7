"""Managing the people of a workspace and their routing profile."""

from __future__ import annotations

from typing import Any

from chalicelib.contracts.responses import UserOut
from chalicelib.data import identity
from chalicelib.data.models import UserItem
from chalicelib.data.store import new_id
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.domain.permissions import Permission, Role, permissions_for_role
from chalicelib.domain.principal import Principal
from chalicelib.services import revocation
from chalicelib.services.passwords import new_password_hash, words_about
from chalicelib.services.presenters import user_public, user_snapshot

# A password is changed by its owner through POST /me/password, which asks for the current one
SELF_SERVICE_FIELDS = {"name", "availability"}
ACCESS_FIELDS = {"role", "active", "password"}  # changing one ends the user's tokens and sockets


def list_users(principal: Principal, limit: int, cursor: str | None) -> dict[str, Any]:
    items, next_cursor = identity.list_users(principal.tenant_id, limit, cursor)
    return {"items": [user_public(u) for u in items], "next_cursor": next_cursor}


def get_user(principal: Principal, user_id: str) -> UserOut:
    return user_public(_existing(principal, user_id))


def create_user(principal: Principal, fields: dict[str, Any]) -> UserOut:
    tenant_id = principal.tenant_id
    _check_may_grant(principal, fields["role"])
    if identity.find_user_by_email(tenant_id, fields["email"]) is not None:
        raise Conflict("A user with this email already exists.", field="email")
    user = identity.user_item(
        tenant_id,
        new_id(),
        name=fields["name"],
        email=fields["email"].lower(),
        role=fields["role"],
        password_hash=new_password_hash(
            fields["password"], about=words_about(tenant_id, fields["name"], fields["email"])
        ),
        skills=set(fields["skills"]) or None,
        capacity=fields["capacity"],
        availability=fields["availability"],
    )
    identity.create_user(
        user,
        audit=AuditEntry(principal.as_actor(), "user.created", _target(user), after=user_snapshot(user)),
    )
    return user_public(user)


def update_user(principal: Principal, user_id: str, changes: dict[str, Any]) -> UserOut:
    _refuse_nulls(changes)
    user = _existing(principal, user_id)
    _check_may_change(principal, user, changes)
    if "role" in changes:
        _check_may_grant(principal, changes["role"])
    if "email" in changes and _email_taken_by_another(principal.tenant_id, user, changes["email"]):
        raise Conflict("A user with this email already exists.", field="email")
    before, previous_email = user_snapshot(user), user.email
    _apply(user, changes, principal)
    if "password" not in changes and _same(before, user_snapshot(user)):
        return user_public(user)  # nothing changed: no write, no version bump, no audit noise
    if not _still_has_an_admin(principal.tenant_id, user):
        raise Conflict("The workspace must keep at least one active admin.")
    after = user_snapshot(user)
    if "password" in changes:
        after = {**after, "password": "changed"}
    ends_access = _ends_access(before, user_snapshot(user), changes)
    if ends_access:
        user.token_generation = int(user.token_generation or 0) + 1
    identity.save_user(
        user,
        previous_email,
        audit=AuditEntry(principal.as_actor(), _update_action(changes), _target(user), before=before, after=after),
    )
    if ends_access:
        revocation.end_user_access(user.tenant_id, user.user_id)
    return user_public(user)


def delete_user(principal: Principal, user_id: str) -> None:
    user = _existing(principal, user_id)
    if user.user_id == principal.id:
        raise Conflict("You cannot delete your own account.")
    _check_outranks(principal, user)
    if user.role == Role.ADMIN and not _other_active_admins(principal.tenant_id, user.user_id):
        raise Conflict("The workspace must keep at least one active admin.")
    identity.delete_user(
        user,
        audit=AuditEntry(principal.as_actor(), "user.deleted", _target(user), before=user_snapshot(user)),
    )
    revocation.end_user_access(user.tenant_id, user.user_id)


def _existing(principal: Principal, user_id: str) -> UserItem:
    user = identity.get_user(principal.tenant_id, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def _email_taken_by_another(tenant_id: str, user: UserItem, email: str) -> bool:
    """Checked up front so the 409 names the field (the transaction's claim still guards races)."""
    if email.lower() == user.email.lower():
        return False
    return identity.find_user_by_email(tenant_id, email) is not None


def _refuse_nulls(changes: dict[str, Any]) -> None:
    """Every user field is required: ``null`` cannot clear one (it would fail deep in the save)."""
    nulls = sorted(field for field, value in changes.items() if value is None)
    if nulls:
        raise ValidationFailed([{"field": field, "message": "may not be null"} for field in nulls])


def _check_may_grant(principal: Principal, role: str) -> None:
    """Nobody hands out more than they hold: a users.manage-only API key cannot mint an admin."""
    if not permissions_for_role(role) <= principal.permissions:
        raise Forbidden("You cannot give a role with permissions you do not have.")


def _check_may_change(principal: Principal, user: UserItem, changes: dict[str, Any]) -> None:
    if principal.user_id == user.user_id and set(changes) <= SELF_SERVICE_FIELDS:
        return
    if not principal.can(Permission.USERS_MANAGE):
        raise Forbidden("You may change only your own name and availability (your password: POST /me/password).")
    _check_outranks(principal, user)


def _check_outranks(principal: Principal, user: UserItem) -> None:
    """Nobody changes the credentials, email, role or state of someone who may do more than they may:
    a users.manage key cannot take over an admin by setting the admin's password."""
    if principal.user_id != user.user_id and not permissions_for_role(user.role) <= principal.permissions:
        raise Forbidden("You cannot change a user whose permissions exceed your own.")


def _apply(user: UserItem, changes: dict[str, Any], principal: Principal) -> None:
    for field, value in changes.items():
        if field == "password":
            about = words_about(user.tenant_id, changes.get("name") or user.name, changes.get("email") or user.email)
            user.password_hash = new_password_hash(value, about=about)
            # A new password ends every other session; whoever changed their own keeps theirs.
            user.sessions_valid_after = utcnow()
            user.session_kept = principal.session_id if principal.user_id == user.user_id else None
        elif field == "skills":
            user.skills = set(value) or None
        elif field == "email":
            user.email = value.lower()
        else:
            setattr(user, field, value)
    user.updated_at = utcnow()


def _same(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return {k: v for k, v in before.items() if k != "updated_at"} == {
        k: v for k, v in after.items() if k != "updated_at"
    }


def _still_has_an_admin(tenant_id: str, changed: UserItem) -> bool:
    if changed.role == Role.ADMIN and changed.active:
        return True
    return _other_active_admins(tenant_id, changed.user_id)


def _other_active_admins(tenant_id: str, user_id: str) -> bool:
    return any(u.role == Role.ADMIN and u.active and u.user_id != user_id for u in identity.all_users(tenant_id))


def _ends_access(before: dict[str, Any], after: dict[str, Any], changes: dict[str, Any]) -> bool:
    return "password" in changes or any(before[f] != after[f] for f in ACCESS_FIELDS - {"password"})


def _update_action(changes: dict[str, Any]) -> str:
    return "user.role_changed" if "role" in changes else "user.updated"


def _target(user: UserItem) -> AuditTarget:
    return AuditTarget("user", user.user_id, name=user.name)
