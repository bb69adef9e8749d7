"""The keyword index of published articles: the same postings table and query shape as tickets'
(data/search.py), in partitions of their own (``T#<tenant>#K#<first two letters>``, sort key
``<word>#<article id>``), so an article query never reads a ticket posting and the reverse."""

from __future__ import annotations

from chalicelib.data import keys
from chalicelib.data.models import SearchTermItem
from chalicelib.domain.search_text import Hit, WordMatches

MAX_POSTINGS_PER_WORD = 5000


def article_bucket(tenant_id: str, word: str) -> str:
    return f"{keys.tenant(tenant_id)}#K#{word[:2]}"


class DynamoArticleIndex:
    def update_article_terms(self, tenant_id: str, article_id: str, old: dict[str, int], new: dict[str, int]) -> None:
        with SearchTermItem.batch_write() as batch:
            for word in old.keys() - new.keys():
                batch.delete(_posting(tenant_id, article_id, word, old[word]))
            for word, weight in new.items():
                if old.get(word) != weight:
                    batch.save(_posting(tenant_id, article_id, word, weight))

    def matches(self, tenant_id: str, prefix: str) -> WordMatches:
        """Article id -> its best hit among the words starting with ``prefix`` (at most
        MAX_POSTINGS_PER_WORD postings read; ``complete`` says whether that was all)."""
        best: dict[str, Hit] = {}
        postings = SearchTermItem.query(
            article_bucket(tenant_id, prefix),
            SearchTermItem.sk.startswith(prefix),
            limit=MAX_POSTINGS_PER_WORD + 1,
            page_size=1000,
        )
        for read, posting in enumerate(postings, start=1):
            if read > MAX_POSTINGS_PER_WORD:
                return WordMatches(best, complete=False)
            known = best.get(posting.ticket_id, Hit(0))
            best[posting.ticket_id] = Hit(max(known.weight, int(posting.weight)))
        return WordMatches(best)


def _posting(tenant_id: str, article_id: str, word: str, weight: int) -> SearchTermItem:
    # ``ticket_id`` is the table's name for the document a posting points at
    return SearchTermItem(article_bucket(tenant_id, word), f"{word}#{article_id}", ticket_id=article_id, weight=weight)


article_index = DynamoArticleIndex()
