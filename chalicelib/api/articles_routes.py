"""The knowledge base as the team sees it: articles written by admins and leads, their history, a
Markdown preview, the agents' link picker, and the deflection funnel."""

from __future__ import annotations

from typing import Any

from chalicelib.api.help_schemas import ArticleIn, ArticlePatchIn, ArticleSearchQuery, FunnelQuery, PreviewIn
from chalicelib.api.routing import Call, Router
from chalicelib.contracts.help_center import (
    ArticleListOut,
    ArticleOut,
    ArticleSearchOut,
    ArticleVersionListOut,
    FunnelOut,
    PreviewOut,
)
from chalicelib.domain.permissions import Permission

router = Router(__name__, tag="articles")
MANAGE = Permission.ARTICLES_MANAGE


@router.route("/articles", "GET", access=MANAGE, response=ArticleListOut, summary="Every article, drafts too")
def list_articles(call: Call[Any, Any]) -> ArticleListOut:
    from chalicelib.services import articles

    return articles.list_articles(call.principal)


@router.route(
    "/articles", "POST", access=MANAGE, body=ArticleIn, response=ArticleOut, status=201, summary="Write an article"
)
def create_article(call: Call[ArticleIn, Any]) -> ArticleOut:
    from chalicelib.services import articles

    return articles.create_article(call.principal, call.body.model_dump())


@router.route(
    "/articles/search",
    "GET",
    access=Permission.TICKETS_WRITE,
    query=ArticleSearchQuery,
    response=ArticleSearchOut,
    summary="Published articles for a reply's article link, best match first",
)
def search_articles(call: Call[Any, ArticleSearchQuery]) -> ArticleSearchOut:
    from chalicelib.services import articles

    return articles.search_for_reply(call.principal, call.query.q, call.query.limit)


@router.route(
    "/articles/preview",
    "POST",
    access=MANAGE,
    body=PreviewIn,
    response=PreviewOut,
    summary="Render Markdown as the help centre will",
)
def preview_article(call: Call[PreviewIn, Any]) -> PreviewOut:
    from chalicelib.services import articles

    return articles.preview(call.body.body)


@router.route(
    "/articles/deflection",
    "GET",
    access=Permission.METRICS_READ,
    query=FunnelQuery,
    response=FunnelOut,
    summary="Suggested -> opened -> did not submit, per day: requests the help centre answered",
)
def deflection_funnel(call: Call[Any, FunnelQuery]) -> FunnelOut:
    from chalicelib.services import deflection

    return deflection.funnel(call.principal, call.query.since, call.query.until)


@router.route("/articles/{id}", "GET", access=MANAGE, response=ArticleOut, summary="One article, with its HTML")
def get_article(call: Call[Any, Any]) -> ArticleOut:
    from chalicelib.services import articles

    return articles.get_article(call.principal, call.path["id"])


@router.route(
    "/articles/{id}",
    "PATCH",
    access=MANAGE,
    body=ArticlePatchIn,
    response=ArticleOut,
    summary="Edit, publish or unpublish; send the version you edited",
)
def update_article(call: Call[ArticlePatchIn, Any]) -> ArticleOut:
    from chalicelib.services import articles

    return articles.update_article(call.principal, call.path["id"], call.body.model_dump(exclude_unset=True))


@router.route(
    "/articles/{id}/versions",
    "GET",
    access=MANAGE,
    response=ArticleVersionListOut,
    summary="An article's history, newest first",
)
def article_versions(call: Call[Any, Any]) -> ArticleVersionListOut:
    from chalicelib.services import articles

    return articles.article_versions(call.principal, call.path["id"])
