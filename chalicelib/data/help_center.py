"""The knowledge base's storage: articles and their versions, the deflection funnel's counters and
sessions, and the workspace's survey setting. Every function takes the tenant first.

Keys (main table): articles ``T#<t>#KB`` / ``A#<slug>``, their versions ``T#<t>#KB`` /
``V#<slug>#<number, 6 digits>`` (one Query lists an article's history, another every article);
funnel counters ``T#<t>#KBSTATS`` / ``<day>``; funnel sessions ``T#<t>#KBSESSION`` / ``<session id>``
(TTL); the survey setting ``T#<t>`` / ``CSAT_SETTINGS``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.data import keys
from chalicelib.data.models import ArticleItem, ArticleVersionItem, CsatSettingsItem, HelpSessionItem, HelpStatsItem
from chalicelib.data.store import transaction
from chalicelib.domain.audit import AuditEntry

SESSION_KEPT = timedelta(days=2)


def articles_partition(tenant_id: str) -> str:
    return f"{keys.tenant(tenant_id)}#KB"


def article_sk(article_id: str) -> str:
    return f"A#{article_id}"


def version_sk(article_id: str, number: int) -> str:
    return f"V#{article_id}#{number:06d}"


def list_articles(tenant_id: str) -> list[ArticleItem]:
    return list(ArticleItem.query(articles_partition(tenant_id), ArticleItem.sk.startswith("A#")))


def get_article(tenant_id: str, article_id: str) -> ArticleItem | None:
    try:
        return ArticleItem.get(articles_partition(tenant_id), article_sk(article_id))
    except DoesNotExist:
        return None


def get_articles(tenant_id: str, article_ids: list[str]) -> dict[str, ArticleItem]:
    wanted = [(articles_partition(tenant_id), article_sk(a)) for a in dict.fromkeys(article_ids)]
    return {item.article_id: item for item in ArticleItem.batch_get(wanted)} if wanted else {}


def save_article(article: ArticleItem, version: ArticleVersionItem, audit: AuditEntry, *, new: bool) -> None:
    """The article and its new version together; a new one only if its slug is free, an edit only if
    nobody saved it meanwhile (its version attribute): TransactionConflict otherwise."""
    with transaction(article.tenant_id, audit) as tx:
        tx.save(article, condition=ArticleItem.pk.does_not_exist() if new else None)
        tx.save(version, condition=ArticleVersionItem.pk.does_not_exist())


def list_versions(tenant_id: str, article_id: str) -> list[ArticleVersionItem]:
    prefix = f"V#{article_id}#"
    return list(
        ArticleVersionItem.query(
            articles_partition(tenant_id), ArticleVersionItem.sk.startswith(prefix), scan_index_forward=False
        )
    )


# --- the deflection funnel -------------------------------------------------------------------------


def stats_partition(tenant_id: str) -> str:
    return f"{keys.tenant(tenant_id)}#KBSTATS"


def sessions_partition(tenant_id: str) -> str:
    return f"{keys.tenant(tenant_id)}#KBSESSION"


def mark_session(tenant_id: str, session_id: str, step: str, now: datetime, *, needs_opened: bool = False) -> bool:
    """Stamps ``step`` (suggested, opened, submitted) on the session the first time only; True when
    this call stamped it. ``needs_opened``: only on a session where a suggestion was opened."""
    attribute = {"suggested": HelpSessionItem.suggested_at, "opened": HelpSessionItem.opened_at}.get(
        step, HelpSessionItem.submitted_at
    )
    session = HelpSessionItem(sessions_partition(tenant_id), session_id)
    actions: list[Action] = [
        HelpSessionItem.kind.set(HelpSessionItem),  # type: ignore[arg-type]  # the discriminator takes the class
        HelpSessionItem.tenant_id.set(tenant_id),
        HelpSessionItem.session_id.set(session_id),
        HelpSessionItem.expires.set(now + SESSION_KEPT),
        attribute.set(now),
    ]
    if step == "opened":
        actions.append(HelpSessionItem.opened_day.set(now.date().isoformat()))
    condition = attribute.does_not_exist()
    if needs_opened:
        condition &= HelpSessionItem.opened_at.exists()
    try:
        session.update(actions=actions, condition=condition, add_version_condition=False)
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def opened_day(tenant_id: str, session_id: str) -> str | None:
    try:
        session = HelpSessionItem.get(sessions_partition(tenant_id), session_id)
    except DoesNotExist:
        return None
    return session.opened_day


def count_step(tenant_id: str, day: str, counter: str) -> None:
    attribute = {
        "suggested": HelpStatsItem.suggested,
        "opened": HelpStatsItem.opened,
    }.get(counter, HelpStatsItem.submitted_after_open)
    HelpStatsItem(stats_partition(tenant_id), day).update(
        actions=[
            HelpStatsItem.kind.set(HelpStatsItem),  # type: ignore[arg-type]
            HelpStatsItem.tenant_id.set(tenant_id),
            HelpStatsItem.day.set(day),
            attribute.add(1),
        ]
    )


def funnel_days(tenant_id: str, first_day: str, last_day: str) -> list[HelpStatsItem]:
    return list(HelpStatsItem.query(stats_partition(tenant_id), HelpStatsItem.sk.between(first_day, last_day)))


# --- the survey setting ----------------------------------------------------------------------------


def get_csat_settings(tenant_id: str) -> CsatSettingsItem | None:
    try:
        return CsatSettingsItem.get(keys.tenant(tenant_id), "CSAT_SETTINGS")
    except DoesNotExist:
        return None


def save_csat_settings(tenant_id: str, enabled: bool, now: datetime, audit: AuditEntry) -> CsatSettingsItem:
    item = CsatSettingsItem(
        keys.tenant(tenant_id), "CSAT_SETTINGS", tenant_id=tenant_id, surveys_enabled=enabled, updated_at=now
    )
    with transaction(tenant_id, audit) as tx:
        tx.save(item)
    return item
