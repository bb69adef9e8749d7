"""Keeps the keyword index in step with tickets and comments, whichever path wrote them."""

from __future__ import annotations

from chalicelib.data.models import CommentItem, TicketItem
from chalicelib.data.search import DynamoSearchIndex, search_index
from chalicelib.domain.search_text import comment_source, comment_terms, ticket_terms
from chalicelib.workers.stream import ItemChange


def index_for_search(change: ItemChange, index: DynamoSearchIndex = search_index) -> None:
    current = change.current
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
