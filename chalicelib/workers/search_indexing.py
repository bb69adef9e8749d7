"""Keeps the keyword index in step with tickets and comments, whichever path wrote them."""

from __future__ import annotations

from chalicelib.data.article_search import DynamoArticleIndex, article_index
from chalicelib.data.models import ArticleItem, CommentItem, TicketItem
from chalicelib.data.search import DynamoSearchIndex, SearchWrites, search_index
from chalicelib.domain.articles import indexed_terms
from chalicelib.domain.search_text import comment_source, comment_terms, ticket_terms
from chalicelib.workers.stream import ItemChange


def index_for_search(
    change: ItemChange,
    index: SearchWrites | DynamoSearchIndex = search_index,
    articles: DynamoArticleIndex = article_index,
) -> None:
    """``index`` is the index itself (each change written at once) or a stream batch's ``SearchWrites``."""
    current = change.current
    if isinstance(current, ArticleItem):
        # only published articles are in the index: a draft, or one taken back, has no postings
        old, new = _article_terms(change.old), _article_terms(change.new)
        if old != new:
            articles.update_article_terms(current.tenant_id, current.article_id, old, new)
        return
    if isinstance(current, TicketItem):
        old = _terms(change.old)
        new = _terms(change.new)
        if old != new:
            index.update_ticket_terms(current.tenant_id, current.ticket_id, int(current.number), old, new)
    elif isinstance(change.new, CommentItem) and change.event_name == "INSERT":
        comment = change.new
        source = comment_source(bool(comment.public))
        index.add_comment_terms(comment.tenant_id, comment.ticket_id, comment_terms(comment.body), source)


def _terms(item: object) -> dict[str, int]:
    return ticket_terms(item.subject, item.description) if isinstance(item, TicketItem) else {}


def _article_terms(item: object) -> dict[str, int]:
    return indexed_terms(item.status, item.title, item.body) if isinstance(item, ArticleItem) else {}
