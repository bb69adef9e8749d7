from __future__ import annotations

from chalicelib.domain.search_text import (
    SUBJECT_WEIGHT,
    Hit,
    Source,
    WordMatches,
    comment_source,
    matchable_sources,
    plan_ranking,
    query_words,
    rank,
    text_weight,
    ticket_terms,
    words,
)


def test_words_are_case_and_accent_insensitive_and_skip_single_letters() -> None:
    assert words("Café RÉSUMÉ a b2b x") == {"cafe", "resume", "b2b"}


def test_subject_words_outweigh_description_words() -> None:
    terms = ticket_terms("Refund please", "I want a refund for my order")
    assert terms["refund"] == SUBJECT_WEIGHT and terms["order"] == 1


def test_rank_requires_every_word_and_orders_by_score_then_newest_ticket() -> None:
    ranked = rank(
        [
            {"t1": Hit(10, 7), "t2": Hit(1, 9), "t3": Hit(1, 3), "t4": Hit(10, 1)},
            {"t1": Hit(1, 7), "t2": Hit(10, 9), "t4": Hit(10, 1)},
        ]
    )
    assert ranked == [("t4", 20), ("t2", 11), ("t1", 11)]
    assert rank([{"t1": Hit(1)}, {"t2": Hit(1)}]) == []


def test_a_comment_only_match_takes_the_number_another_word_knows() -> None:
    ranked = rank([{"t1": Hit(1, 0), "t2": Hit(1, 2)}, {"t1": Hit(1, 5), "t2": Hit(1, 2)}])
    assert ranked == [("t1", 2), ("t2", 2)]


def test_query_words_are_normalised() -> None:
    assert query_words("  Refünd  ORDER ") == ["order", "refund"]


def test_complete_words_pick_the_candidates_and_cut_short_ones_are_checked_on_the_text() -> None:
    common = WordMatches({"t1": Hit(10)}, complete=False)
    rare = WordMatches({"t2": Hit(1)})
    ranking, verify = plan_ranking([common, rare])
    assert ranking == [rare.hits] and verify == [0]
    ranking, verify = plan_ranking([common, common])
    assert ranking == [common.hits] and verify == [1]  # best effort when every word is common
    assert text_weight("prin", "Printer jam", "") == SUBJECT_WEIGHT
    assert text_weight("tray", "Printer jam", "Tray 2 is empty") == 1
    assert text_weight("toner", "Printer jam", "Tray 2") == 0


def test_only_note_readers_match_postings_that_may_come_from_a_note() -> None:
    assert comment_source(public=True) == Source.REPLY and comment_source(public=False) == Source.NOTE
    assert matchable_sources(sees_internal_notes=True) == set(Source)
    # a posting indexed before replies and notes were told apart may be either: only note readers match it
    assert matchable_sources(sees_internal_notes=False) == {Source.TICKET, Source.REPLY}
