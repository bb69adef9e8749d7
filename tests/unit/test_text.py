"""The text rule (``chalicelib/domain/text.py``): what it refuses, and that the pattern published in
the OpenAPI says exactly what the validator does."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.text import allowed_text_pattern, first_forbidden_character

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


@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_the_not_blank_pattern_also_needs_a_visible_character(text: str) -> None:
    pattern = re.compile(allowed_text_pattern(single_line=True, not_blank=True))
    allowed = first_forbidden_character(text, single_line=True) is None and text.strip() != ""

    assert (pattern.fullmatch(text) is not None) == allowed
