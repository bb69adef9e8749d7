"""The keyword index behind one small interface, so a managed engine could replace it.

Postings live in their own table: ``pk = T#<tenant>#W#<first two letters>``,
``sk = <word>#<ticket id>#<source>`` where source is a ``search_text.Source``: ``t`` (subject and
description) or ``r`` (a public reply). Internal notes (``n``) go to ``T#<tenant>#N#<first two
letters>``, so a query by someone who may not read notes never reads them: not even their number
can show through the cap on postings read. A prefix query is one Query with ``begins_with`` on the
sort key per partition.

Every posting is also written in rank order, one partition per word (``T#<tenant>#RW#<word>``, ``RN#`` for
notes), ``sk = <rank>#<ticket id>#<source>`` where ``<rank>`` sorts the better hit first (higher weight, then
the newer ticket: ``search_text.rank_key``). The words themselves are listed per first two letters
(``T#<tenant>#VW#<two letters>``, SearchWordItem), so a query word's prefix names the few lists to read; merged
by sort key, those lists give the tickets best first, and a page of results reads about a page of postings
instead of every posting of the word. A word's first ranked posting and its vocabulary entry are written
together, and a workspace's older tickets get theirs from a backfill (``services/search.py``).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from chalicelib.data import keys
from chalicelib.data.concurrency import in_parallel
from chalicelib.data.models import SearchTermItem, SearchWordItem
from chalicelib.domain.search_text import BODY_WEIGHT, NOTE_SOURCES, Hit, Source, WordMatches, rank_key

MAX_POSTINGS_PER_WORD = 5000
BATCH_WRITE_SIZE = 25  # DynamoDB's most per BatchWriteItem
T = TypeVar("T")
MAX_RANKED_WORDS = 40  # a prefix naming more indexed words than this is read the old way (by prefix)


@dataclass
class ReadCount:
    """Postings and words read by one ranked read, for the caller's bound and for tests."""

    items: int = 0


class SearchWrites:
    """Posting and vocabulary writes gathered (a stream batch's, say) and written together by :meth:`flush`:
    a word's vocabulary entry once however many tickets have it, and BatchWriteItem calls of 25 items
    instead of a few per ticket. Writes to one key keep only the last (as applying them in order would
    leave it), so one ticket changed twice in a batch ends as its last change left it. Every write is
    idempotent (the same key, the same value): a batch written again changes nothing."""

    def __init__(self) -> None:
        self._postings: dict[tuple[str, str], tuple[SearchTermItem, bool]] = {}  # key -> (item, saved)
        self._words: dict[tuple[str, str], SearchWordItem] = {}

    def update_ticket_terms(
        self, tenant_id: str, ticket_id: str, number: int, old: dict[str, int], new: dict[str, int]
    ) -> None:
        self._gather(tenant_id, ticket_id, number, Source.TICKET, old, new)

    def add_comment_terms(self, tenant_id: str, ticket_id: str, terms: dict[str, int], source: Source) -> None:
        self._gather(tenant_id, ticket_id, 0, source, {}, terms)

    def __len__(self) -> int:
        return len(self._postings) + len(self._words)

    def flush(self) -> None:
        """Postings, then the words they add, each in BatchWriteItem calls of 25 several at a time (a batch's
        postings wait on round trips, not on CPU). Every key is written once, so the calls can land in any
        order; a word is never listed before its postings are written."""
        postings, words = list(self._postings.values()), list(self._words.values())
        self._postings, self._words = {}, {}
        in_parallel(_write_postings, _chunks(postings))
        in_parallel(_write_words, _chunks(words))

    def _gather(
        self, tenant_id: str, ticket_id: str, number: int, source: Source, old: dict[str, int], new: dict[str, int]
    ) -> None:
        for word in old.keys() - new.keys():
            self._delete(_posting(tenant_id, ticket_id, number, source, word, old[word]))
            self._delete(_ranked(tenant_id, ticket_id, number, source, word, old[word]))
        for word, weight in new.items():
            if old.get(word) != weight:
                if word in old:  # the weight changed: the rank, so the key
                    self._delete(_ranked(tenant_id, ticket_id, number, source, word, old[word]))
                self._save(_posting(tenant_id, ticket_id, number, source, word, weight))
                self._save(_ranked(tenant_id, ticket_id, number, source, word, weight))
                if word not in old:
                    entry = _word(tenant_id, word, source)
                    self._words[(entry.pk, entry.sk)] = entry

    def _save(self, item: SearchTermItem) -> None:
        self._postings.pop((item.pk, item.sk), None)  # re-inserted: the order of the writes is kept
        self._postings[(item.pk, item.sk)] = (item, True)

    def _delete(self, item: SearchTermItem) -> None:
        self._postings.pop((item.pk, item.sk), None)
        self._postings[(item.pk, item.sk)] = (item, False)


def _chunks(items: list[T]) -> list[list[T]]:
    return [items[start : start + BATCH_WRITE_SIZE] for start in range(0, len(items), BATCH_WRITE_SIZE)]


