"""Finding published articles: ranked keyword search (help centre, agents' link picker) and the
looser any-word match behind the suggestions a request form shows."""

from __future__ import annotations

from chalicelib.data import help_center as repo
from chalicelib.data.article_search import article_index
from chalicelib.data.models import ArticleItem
from chalicelib.domain.articles import matches_all, rank_any, rank_articles
from chalicelib.domain.metrics_fold import STOP_WORDS
from chalicelib.domain.search_text import plan_ranking, query_words

MAX_QUERY_WORDS = 8


def search_published(tenant_id: str, query: str, limit: int) -> list[ArticleItem]:
    """Published articles matching every word of ``query``, best first (title words weigh most)."""
    words = query_words(query)[:MAX_QUERY_WORDS]
    if not words:
        return []
    matches = [article_index.matches(tenant_id, word) for word in words]
    ranking, to_verify = plan_ranking(matches)
    unchecked = [words[i] for i in to_verify]
    ranked = [article_id for article_id, _ in rank_articles(ranking)]
    found: list[ArticleItem] = []
    start = 0
    while start < len(ranked) and len(found) < limit:
        # the index holds published articles only, so the first ``limit`` nearly always suffice
        chunk = ranked[start : start + (limit if start == 0 else 100)]
        start += len(chunk)
        articles = repo.get_articles(tenant_id, chunk)
        for article_id in chunk:
            article = articles.get(article_id)
            if (
                article is not None
                and article.status == "published"
                and matches_all(unchecked, article.title, article.body)
            ):
                found.append(article)
    return found[:limit]


def suggest_published(tenant_id: str, text: str, limit: int) -> list[ArticleItem]:
    """Published articles sharing any meaningful word with ``text`` (a subject being typed)."""
    words = [w for w in query_words(text) if w not in STOP_WORDS and len(w) >= 3][:MAX_QUERY_WORDS]
    if not words:
        return []
    ranked = [a for a, _ in rank_any(article_index.matches(tenant_id, word).hits for word in words)][: limit * 2]
    articles = repo.get_articles(tenant_id, ranked)
    return [articles[a] for a in ranked if a in articles and articles[a].status == "published"][:limit]
