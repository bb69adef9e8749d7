"""Keyword search over tickets: ranked matches, narrowed by the same filters as any list."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from itertools import islice
from typing import Any

from chalicelib.data import identity
from chalicelib.data import search as postings
from chalicelib.data import tickets as repo
from chalicelib.data.cursor import decode_cursor, encode_cursor
from chalicelib.data.models import RegistryEntry, TicketItem
from chalicelib.data.search import ReadCount, search_index
from chalicelib.data.tickets import TicketCount
from chalicelib.domain.permissions import sees_internal_notes
from chalicelib.domain.principal import Principal
from chalicelib.domain.search_text import (
    Source,
    comment_source,
    comment_terms,
    matchable_sources,
    plan_ranking,
    query_words,
    rank,
    text_weight,
    ticket_terms,
)
from chalicelib.domain.ticket_query import TicketFilter, ticket_matches
from chalicelib.services.presenters import ticket_snapshot

MAX_RESULTS = 500
BATCH = 100  # BatchGetItem's limit
RETAG_TICKETS_PER_RUN = 300  # one Query and one batch write each: a few seconds of a scheduled run
RANKED_BACKFILL_PER_RUN = 300
# A workspace becomes ready once and stays so; until then (its backfill running) it is asked again this often.
READY_RECHECK_SECONDS = 60.0

_ready: dict[str, float] = {}  # tenant -> when it was last found not ready (inf once ready)
_ready_lock = threading.Lock()


def search_tickets(
    principal: Principal, query: str, ticket_filter: TicketFilter, limit: int, cursor: str | None
) -> dict[str, Any]:
    # A cursor is an offset into one principal's ranking; one that reads notes ranks differently.
    listing = f"search:{sees_internal_notes(principal.permissions)}:{query}:{ticket_filter!r}"
    offset = decode_cursor(principal.tenant_id, listing, cursor) or 0
    found, _ = _matching(principal, query, ticket_filter, wanted=offset + limit + 1)
    page = found[offset : offset + limit]
    more = offset + limit < len(found)
    return {
        "items": page,
        "next_cursor": encode_cursor(principal.tenant_id, listing, offset + limit) if more else None,
    }


def count_matches(principal: Principal, query: str, ticket_filter: TicketFilter) -> TicketCount:
    found, partial = _matching(principal, query, ticket_filter, wanted=None)
    return TicketCount(len(found), capped=partial)


def _matching(
    principal: Principal, query: str, ticket_filter: TicketFilter, wanted: int | None
) -> tuple[list[dict[str, Any]], bool]:
    """Matching tickets, best first, and whether that may be only part of them (more than
    MAX_RESULTS ranked, or a word too common to read in full). The ranking needs only the index, so
    tickets are read in rank order and only until ``wanted`` of them pass the filter (all when None).

    Only postings the principal may match are read (internal notes need ``sees_internal_notes``),
    whether they rank, choose the candidates or decide that a word was cut short. A word cut short
    is verified on subject and description: a ticket that has it only in a comment is then not found."""
    words = query_words(query)
    if not words:
        return [], False
    sources = matchable_sources(sees_internal_notes(principal.permissions))
    if len(words) == 1 and wanted is not None and _ranked_postings_ready(principal.tenant_id):
        read = ReadCount()
        ranked = search_index.ranked_ticket_ids(principal.tenant_id, words[0], sources, min(wanted, BATCH), read)
        if ranked is not None:
            return _first_matching(principal, ranked, ticket_filter, wanted, read)
    return _matching_by_prefix(principal, words, sources, ticket_filter, wanted)


def _first_matching(
    principal: Principal, ranked: Iterator[str], ticket_filter: TicketFilter, wanted: int, read: ReadCount
) -> tuple[list[dict[str, Any]], bool]:
    """The first ``wanted`` tickets of a ranked list that pass the filter, reading postings and tickets a
    page at a time: a common word's first page reads about a page of postings. Stops (partial) once
    MAX_POSTINGS_PER_WORD postings were read, like the read by prefix."""
    found: list[dict[str, Any]] = []
    size = min(BATCH, wanted)
    while len(found) < wanted and read.items <= postings.MAX_POSTINGS_PER_WORD:
        chunk = list(islice(ranked, size))
        if not chunk:
            return found, False
        tickets = repo.get_tickets(principal.tenant_id, chunk)
        found += [
            t for t in (ticket_snapshot(tickets[i]) for i in chunk if i in tickets) if ticket_matches(ticket_filter, t)
        ]
        size = BATCH
    return found[:wanted], len(found) >= wanted or read.items > postings.MAX_POSTINGS_PER_WORD


def _ranked_postings_ready(tenant_id: str) -> bool:
    now = time.monotonic()
    with _ready_lock:
        checked = _ready.get(tenant_id)
    if checked is not None and (checked == float("inf") or now - checked < READY_RECHECK_SECONDS):
        return checked == float("inf")
    ready = identity.ranked_postings_ready(tenant_id)
    with _ready_lock:
        _ready[tenant_id] = float("inf") if ready else now
    return ready


def _matching_by_prefix(
    principal: Principal,
    words: list[str],
    sources: frozenset[Source],
    ticket_filter: TicketFilter,
    wanted: int | None,
) -> tuple[list[dict[str, Any]], bool]:
    """Every posting of every query word read by prefix (at most MAX_POSTINGS_PER_WORD each), ranked in
    memory: several words, counts, and workspaces whose ranked postings are not all written yet."""
    matches = [search_index.matches(principal.tenant_id, word, sources) for word in words]
    ranking, to_verify = plan_ranking(matches)
    unchecked = [words[i] for i in to_verify]
    ranked_all = rank(ranking)
    ranked = [t for t, _ in ranked_all[:MAX_RESULTS]]
    found: list[dict[str, Any]] = []
    start = 0
    while start < len(ranked) and (wanted is None or len(found) < wanted):
        size = min(BATCH, wanted) if start == 0 and wanted else BATCH  # the first page may need few
        chunk = ranked[start : start + size]
        start += len(chunk)
        tickets = repo.get_tickets(principal.tenant_id, chunk)
        texts_match = [t for t in (tickets[i] for i in chunk if i in tickets) if _mentions_all(t, unchecked)]
        found += [t for t in map(ticket_snapshot, texts_match) if ticket_matches(ticket_filter, t)]
    return found, len(ranked_all) > MAX_RESULTS or not all(m.complete for m in matches)


def _mentions_all(ticket: TicketItem, words: list[str]) -> bool:
    return all(text_weight(word, ticket.subject, ticket.description) for word in words)


def retag_comment_postings(entry: RegistryEntry, budget: int = RETAG_TICKETS_PER_RUN) -> int:
    """Gives one workspace's comment postings written before replies and notes were told apart
    their source, ``budget`` tickets per call, resuming where the last call stopped; returns the
    number of tickets done. Until then such postings match only for note readers: safe, but a
    viewer misses public replies."""
    tenant_id = entry.tenant_id
    tickets = repo.tickets_created_after(tenant_id, entry.comment_postings_after, budget)
    for ticket in tickets:
        conversation = repo.get_ticket_with_conversation(tenant_id, ticket.ticket_id)
        terms: dict[Source, dict[str, int]] = {}
        for comment in conversation.comments if conversation else []:
            terms.setdefault(comment_source(bool(comment.public)), {}).update(comment_terms(comment.body))
        if terms:
            search_index.retag_comment_terms(tenant_id, ticket.ticket_id, terms)
    after = tickets[-1].created_sk if tickets else entry.comment_postings_after
    identity.record_comment_postings_progress(entry, after, done=len(tickets) < budget)
    return len(tickets)


def backfill_ranked_postings(entry: RegistryEntry, budget: int = RANKED_BACKFILL_PER_RUN) -> int:
    """Writes the ranked postings of a workspace's tickets indexed before they existed, ``budget`` tickets
    per call, resuming where the last call stopped; returns the number of tickets done. Idempotent (the
    same keys and values again). Until every ticket is done, searches read by prefix as before."""
    tenant_id = entry.tenant_id
    tickets = repo.tickets_created_after(tenant_id, entry.ranked_postings_after, budget)
    for ticket in tickets:
        conversation = repo.get_ticket_with_conversation(tenant_id, ticket.ticket_id)
        comments: dict[Source, dict[str, int]] = {}
        for comment in conversation.comments if conversation else []:
            comments.setdefault(comment_source(bool(comment.public)), {}).update(comment_terms(comment.body))
        own = {Source.TICKET: ticket_terms(ticket.subject, ticket.description)}
        search_index.add_ranked_postings(tenant_id, ticket.ticket_id, int(ticket.number), own)
        if comments:
            search_index.add_ranked_postings(tenant_id, ticket.ticket_id, 0, comments)
    after = tickets[-1].created_sk if tickets else entry.ranked_postings_after
    identity.record_ranked_postings_progress(entry, after, done=len(tickets) < budget)
    return len(tickets)
