"""Keyword search over tickets: ranked matches, narrowed by the same filters as any list."""

from __future__ import annotations

from typing import Any

from chalicelib.data import tickets as repo
from chalicelib.data.cursor import decode_cursor, encode_cursor
from chalicelib.data.search import search_index
from chalicelib.domain.principal import Principal
from chalicelib.domain.search_text import query_words, rank
from chalicelib.domain.ticket_query import TicketFilter, ticket_matches
from chalicelib.services.presenters import ticket_public

MAX_RESULTS = 500


def search_tickets(
    principal: Principal, query: str, ticket_filter: TicketFilter, limit: int, cursor: str | None
) -> dict[str, Any]:
    listing = f"search:{query}:{ticket_filter!r}"
    offset = decode_cursor(principal.tenant_id, listing, cursor) or 0
    found = _matching(principal, query, ticket_filter)
    page = found[offset : offset + limit]
    more = offset + limit < len(found)
    return {
        "items": page,
        "next_cursor": encode_cursor(principal.tenant_id, listing, offset + limit) if more else None,
    }


def count_matches(principal: Principal, query: str, ticket_filter: TicketFilter) -> int:
    return len(_matching(principal, query, ticket_filter))


def _matching(principal: Principal, query: str, ticket_filter: TicketFilter) -> list[dict[str, Any]]:
    words = query_words(query)
    if not words:
        return []
    ranked = rank(search_index.matches(principal.tenant_id, word) for word in words)[:MAX_RESULTS]
    tickets = repo.get_tickets(principal.tenant_id, [ticket_id for ticket_id, _ in ranked])
    scored = [(score, ticket_public(tickets[t])) for t, score in ranked if t in tickets]
    kept = [(score, t) for score, t in scored if ticket_matches(ticket_filter, t)]
    kept.sort(key=lambda pair: (-pair[0], _descending(pair[1]["updated_at"])))
    return [t for _, t in kept]


def _descending(text: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in text)
