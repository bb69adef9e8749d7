"""The keyword index behind one small interface, so a managed engine could replace it.

Postings live in their own table: ``pk = T#<tenant>#W#<first two letters>``,
``sk = <word>#<ticket id>#<source>`` where source is ``t`` (subject and description) or ``c``
(comments). A prefix query is one Query with ``begins_with`` on the sort key.
"""

from __future__ import annotations

from collections import defaultdict

from chalicelib.data import keys
from chalicelib.data.models import SearchTermItem

MAX_POSTINGS_PER_WORD = 5000


class DynamoSearchIndex:
    def update_ticket_terms(self, tenant_id: str, ticket_id: str, old: dict[str, int], new: dict[str, int]) -> None:
        self._write(tenant_id, ticket_id, "t", old, new)

    def add_comment_terms(self, tenant_id: str, ticket_id: str, terms: dict[str, int]) -> None:
        self._write(tenant_id, ticket_id, "c", {}, terms)

    def matches(self, tenant_id: str, prefix: str) -> dict[str, int]:
        """Ticket id -> best weight among the words that start with ``prefix``."""
        best: dict[str, int] = defaultdict(int)
        postings = SearchTermItem.query(
            keys.search_bucket(tenant_id, prefix),
            SearchTermItem.sk.startswith(prefix),
            limit=MAX_POSTINGS_PER_WORD,
            page_size=1000,
        )
        for posting in postings:
            best[posting.ticket_id] = max(best[posting.ticket_id], int(posting.weight))
        return best

    def _write(self, tenant_id: str, ticket_id: str, source: str, old: dict[str, int], new: dict[str, int]) -> None:
        with SearchTermItem.batch_write() as batch:
            for word in old.keys() - new.keys():
                batch.delete(_posting(tenant_id, ticket_id, source, word, old[word]))
            for word, weight in new.items():
                if old.get(word) != weight:
                    batch.save(_posting(tenant_id, ticket_id, source, word, weight))


def _posting(tenant_id: str, ticket_id: str, source: str, word: str, weight: int) -> SearchTermItem:
    return SearchTermItem(
        keys.search_bucket(tenant_id, word), f"{word}#{ticket_id}#{source}", ticket_id=ticket_id, weight=weight
    )


search_index = DynamoSearchIndex()
