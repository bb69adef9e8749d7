"""Knowledge-base articles: slugs, what is public, how they are indexed and ranked. Pure code.

An article's slug is made from its title when it is created and never changes (a renamed article keeps
its links). Only published articles are indexed: the help centre's search, the suggestions and the
agents' link picker all want articles a customer can open. Title words rank above body words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

from chalicelib.domain.search_text import BODY_WEIGHT, SUBJECT_WEIGHT, Hit, normalise, words

ArticleStatus = Literal["draft", "published"]
MAX_SLUG = 60
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SUMMARY_CHARS = 200
_EMPHASIS = re.compile(r"[`*_~]+")
_MARKUP = re.compile(r"\]\([^)]*\)|https?://\S+|[>#|\[\]!]+|^\s*(?:[-+]|\d+\.)\s+|-{3,}", re.MULTILINE)


def slug_of(title: str) -> str:
    slug = _NOT_SLUG.sub("-", normalise(title)).strip("-")[:MAX_SLUG].strip("-")
    return slug or "article"


def slug_candidates(title: str, attempts: int = 20) -> list[str]:
    """The slug, then ``slug-2``, ``slug-3``... for when a title is taken."""
    base = slug_of(title)
    return [base, *(f"{base[: MAX_SLUG - 4]}-{n}" for n in range(2, attempts + 1))]


def article_terms(title: str, body: str) -> dict[str, int]:
    terms = dict.fromkeys(words(body), BODY_WEIGHT)
    terms.update(dict.fromkeys(words(title), SUBJECT_WEIGHT))
    return terms


def indexed_terms(status: str | None, title: str, body: str) -> dict[str, int]:
    """What the index holds for an article in this state: nothing unless published."""
    return article_terms(title, body) if status == "published" else {}


def summary_of(body: str) -> str:
    """A plain-text teaser of a Markdown body, for result lists."""
    text = " ".join(_MARKUP.sub(" ", _EMPHASIS.sub("", body)).split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"


def rank_articles(matches_per_word: Iterable[Mapping[str, Hit]]) -> list[tuple[str, int]]:
    """Articles that match every query word, best score first, then by id (a stable order)."""
    scores: dict[str, int] | None = None
    for matches in matches_per_word:
        if scores is None:
            scores = {a: hit.weight for a, hit in matches.items()}
        else:
            scores = {a: s + matches[a].weight for a, s in scores.items() if a in matches}
    return sorted((scores or {}).items(), key=lambda pair: (-pair[1], pair[0]))


def rank_any(matches_per_word: Iterable[Mapping[str, Hit]]) -> list[tuple[str, int]]:
    """Articles that match any query word, by their summed score (suggestions: a half-typed subject
    rarely has every word in one article)."""
    scores: dict[str, int] = {}
    for matches in matches_per_word:
        for article_id, hit in matches.items():
            scores[article_id] = scores.get(article_id, 0) + hit.weight
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


def matches_all(words_wanted: Iterable[str], title: str, body: str) -> bool:
    """Whether every word starts a word of the article (for words whose postings were cut short)."""
    have = words(title) | words(body)
    return all(any(w.startswith(prefix) for w in have) for prefix in words_wanted)
