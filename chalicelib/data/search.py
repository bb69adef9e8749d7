"""The keyword index behind one small interface, so a managed engine could replace it.

Postings live in their own table: ``pk = T#<tenant>#W#<first two letters>``,
``sk = <word>#<ticket id>#<source>`` where source is a ``search_text.Source``: ``t`` (subject and
description) or ``r`` (a public reply). Internal notes (``n``) go to ``T#<tenant>#N#<first two
letters>``, so a query by someone who may not read notes never reads them: not even their number
can show through the cap on postings read. A prefix query is one Query with ``begins_with`` on the
sort key per partition.
"""

from __future__ import annotations

from collections.abc import Mapping

from chalicelib.data import keys
from chalicelib.data.models import SearchTermItem
from chalicelib.domain.search_text import BODY_WEIGHT, Hit, Source, WordMatches

MAX_POSTINGS_PER_WORD = 5000


class DynamoSearchIndex:
    def update_ticket_terms(
        self, tenant_id: str, ticket_id: str, number: int, old: dict[str, int], new: dict[str, int]
    ) -> None:
        self._write(tenant_id, ticket_id, number, Source.TICKET, old, new)

    def add_comment_terms(self, tenant_id: str, ticket_id: str, terms: dict[str, int], source: Source) -> None:
        self._write(tenant_id, ticket_id, 0, source, {}, terms)

    def retag_comment_terms(self, tenant_id: str, ticket_id: str, terms: Mapping[Source, Mapping[str, int]]) -> None:
        """Replaces a ticket's comment postings of unknown origin (``c``, written before replies and
        notes were told apart) by ones that say which; ``terms`` holds every comment's words by source."""
        with SearchTermItem.batch_write() as batch:
            for word in {w for by_word in terms.values() for w in by_word}:
                batch.delete(_posting(tenant_id, ticket_id, 0, Source.COMMENT, word, BODY_WEIGHT))
            for source, by_word in terms.items():
                for word, weight in by_word.items():
                    batch.save(_posting(tenant_id, ticket_id, 0, source, word, weight))

    def matches(self, tenant_id: str, prefix: str, sources: frozenset[Source]) -> WordMatches:
        """Ticket id -> its best hit among the words that start with ``prefix``, counting only
        postings from ``sources``; at most MAX_POSTINGS_PER_WORD postings are read per partition,
        and the answer says whether that was all of them."""
        best: dict[str, Hit] = {}
        complete = self._read(keys.search_bucket(tenant_id, prefix), prefix, sources, best)
        if Source.NOTE in sources:
            complete = self._read(keys.note_search_bucket(tenant_id, prefix), prefix, sources, best) and complete
        return WordMatches(best, complete=complete)

    def _read(self, bucket: str, prefix: str, sources: frozenset[Source], best: dict[str, Hit]) -> bool:
        postings = SearchTermItem.query(
            bucket, SearchTermItem.sk.startswith(prefix), limit=MAX_POSTINGS_PER_WORD + 1, page_size=1000
        )
        for read, posting in enumerate(postings, start=1):
            if read > MAX_POSTINGS_PER_WORD:
                return False
            if posting_source(posting) not in sources:
                continue
            known = best.get(posting.ticket_id, Hit(0))
            best[posting.ticket_id] = Hit(
                max(known.weight, int(posting.weight)), max(known.number, int(posting.number or 0))
            )
        return True

    def _write(
        self, tenant_id: str, ticket_id: str, number: int, source: Source, old: dict[str, int], new: dict[str, int]
    ) -> None:
        with SearchTermItem.batch_write() as batch:
            for word in old.keys() - new.keys():
                batch.delete(_posting(tenant_id, ticket_id, number, source, word, old[word]))
            for word, weight in new.items():
                if old.get(word) != weight:
                    batch.save(_posting(tenant_id, ticket_id, number, source, word, weight))


def posting_source(posting: SearchTermItem) -> Source | None:
    """The source a posting's sort key ends with; None for a key this code did not write."""
    source = posting.sk.rpartition("#")[2]
    return Source(source) if source in Source._value2member_map_ else None


def _posting(tenant_id: str, ticket_id: str, number: int, source: Source, word: str, weight: int) -> SearchTermItem:
    bucket = keys.note_search_bucket if source == Source.NOTE else keys.search_bucket
    return SearchTermItem(
        bucket(tenant_id, word),
        f"{word}#{ticket_id}#{source}",
        ticket_id=ticket_id,
        weight=weight,
        number=number or None,
    )


search_index = DynamoSearchIndex()
