"""The text rule (``chalicelib/domain/text.py``): what it refuses, and that the pattern published in
the OpenAPI says exactly what the validator does."""

from __future__ import annotations

import re
from typing import Annotated

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import StringConstraints, TypeAdapter

from chalicelib.domain.text import STRIPPED_WHITESPACE, allowed_text_pattern, first_forbidden_character

FORBIDDEN_EVERYWHERE = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u202a", "\u202e", "\u2066", "\u2069"]
LINE_BREAKS = ["\n", "\r", "\u2028", "\u2029"]
ALLOWED = ["plain", "tab\there", "Zoë 👩\u200d💻", "עברית \u200f mark", "日本語", ""]


@pytest.mark.parametrize("character", FORBIDDEN_EVERYWHERE)
def test_controls_and_bidi_overrides_are_refused_in_every_field(character: str) -> None:
    assert first_forbidden_character(f"a{character}b", single_line=False) == character
    assert first_forbidden_character(f"a{character}b", single_line=True) == character


@pytest.mark.parametrize("character", LINE_BREAKS)
def test_line_breaks_are_refused_only_on_one_line(character: str) -> None:
    assert first_forbidden_character(f"a{character}b", single_line=True) == character
    if character in "\r\n":
        assert first_forbidden_character(f"a{character}b", single_line=False) is None


@pytest.mark.parametrize("text", ALLOWED)
def test_ordinary_text_passes(text: str) -> None:
    assert first_forbidden_character(text, single_line=True) is None


@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=30), single_line=st.booleans())
def test_the_published_pattern_agrees_with_the_validator(text: str, single_line: bool) -> None:
    pattern = re.compile(allowed_text_pattern(single_line=single_line))

    assert (pattern.fullmatch(text) is not None) == (first_forbidden_character(text, single_line=single_line) is None)


WHITESPACE = st.sampled_from([" ", "\t", "\n", "\r", "\x0b", "\x85", "\u00a0", "\u2028", "\u3000"])
TEXT = st.text(alphabet=st.one_of(st.characters(codec="utf-8"), WHITESPACE), max_size=30)


def stripped_like_pydantic(text: str) -> str:
    return re.sub(f"^[{STRIPPED_WHITESPACE}]+|[{STRIPPED_WHITESPACE}]+$", "", text)


@given(text=TEXT, single_line=st.booleans(), not_blank=st.booleans())
def test_the_pattern_of_a_stripped_field_judges_what_is_left_after_stripping(
    text: str, single_line: bool, not_blank: bool
) -> None:
    pattern = re.compile(allowed_text_pattern(single_line=single_line, stripped=True, not_blank=not_blank))
    left = stripped_like_pydantic(text)
    allowed = first_forbidden_character(left, single_line=single_line) is None and (left != "" or not not_blank)

    assert (pattern.fullmatch(text) is not None) == allowed


def test_the_whitespace_pydantic_strips_is_the_one_the_pattern_allows_around() -> None:
    strip = TypeAdapter(Annotated[str, StringConstraints(strip_whitespace=True)])
    for code in range(0x3001):
        character = chr(code)
        if not (0xD800 <= code <= 0xDFFF):
            stripped_by_pydantic = strip.validate_python(character) == ""
            assert stripped_by_pydantic == (stripped_like_pydantic(character) == ""), hex(code)
