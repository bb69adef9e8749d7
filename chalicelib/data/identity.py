"""Workspaces, users, sessions, login throttles and API keys. Every function takes the tenant first."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.data import keys
from chalicelib.data.cursor import decode_cursor, encode_cursor
from chalicelib.data.models import (
    ApiKeyItem,
    EmailClaim,
    MainItem,
    NotificationPrefsItem,
    PendingSignupItem,
    RegistryEntry,
    SessionItem,
    SlugClaim,
    UserItem,
    UserSessionIndexItem,
    WorkspaceItem,
)
from chalicelib.data.store import transaction
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.clock import utcnow
from chalicelib.observability import current_request_info

# --- workspaces -------------------------------------------------------------------------------


def slug_taken(slug: str) -> bool:
    return tenant_for_slug(slug) is not None


def tenant_for_slug(slug: str) -> str | None:
    try:
        return SlugClaim.get(*keys.slug_claim(slug)).tenant_id
    except DoesNotExist:
        return None


def create_workspace(
    workspace: WorkspaceItem, admin: UserItem, audit: AuditEntry, confirmed_signup: PendingSignupItem | None = None
) -> None:
    """Claims the slug and creates the workspace with its admin; ``confirmed_signup`` is used up in
    the same transaction, so one emailed link makes at most one workspace."""
    tenant_id = workspace.tenant_id
    claim = SlugClaim(*keys.slug_claim(workspace.slug), tenant_id=tenant_id)
    with transaction(tenant_id, audit) as tx:
        if confirmed_signup is not None:
            tx.delete(confirmed_signup, condition=PendingSignupItem.pk.exists())
        tx.save(claim, condition=SlugClaim.pk.does_not_exist())
        # a new workspace's tickets carry the composite list keys from the first one
        # and its searches read the ranked postings; its comment postings are written with their source
        tx.save(
            RegistryEntry(
                *keys.registry_entry(tenant_id),
                tenant_id=tenant_id,
                list_keys_ready=True,
                ranked_postings_ready=True,
                comment_postings_tagged=True,
            )
        )
        tx.save(workspace, condition=WorkspaceItem.pk.does_not_exist())
        _claim_email(tx, admin)
        tx.save(admin)


def all_tenant_ids() -> list[str]:
    return [entry.tenant_id for entry in all_registry_entries()]


def all_registry_entries() -> list[RegistryEntry]:
    return list(RegistryEntry.query(keys.registry_entry("")[0]))


def mark_sla_checks_queued(entry: RegistryEntry, until: datetime) -> None:
    entry.update(actions=[RegistryEntry.sla_checks_until.set(until)])


def mark_metrics_rebuilt(tenant_id: str, day: str) -> None:
    RegistryEntry(*keys.registry_entry(tenant_id)).update(actions=[RegistryEntry.metrics_rebuilt_through.set(day)])


def record_comment_postings_progress(entry: RegistryEntry, after: str | None, done: bool) -> None:
    actions: list[Any] = [RegistryEntry.comment_postings_tagged.set(done)]
    if after is not None:
        actions.append(RegistryEntry.comment_postings_after.set(after))
    entry.update(actions=actions)


def record_ranked_postings_progress(entry: RegistryEntry, after: str | None, done: bool) -> None:
    actions: list[Any] = [RegistryEntry.ranked_postings_ready.set(done)]
    if after is not None:
        actions.append(RegistryEntry.ranked_postings_after.set(after))
    entry.update(actions=actions)


def ranked_postings_ready(tenant_id: str) -> bool:
    """Whether every ticket of the workspace has its ranked postings (one GetItem)."""
    try:
        entry = RegistryEntry.get(*keys.registry_entry(tenant_id), attributes_to_get=["ranked_postings_ready"])
    except DoesNotExist:
        return False
    return bool(entry.ranked_postings_ready)


def get_workspace(tenant_id: str) -> WorkspaceItem | None:
    try:
        return WorkspaceItem.get(*keys.workspace(tenant_id))
    except DoesNotExist:
        return None


def workspace_item(
    tenant_id: str,
    name: str,
    slug: str,
    email_confirmed_at: datetime | None = None,
    outbound_vetted_at: datetime | None = None,
) -> WorkspaceItem:
    return WorkspaceItem(
        *keys.workspace(tenant_id),
        tenant_id=tenant_id,
        name=name,
        slug=slug,
        created_at=utcnow(),
        email_confirmed_at=email_confirmed_at,
        outbound_vetted_at=outbound_vetted_at,
    )


# --- users ------------------------------------------------------------------------------------


def user_item(tenant_id: str, user_id: str, **fields: Any) -> UserItem:
    now = utcnow()
    return UserItem(
        keys.users(tenant_id), user_id, tenant_id=tenant_id, user_id=user_id, created_at=now, updated_at=now, **fields
    )


def get_user(tenant_id: str, user_id: str) -> UserItem | None:
    try:
        return UserItem.get(keys.users(tenant_id), user_id)
    except DoesNotExist:
        return None


def user_and_prefs(tenant_id: str, user_id: str) -> tuple[UserItem | None, NotificationPrefsItem | None]:
    """A user and their notification preferences, in one BatchGetItem (a notification's planning needs both)."""
    found = list(MainItem.batch_get([(keys.users(tenant_id), user_id), keys.notification_prefs(tenant_id, user_id)]))
    user = next((item for item in found if isinstance(item, UserItem)), None)
    prefs = next((item for item in found if isinstance(item, NotificationPrefsItem)), None)
    return user, prefs


def find_user_by_email(tenant_id: str, email: str) -> UserItem | None:
    try:
        claim = EmailClaim.get(*keys.email_claim(tenant_id, email))
    except DoesNotExist:
        return None
    return get_user(tenant_id, claim.user_id)


def list_users(tenant_id: str, limit: int, cursor: str | None) -> tuple[list[UserItem], str | None]:
    start = decode_cursor(tenant_id, "users", cursor)
    result = UserItem.query(keys.users(tenant_id), limit=limit, last_evaluated_key=start)
    items = list(result)
    next_key = result.last_evaluated_key
    return items, encode_cursor(tenant_id, "users", next_key) if next_key else None


def all_users(tenant_id: str) -> list[UserItem]:
    return list(UserItem.query(keys.users(tenant_id)))


def create_user(user: UserItem, audit: AuditEntry) -> None:
    with transaction(user.tenant_id, audit) as tx:
        _claim_email(tx, user)
        tx.save(user)


def save_user(user: UserItem, previous_email: str, audit: AuditEntry) -> None:
    """Saves a changed user (optimistic lock on its version), moving the email claim if it changed."""
    if previous_email.lower() != user.email.lower():
        user.email_confirmed_at = None  # nobody has proved the new address
    with transaction(user.tenant_id, audit) as tx:
        if previous_email.lower() != user.email.lower():
            tx.delete(EmailClaim(*keys.email_claim(user.tenant_id, previous_email)))
            _claim_email(tx, user)
        tx.save(user)


def delete_user(user: UserItem, audit: AuditEntry) -> None:
    with transaction(user.tenant_id, audit) as tx:
        tx.delete(EmailClaim(*keys.email_claim(user.tenant_id, user.email)))
        tx.delete(user)


def _claim_email(tx: Any, user: UserItem) -> None:
    claim = EmailClaim(*keys.email_claim(user.tenant_id, user.email), tenant_id=user.tenant_id, user_id=user.user_id)
    tx.save(claim, condition=EmailClaim.pk.does_not_exist())


def end_access_tokens(tenant_id: str, user_id: str) -> None:
    """Moves the user to a new token generation: every access token issued before stops working."""
    from pynamodb.exceptions import UpdateError

    user = get_user(tenant_id, user_id)
    if user is None:
        return  # the user is gone: nothing of theirs is valid any more
    try:
        # An atomic add, so no concurrent change is lost; the version still moves on.
        user.update(
            actions=[UserItem.token_generation.add(1)], condition=UserItem.pk.exists(), add_version_condition=False
        )
    except UpdateError:
        return


# --- sessions (refresh-token families) ---------------------------------------------------------


def create_session(session: SessionItem, audit: AuditEntry | None) -> None:
    """The family and its entry in the person's session list land together."""
    info = current_request_info()
    listed = UserSessionIndexItem(
        keys.user_sessions(session.tenant_id, session.user_id),
        _family_of(session),
        tenant_id=session.tenant_id,
        user_id=session.user_id,
        created_at=session.created_at,
        last_used_at=session.created_at,
        user_agent=info.user_agent,
        source_ip=info.source_ip,
        expires=session.expires,
    )
    with transaction(session.tenant_id, audit) as tx:
        tx.save(session, condition=SessionItem.pk.does_not_exist())
        tx.save(listed)


def _family_of(session: SessionItem) -> str:
    return str(session.pk).rsplit("#", 1)[-1]


def list_user_sessions(tenant_id: str, user_id: str) -> list[UserSessionIndexItem]:
    return list(UserSessionIndexItem.query(keys.user_sessions(tenant_id, user_id)))


def touch_user_session(tenant_id: str, user_id: str, family_id: str, at: datetime) -> None:
    """Marks the listed session used now (a refresh); a session no longer listed stays unlisted."""
    item = UserSessionIndexItem(keys.user_sessions(tenant_id, user_id), family_id, tenant_id=tenant_id)
    try:
        item.update(actions=[UserSessionIndexItem.last_used_at.set(at)], condition=UserSessionIndexItem.pk.exists())
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def session_item(
    tenant_id: str, family_id: str, user_id: str, token_id: str, token_hash: str, expires: datetime
) -> SessionItem:
    return SessionItem(
        *keys.session(tenant_id, family_id),
        tenant_id=tenant_id,
        user_id=user_id,
        current_token_id=token_id,
        token_hash=token_hash,
        created_at=utcnow(),
        expires=expires,
    )


def get_session(tenant_id: str, family_id: str) -> SessionItem | None:
    try:
        return SessionItem.get(*keys.session(tenant_id, family_id), consistent_read=True)
    except DoesNotExist:
        return None


def rotate_session(session: SessionItem, presented_token_id: str, token_id: str, token_hash: str) -> bool:
    """Moves the family to a new token if ``presented_token_id`` is still current. False on a race."""
    from pynamodb.exceptions import UpdateError

    try:
        session.update(
            actions=[SessionItem.current_token_id.set(token_id), SessionItem.token_hash.set(token_hash)],
            condition=(SessionItem.current_token_id == presented_token_id) & (SessionItem.revoked == False),  # noqa: E712
        )
    except UpdateError:
        return False
    return True


def revoke_session(session: SessionItem, audit: AuditEntry | None) -> None:
    session.revoked = True
    listed = UserSessionIndexItem(
        keys.user_sessions(session.tenant_id, session.user_id), _family_of(session), tenant_id=session.tenant_id
    )
    with transaction(session.tenant_id, audit) as tx:
        tx.update(session, actions=[SessionItem.revoked.set(True)])
        tx.delete(listed)


# --- API keys ---------------------------------------------------------------------------------


def create_api_key(key: ApiKeyItem, audit: AuditEntry) -> None:
    with transaction(key.tenant_id, audit) as tx:
        tx.save(key, condition=ApiKeyItem.pk.does_not_exist())


def api_key_item(tenant_id: str, key_id: str, **fields: Any) -> ApiKeyItem:
    return ApiKeyItem(
        keys.api_keys(tenant_id), key_id, tenant_id=tenant_id, key_id=key_id, created_at=utcnow(), **fields
    )


def get_api_key(tenant_id: str, key_id: str) -> ApiKeyItem | None:
    try:
        return ApiKeyItem.get(keys.api_keys(tenant_id), key_id)
    except DoesNotExist:
        return None


def list_api_keys(tenant_id: str) -> list[ApiKeyItem]:
    return list(ApiKeyItem.query(keys.api_keys(tenant_id)))


def delete_api_key(key: ApiKeyItem, audit: AuditEntry) -> None:
    with transaction(key.tenant_id, audit) as tx:
        tx.delete(key)


def touch_api_key(key: ApiKeyItem) -> None:
    """Records use at most hourly, so a busy integration does not write on every request."""
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at > timedelta(hours=1):
        key.update(actions=[ApiKeyItem.last_used_at.set(now)])


def touch_last_seen(tenant_id: str, user_id: str) -> None:
    """Not versioned on purpose: a timestamp, not a change anyone could overwrite, so it must neither
    bump nor check the user's version (an agent's profile edit must not conflict with their tab
    closing). ``Model.update`` always does one or the other (on an instance without a loaded version
    it demands that none exists, which failed for every real user, silently), hence the plain
    UpdateItem. A user who no longer exists is left alone."""
    try:
        UserItem._get_connection().update_item(
            keys.users(tenant_id),
            range_key=user_id,
            actions=[UserItem.last_seen_at.set(utcnow())],
            condition=UserItem.pk.exists(),
        )
    except UpdateError:
        return
