"""The keyword index behind one small interface, so a managed engine could replace it.

Postings live in their own table: ``pk = T#<tenant>#W#<first two letters>``,
``sk = <word>#<ticket id>#<source>`` where source is ``t`` (subject and description) or ``c``
(comments). A prefix query is one Query with ``begins_with`` on the sort key.
"""

from __future__ import annotations

from chalicelib.data import keys
from chalicelib.data.models import SearchTermItem
from chalicelib.domain.search_text import Hit, WordMatches

MAX_POSTINGS_PER_WORD = 5000


class DynamoSearchIndex:
    def update_ticket_terms(
        self, tenant_id: str, ticket_id: str, number: int, old: dict[str, int], new: dict[str, int]
    ) -> None:
        self._write(tenant_id, ticket_id, number, "t", old, new)

    def add_comment_terms(self, tenant_id: str, ticket_id: str, terms: dict[str, int]) -> None:
        self._write(tenant_id, ticket_id, 0, "c", {}, terms)

    def matches(self, tenant_id: str, prefix: str) -> WordMatches:
        """Ticket id -> its best hit among the words that start with ``prefix``; at most
        MAX_POSTINGS_PER_WORD postings are read, and the answer says whether that was all of them."""
        best: dict[str, Hit] = {}
        postings = SearchTermItem.query(
            keys.search_bucket(tenant_id, prefix),
            SearchTermItem.sk.startswith(prefix),
            limit=MAX_POSTINGS_PER_WORD + 1,
            page_size=1000,
        )
        for read, posting in enumerate(postings, start=1):
            if read > MAX_POSTINGS_PER_WORD:
                return WordMatches(best, complete=False)
            known = best.get(posting.ticket_id, Hit(0))
            best[posting.ticket_id] = Hit(
                max(known.weight, int(posting.weight)), max(known.number, int(posting.number or 0))
            )
        return WordMatches(best, complete=True)

    def _write(
        self, tenant_id: str, ticket_id: str, number: int, source: str, old: dict[str, int], new: dict[str, int]
    ) -> None:
        with SearchTermItem.batch_write() as batch:
            for word in old.keys() - new.keys():
                batch.delete(_posting(tenant_id, ticket_id, number, source, word, old[word]))
            for word, weight in new.items():
                if old.get(word) != weight:
                    batch.save(_posting(tenant_id, ticket_id, number, source, word, weight))


def _posting(tenant_id: str, ticket_id: str, number: int, source: str, word: str, weight: int) -> SearchTermItem:
    return SearchTermItem(
        keys.search_bucket(tenant_id, word),
        f"{word}#{ticket_id}#{source}",
        ticket_id=ticket_id,
        weight=weight,
        number=number or None,
    )


search_index = DynamoSearchIndex()
