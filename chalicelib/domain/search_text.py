"""Words for the keyword index, and how matches rank. Pure code.

Case-insensitive, accent-folded words of two or more letters; a query word matches any indexed
word it is a prefix of; every query word must match; subject matches rank first, then newer tickets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

SUBJECT_WEIGHT = 10
BODY_WEIGHT = 1
MIN_WORD, MAX_WORD, MAX_WORDS = 2, 40, 2000
_WORD = re.compile(r"[^\W_]+")


class Source(StrEnum):
    """Where an indexed word was written: the last part of every posting's sort key."""

    TICKET = "t"  # subject and description
    REPLY = "r"  # a public reply
    NOTE = "n"  # an internal note
    # Indexed before replies and notes were told apart: either, so only note readers may match it.
    COMMENT = "c"


NOTE_SOURCES = frozenset({Source.NOTE, Source.COMMENT})


def comment_source(public: bool) -> Source:
    return Source.REPLY if public else Source.NOTE


def matchable_sources(sees_internal_notes: bool) -> frozenset[Source]:
    """The postings a query may match: whoever cannot read a note's body must never find a ticket
    through it, or a prefix search would spell the note out letter by letter."""
    return frozenset(Source) if sees_internal_notes else frozenset(Source) - NOTE_SOURCES


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def words(text: str) -> set[str]:
    found = {w[:MAX_WORD] for w in _WORD.findall(normalise(text)) if len(w) >= MIN_WORD}
    return set(sorted(found)[:MAX_WORDS])


def ticket_terms(subject: str, description: str) -> dict[str, int]:
    terms = dict.fromkeys(words(description), BODY_WEIGHT)
    terms.update(dict.fromkeys(words(subject), SUBJECT_WEIGHT))
    return terms


def comment_terms(body: str) -> dict[str, int]:
    return dict.fromkeys(words(body), BODY_WEIGHT)


def query_words(query: str) -> list[str]:
    return sorted(words(query))


@dataclass(frozen=True)
class Hit:
    """One ticket's best match for one query word: its weight, and the ticket's number (newer
    tickets win ties; 0 when only a comment matched and the number is unknown)."""

    weight: int
    number: int = 0


@dataclass(frozen=True)
class WordMatches:
    """What the index knows of one query word; ``complete`` is False when the word is so common
    that only part of its postings were read."""

    hits: Mapping[str, Hit]
    complete: bool = True


MAX_RANKED_NUMBER = 10**12 - 1


def rank_key(weight: int, number: int) -> str:
    """A posting's place in its word's ranked list, as text that sorts the better hit first: the higher
    weight, then the newer ticket (the higher number; 0, a comment's, last). ``rank``'s order for one word,
    the ticket id after this key breaking ties as ``rank`` does."""
    return f"{99 - min(max(weight, 0), 99):02d}{MAX_RANKED_NUMBER - min(max(number, 0), MAX_RANKED_NUMBER):012d}"


def plan_ranking(matches: Sequence[WordMatches]) -> tuple[list[Mapping[str, Hit]], list[int]]:
    """Which words rank the candidates and which must be checked on each candidate's text instead.
    A common word's postings were cut short, so intersecting them would drop real matches: the
    complete words choose the candidates (the first word does, best effort, when none is complete)
    and the others are verified on the ticket."""
    complete = [i for i, m in enumerate(matches) if m.complete] or [0]
    return [matches[i].hits for i in complete], [i for i in range(len(matches)) if i not in complete]


def text_weight(prefix: str, subject: str, description: str) -> int:
    """How a ticket's own text matches a query word: SUBJECT_WEIGHT, BODY_WEIGHT or 0."""
    if any(w.startswith(prefix) for w in words(subject)):
        return SUBJECT_WEIGHT
    return BODY_WEIGHT if any(w.startswith(prefix) for w in words(description)) else 0


def rank(matches_per_word: Iterable[Mapping[str, Hit]]) -> list[tuple[str, int]]:
    """Tickets that match every query word, best first: (ticket id, score). Equal scores put the
    newest ticket first, so a page can be fetched without reading every match."""
    scores: dict[str, int] | None = None
    numbers: dict[str, int] = {}
    for matches in matches_per_word:
        for ticket_id, hit in matches.items():
            numbers[ticket_id] = max(numbers.get(ticket_id, 0), hit.number)
        if scores is None:
            scores = {t: hit.weight for t, hit in matches.items()}
        else:
            scores = {t: s + matches[t].weight for t, s in scores.items() if t in matches}
    return sorted((scores or {}).items(), key=lambda pair: (-pair[1], -numbers[pair[0]], pair[0]))
