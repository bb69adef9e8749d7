from __future__ import annotations

from chalicelib.domain.search_text import SUBJECT_WEIGHT, query_words, rank, ticket_terms, words


def test_words_are_case_and_accent_insensitive_and_skip_single_letters() -> None:
    assert words("Café RÉSUMÉ a b2b x") == {"cafe", "resume", "b2b"}


def test_subject_words_outweigh_description_words() -> None:
    terms = ticket_terms("Refund please", "I want a refund for my order")
    assert terms["refund"] == SUBJECT_WEIGHT and terms["order"] == 1


def test_rank_requires_every_word_and_orders_by_score() -> None:
    ranked = rank([{"t1": 10, "t2": 1, "t3": 1}, {"t1": 1, "t2": 10}])
    assert ranked == [("t1", 11), ("t2", 11)] or ranked == [("t2", 11), ("t1", 11)]
    assert rank([{"t1": 1}, {"t2": 1}]) == []


def test_query_words_are_normalised() -> None:
    assert query_words("  Refünd  ORDER ") == ["order", "refund"]
