"""Writing the knowledge base (admins and leads): articles, their versions, and the Markdown preview."""

from __future__ import annotations

from typing import Any

from chalicelib.contracts.help_center import (
    ArticleAuthorOut,
    ArticleHitOut,
    ArticleListOut,
    ArticleOut,
    ArticleSearchOut,
    ArticleSummaryOut,
    ArticleVersionListOut,
    ArticleVersionOut,
    PreviewOut,
)
from chalicelib.data import help_center as repo
from chalicelib.data import identity
from chalicelib.data.models import ArticleItem, ArticleVersionItem
from chalicelib.data.store import TransactionConflict
from chalicelib.domain.articles import slug_candidates, summary_of
from chalicelib.domain.audit import AuditEntry, AuditTarget
from chalicelib.domain.clock import maybe_text, to_text, utcnow
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.markdown import render_markdown
from chalicelib.domain.principal import Principal
from chalicelib.services.article_search import search_published
from chalicelib.settings import get_settings

EDITABLE = ("title", "body", "category", "status")


def list_articles(principal: Principal) -> ArticleListOut:
    articles = sorted(repo.list_articles(principal.tenant_id), key=lambda a: a.updated_at, reverse=True)
    return ArticleListOut(
        items=[article_summary(a) for a in articles], categories=sorted({a.category for a in articles})
    )


def get_article(principal: Principal, article_id: str) -> ArticleOut:
    return article_public(_existing(principal, article_id))


def create_article(principal: Principal, fields: dict[str, Any]) -> ArticleOut:
    now = utcnow()
    author = {"id": principal.id, "name": principal.name}
    for slug in slug_candidates(fields["title"]):
        article = ArticleItem(
            repo.articles_partition(principal.tenant_id),
            repo.article_sk(slug),
            tenant_id=principal.tenant_id,
            article_id=slug,
            author=author,
            created_at=now,
            updated_at=now,
            published_at=now if fields["status"] == "published" else None,
            **{name: fields[name] for name in EDITABLE},
        )
        audit = _audit(principal, "article.created", article, None, _record(article))
        try:
            repo.save_article(article, _version(article, 1), audit, new=True)
        except TransactionConflict:
            continue  # the slug is taken: the next candidate
        article.version = 1
        return article_public(article)
    raise Conflict("Too many articles have this title; choose another.")


def update_article(principal: Principal, article_id: str, changes: dict[str, Any]) -> ArticleOut:
    article = _existing(principal, article_id)
    expected = changes.pop("version")
    if int(article.version or 0) != expected:
        raise _stale(article)
    before = _record(article)
    moved = {name: value for name, value in changes.items() if value is not None and getattr(article, name) != value}
    if not moved:
        return article_public(article)
    now = utcnow()
    for name, value in moved.items():
        setattr(article, name, value)
    article.author = {"id": principal.id, "name": principal.name}
    article.updated_at = now
    if moved.get("status") == "published":
        article.published_at = now
    number = int(article.version or 0) + 1
    audit = _audit(principal, "article.updated", article, {k: before[k] for k in moved}, {k: moved[k] for k in moved})
    try:
        repo.save_article(article, _version(article, number), audit, new=False)
    except TransactionConflict as error:
        current = repo.get_article(principal.tenant_id, article_id)
        raise _stale(current) if current else NotFound("No such article.") from error
    article.version = number
    return article_public(article)


def article_versions(principal: Principal, article_id: str) -> ArticleVersionListOut:
    _existing(principal, article_id)
    return ArticleVersionListOut(
        items=[
            ArticleVersionOut(
                number=int(v.number),
                title=v.title,
                body=v.body,
                category=v.category,
                status=v.status,  # type: ignore[arg-type]  # the model checks it
                author=ArticleAuthorOut(**v.author),
                at=to_text(v.at),
            )
            for v in repo.list_versions(principal.tenant_id, article_id)
        ]
    )


def preview(body: str) -> PreviewOut:
    return PreviewOut(html=render_markdown(body))


def search_for_reply(principal: Principal, query: str, limit: int) -> ArticleSearchOut:
    """Published articles for the reply box's link picker, with the address a customer opens."""
    workspace = identity.get_workspace(principal.tenant_id)
    slug = workspace.slug if workspace else ""
    return ArticleSearchOut(items=[article_hit(a, slug) for a in search_published(principal.tenant_id, query, limit)])


# --- shapes ------------------------------------------------------------------------------------------


def article_url(workspace_slug: str, article_id: str) -> str:
    return f"{get_settings().public_base_url.rstrip('/')}/portal/{workspace_slug}/help/{article_id}"


def article_hit(article: ArticleItem, workspace_slug: str) -> ArticleHitOut:
    return ArticleHitOut(
        id=article.article_id,
        title=article.title,
        category=article.category,
        summary=summary_of(article.body),
        url=article_url(workspace_slug, article.article_id),
    )


def article_summary(article: ArticleItem) -> ArticleSummaryOut:
    return ArticleSummaryOut(**_summary_fields(article))


def article_public(article: ArticleItem) -> ArticleOut:
    return ArticleOut(**_summary_fields(article), body=article.body, html=render_markdown(article.body))


def _summary_fields(article: ArticleItem) -> dict[str, Any]:
    return {
        "id": article.article_id,
        "title": article.title,
        "category": article.category,
        "status": article.status,
        "summary": summary_of(article.body),
        "author": ArticleAuthorOut(id=str(article.author.get("id", "")), name=str(article.author.get("name", ""))),
        "updated_at": to_text(article.updated_at),
        "published_at": maybe_text(article.published_at),
        "version": int(article.version or 0),
    }


def _existing(principal: Principal, article_id: str) -> ArticleItem:
    article = repo.get_article(principal.tenant_id, article_id)
    if article is None:
        raise NotFound("No such article.")
    return article


def _version(article: ArticleItem, number: int) -> ArticleVersionItem:
    return ArticleVersionItem(
        article.pk,
        repo.version_sk(article.article_id, number),
        tenant_id=article.tenant_id,
        article_id=article.article_id,
        number=number,
        title=article.title,
        body=article.body,
        category=article.category,
        status=article.status,
        author=article.author,
        at=article.updated_at,
    )


def _record(article: ArticleItem) -> dict[str, Any]:
    return {name: getattr(article, name) for name in EDITABLE}


def _audit(
    principal: Principal, action: str, article: ArticleItem, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> AuditEntry:
    target = AuditTarget("article", article.article_id, name=article.title)
    return AuditEntry(principal.as_actor(), action, target, before, after)


def _stale(current: ArticleItem) -> Conflict:
    return Conflict(
        "Someone saved this article since you opened it. Review their version and re-apply your change.",
        current=article_public(current).model_dump(mode="json"),
    )
