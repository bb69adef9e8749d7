"""Knowledge-base rules: slugs, what is indexed, ranking, teasers and what counts as a deflection."""

from __future__ import annotations

from chalicelib.domain.articles import indexed_terms, rank_any, rank_articles, slug_candidates, slug_of, summary_of
from chalicelib.domain.deflection import deflected
from chalicelib.domain.search_text import Hit


def test_slugs_are_ascii_and_stable() -> None:
    assert slug_of("Réinitialiser   le mot de passe!") == "reinitialiser-le-mot-de-passe"
    assert slug_of("???") == "article"
    assert len(slug_of("x" * 500)) == 60
    assert slug_candidates("A b", 3) == ["a-b", "a-b-2", "a-b-3"]


def test_only_published_articles_are_indexed_title_words_first() -> None:
    assert indexed_terms("draft", "Reset", "body") == {}
    assert indexed_terms("published", "Reset", "reset body") == {"reset": 10, "body": 1}


def test_ranking_needs_every_word_and_suggestions_any() -> None:
    a, b = {"x": Hit(10), "y": Hit(1)}, {"y": Hit(10)}
    assert rank_articles([a, b]) == [("y", 11)]
    assert rank_any([a, b]) == [("y", 11), ("x", 10)]


def test_a_teaser_is_plain_text() -> None:
    assert summary_of("# Title\n\n**Bold** [link](https://x.example)") == "Title Bold link"


def test_deflections_are_opened_minus_submitted() -> None:
    assert deflected(5, 2) == 3 and deflected(1, 3) == 0
