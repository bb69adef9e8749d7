"""The public help centre of a workspace: no sign-in, published articles only, limited per address."""

from __future__ import annotations

from typing import Any

from chalicelib.api.help_schemas import ArticleSearchQuery, HelpEventIn
from chalicelib.api.routing import Call, Router
from chalicelib.contracts.help_center import ArticleSearchOut, HelpCentreOut, HelpEventOut, PublicArticleOut

router = Router(__name__, tag="help centre")


@router.route(
    "/portal/{slug}/help", "GET", access="public", response=HelpCentreOut, summary="Published articles by category"
)
def help_home(call: Call[Any, Any]) -> HelpCentreOut:
    from chalicelib.services import help_center

    return help_center.home(call.path["slug"])


@router.route(
    "/portal/{slug}/help/articles/{article}",
    "GET",
    access="public",
    response=PublicArticleOut,
    summary="One published article, rendered",
)
def help_article(call: Call[Any, Any]) -> PublicArticleOut:
    from chalicelib.services import help_center

    return help_center.article(call.path["slug"], call.path["article"])


@router.route(
    "/portal/{slug}/help/search",
    "GET",
    access="public",
    query=ArticleSearchQuery,
    response=ArticleSearchOut,
    summary="Search published articles; every word must match, title words rank first",
)
def help_search(call: Call[Any, ArticleSearchQuery]) -> ArticleSearchOut:
    from chalicelib.services import help_center

    return help_center.search(call.path["slug"], call.query.q, call.query.limit)


@router.route(
    "/portal/{slug}/help/suggest",
    "GET",
    access="public",
    query=ArticleSearchQuery,
    response=ArticleSearchOut,
    summary="Articles that may answer a request being typed (any meaningful word matches)",
)
def help_suggest(call: Call[Any, ArticleSearchQuery]) -> ArticleSearchOut:
    from chalicelib.services import help_center

    return help_center.suggest(call.path["slug"], call.query.q, min(call.query.limit, help_center.SUGGESTIONS))


@router.route(
    "/portal/{slug}/help/events",
    "POST",
    access="public",
    body=HelpEventIn,
    response=HelpEventOut,
    summary="A request form's deflection funnel step (suggested, opened, submitted), once per session",
)
def help_event(call: Call[HelpEventIn, Any]) -> HelpEventOut:
    from chalicelib.services import deflection

    return deflection.record_event(call.path["slug"], call.body.type, call.body.session)
