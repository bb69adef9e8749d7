"""The public help centre of a workspace (``/portal/<slug>/help``): published articles by category,
one article, search, and the suggestions a request form shows. No sign-in; rate-limited per address
by the route declarations."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.contracts.help_center import (
    ArticleSearchOut,
    HelpCategoryOut,
    HelpCentreOut,
    PublicArticleOut,
)
from chalicelib.data import help_center as repo
from chalicelib.data import identity
from chalicelib.domain.clock import to_text
from chalicelib.domain.errors import NotFound
from chalicelib.domain.markdown import render_markdown
from chalicelib.services.article_search import search_published, suggest_published
from chalicelib.services.articles import article_hit

SUGGESTIONS = 5


@dataclass(frozen=True)
class HelpCentre:
    tenant_id: str
    slug: str
    name: str


def help_centre_of(slug: str) -> HelpCentre:
    """The workspace behind a help-centre address; the same 404 for a slug that was never taken."""
    tenant_id = identity.tenant_for_slug(slug.strip().lower())
    workspace = identity.get_workspace(tenant_id) if tenant_id else None
    if tenant_id is None or workspace is None:
        raise NotFound("There is no help centre at this address.")
    return HelpCentre(tenant_id, workspace.slug, workspace.name)


def home(slug: str) -> HelpCentreOut:
    centre = help_centre_of(slug)
    published = [a for a in repo.list_articles(centre.tenant_id) if a.status == "published"]
    categories = []
    for name in sorted({a.category for a in published}, key=str.casefold):
        articles = sorted((a for a in published if a.category == name), key=lambda a: a.title.casefold())
        categories.append(HelpCategoryOut(name=name, articles=[article_hit(a, centre.slug) for a in articles]))
    return HelpCentreOut(workspace=centre.name, categories=categories)


def article(slug: str, article_id: str) -> PublicArticleOut:
    centre = help_centre_of(slug)
    found = repo.get_article(centre.tenant_id, article_id)
    if found is None or found.status != "published":
        raise NotFound("There is no such article in this help centre.")
    return PublicArticleOut(
        id=found.article_id,
        title=found.title,
        category=found.category,
        html=render_markdown(found.body),
        updated_at=to_text(found.updated_at),
        workspace=centre.name,
    )


def search(slug: str, query: str, limit: int) -> ArticleSearchOut:
    centre = help_centre_of(slug)
    return ArticleSearchOut(
        items=[article_hit(a, centre.slug) for a in search_published(centre.tenant_id, query, limit)]
    )


def suggest(slug: str, text: str, limit: int = SUGGESTIONS) -> ArticleSearchOut:
    centre = help_centre_of(slug)
    found = suggest_published(centre.tenant_id, text, limit)
    return ArticleSearchOut(items=[article_hit(a, centre.slug) for a in found])
