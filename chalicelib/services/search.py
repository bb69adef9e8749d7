"""Keyword search over tickets: ranked matches, narrowed by the same filters as any list."""

from __future__ import annotations

from typing import Any

from chalicelib.data import tickets as repo
from chalicelib.data.cursor import decode_cursor, encode_cursor
from chalicelib.data.models import TicketItem
from chalicelib.data.search import search_index
from chalicelib.data.tickets import TicketCount
from chalicelib.domain.principal import Principal
from chalicelib.domain.search_text import plan_ranking, query_words, rank, text_weight
from chalicelib.domain.ticket_query import TicketFilter, ticket_matches
from chalicelib.services.presenters import ticket_public

MAX_RESULTS = 500
BATCH = 100  # BatchGetItem's limit


def search_tickets(
    principal: Principal, query: str, ticket_filter: TicketFilter, limit: int, cursor: str | None
) -> dict[str, Any]:
    listing = f"search:{query}:{ticket_filter!r}"
    offset = decode_cursor(principal.tenant_id, listing, cursor) or 0
    found = _matching(principal, query, ticket_filter, wanted=offset + limit + 1)
    page = found[offset : offset + limit]
    more = offset + limit < len(found)
    return {
        "items": page,
        "next_cursor": encode_cursor(principal.tenant_id, listing, offset + limit) if more else None,
    }


def count_matches(principal: Principal, query: str, ticket_filter: TicketFilter) -> TicketCount:
    found = len(_matching(principal, query, ticket_filter, wanted=None))
    return TicketCount(found, capped=found >= MAX_RESULTS)


def _matching(
    principal: Principal, query: str, ticket_filter: TicketFilter, wanted: int | None
) -> list[dict[str, Any]]:
    """Matching tickets, best first. The ranking needs only the index, so tickets are read in rank
    order and only until ``wanted`` of them pass the filter (all of them when None)."""
    words = query_words(query)
    if not words:
        return []
    ranking, to_verify = plan_ranking([search_index.matches(principal.tenant_id, word) for word in words])
    unchecked = [words[i] for i in to_verify]
    ranked = [t for t, _ in rank(ranking)[:MAX_RESULTS]]
    found: list[dict[str, Any]] = []
    start = 0
    while start < len(ranked) and (wanted is None or len(found) < wanted):
        chunk = ranked[start : start + (BATCH if wanted is None else min(BATCH, max(wanted - len(found), 1)))]
        start += len(chunk)
        tickets = repo.get_tickets(principal.tenant_id, chunk)
        texts_match = [t for t in (tickets[i] for i in chunk if i in tickets) if _mentions_all(t, unchecked)]
        found += [t for t in map(ticket_public, texts_match) if ticket_matches(ticket_filter, t)]
    return found


def _mentions_all(ticket: TicketItem, words: list[str]) -> bool:
    return all(text_weight(word, ticket.subject, ticket.description) for word in words)