def _write_postings(postings: list[tuple[SearchTermItem, bool]]) -> None:
    with SearchTermItem.batch_write() as batch:
        for item, saved in postings:
            if saved:
                batch.save(item)
            else:
                batch.delete(item)


def _write_words(words: list[SearchWordItem]) -> None:
    with SearchWordItem.batch_write() as vocabulary:
        for word in words:
            vocabulary.save(word)


class DynamoSearchIndex:
    def update_ticket_terms(
        self, tenant_id: str, ticket_id: str, number: int, old: dict[str, int], new: dict[str, int]
    ) -> None:
        writes = SearchWrites()
        writes.update_ticket_terms(tenant_id, ticket_id, number, old, new)
        writes.flush()

    def add_comment_terms(self, tenant_id: str, ticket_id: str, terms: dict[str, int], source: Source) -> None:
        writes = SearchWrites()
        writes.add_comment_terms(tenant_id, ticket_id, terms, source)
        writes.flush()

    def retag_comment_terms(self, tenant_id: str, ticket_id: str, terms: Mapping[Source, Mapping[str, int]]) -> None:
        """Replaces a ticket's comment postings of unknown origin (``c``, written before replies and
        notes were told apart) by ones that say which; ``terms`` holds every comment's words by source."""
        with SearchTermItem.batch_write() as batch:
            for word in {w for by_word in terms.values() for w in by_word}:
                batch.delete(_posting(tenant_id, ticket_id, 0, Source.COMMENT, word, BODY_WEIGHT))
            for source, by_word in terms.items():
                for word, weight in by_word.items():
                    batch.save(_posting(tenant_id, ticket_id, 0, source, word, weight))
        self.add_ranked_postings(tenant_id, ticket_id, 0, terms)

    def add_ranked_postings(
        self, tenant_id: str, ticket_id: str, number: int, terms: Mapping[Source, Mapping[str, int]]
    ) -> None:
        """Ranked postings (and the words' vocabulary entries) for words a ticket has: the backfill of tickets
        indexed before ranked postings existed. Idempotent: the same keys with the same values."""
        vocabulary = {(_word(tenant_id, w, source).pk, w) for source, by_word in terms.items() for w in by_word}
        with SearchTermItem.batch_write() as batch, SearchWordItem.batch_write() as words:
            for source, by_word in terms.items():
                for word, weight in by_word.items():
                    batch.save(_ranked(tenant_id, ticket_id, number, source, word, weight))
            for partition, word in sorted(vocabulary):  # one entry per word, though several sources have it
                words.save(SearchWordItem(partition, word))

    def ranked_ticket_ids(
        self, tenant_id: str, prefix: str, sources: frozenset[Source], page_size: int, read: ReadCount
    ) -> Iterator[str] | None:
        """The tickets with a word starting with ``prefix``, best first (``search_text.rank``'s order for one
        word), counting only postings from ``sources``; read lazily, ``page_size`` postings per Query page.
        None when the prefix names more than MAX_RANKED_WORDS words (the caller reads by prefix instead)."""
        partitions: list[str] = []
        for notes in (False, True) if NOTE_SOURCES & sources else (False,):
            vocabulary = SearchWordItem.query(
                keys.search_vocabulary(tenant_id, prefix, notes),
                SearchWordItem.sk.startswith(prefix),
                limit=MAX_RANKED_WORDS + 1,
                page_size=MAX_RANKED_WORDS + 1,
            )
            found = [item.sk for item in vocabulary]
            read.items += len(found)
            if len(found) > MAX_RANKED_WORDS:
                return None
            partitions += [keys.ranked_search_word(tenant_id, word, notes) for word in found]
        lists = [_counted(SearchTermItem.query(partition, page_size=page_size), read) for partition in partitions]
        return _best_first(heapq.merge(*lists, key=lambda posting: posting.sk), sources)

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


def _ranked(tenant_id: str, ticket_id: str, number: int, source: Source, word: str, weight: int) -> SearchTermItem:
    return SearchTermItem(
        keys.ranked_search_word(tenant_id, word, notes=source in NOTE_SOURCES),
        f"{rank_key(weight, number)}#{ticket_id}#{source}",
        ticket_id=ticket_id,
        weight=weight,
        number=number or None,
    )


def _word(tenant_id: str, word: str, source: Source) -> SearchWordItem:
    return SearchWordItem(keys.search_vocabulary(tenant_id, word, notes=source in NOTE_SOURCES), word)


def _counted(postings: Iterator[SearchTermItem], read: ReadCount) -> Iterator[SearchTermItem]:
    for posting in postings:
        read.items += 1
        yield posting


def _best_first(postings: Iterator[SearchTermItem], sources: frozenset[Source]) -> Iterator[str]:
    """Each ticket once, at its best posting: the merged lists are in rank order, so the first is the best."""
    seen: set[str] = set()
    for posting in postings:
        if posting.ticket_id not in seen and posting_source(posting) in sources:
            seen.add(posting.ticket_id)
            yield posting.ticket_id


search_index = DynamoSearchIndex()
