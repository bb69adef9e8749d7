"""Which characters user text may hold: the rule behind every text field of the API.

Control characters (C0, DEL, C1) can truncate text at a NUL, split a header or a log line at a
CR/LF, and the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) make
``invoice\u202egpj.exe`` display as ``invoiceexe.jpg``. Text a person types never needs them, so
they are refused, never silently removed. Tab and line breaks stay allowed where text spans lines.
Zero-width joiners (emoji sequences, Indic and Persian scripts) and the left/right marks stay allowed.
Text that arrives by email is another matter: there the characters are to be stripped, not refused.
"""

from __future__ import annotations

import re

# As regex character-class ranges that Python's ``re``, Rust's ``regex`` and ECMA-262 all read alike,
# so the same class can be published as an OpenAPI ``pattern``.
_BIDI_CONTROLS = r"\u202A-\u202E\u2066-\u2069"
_CONTROLS_BUT_LINE_BREAKS = r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F"
MULTI_LINE_FORBIDDEN = _CONTROLS_BUT_LINE_BREAKS + _BIDI_CONTROLS
# One line: no CR/LF, nor the Unicode line and paragraph separators that JavaScript treats as line breaks.
SINGLE_LINE_FORBIDDEN = r"\u000A\u000D\u2028\u2029" + MULTI_LINE_FORBIDDEN

_MULTI_LINE = re.compile(f"[{MULTI_LINE_FORBIDDEN}]")
_SINGLE_LINE = re.compile(f"[{SINGLE_LINE_FORBIDDEN}]")


def first_forbidden_character(text: str, *, single_line: bool) -> str | None:
    """The first character ``text`` may not hold, or None."""
    found = (_SINGLE_LINE if single_line else _MULTI_LINE).search(text)
    return found.group() if found else None


# Unicode White_Space (what Rust's ``str::trim`` and so pydantic's ``strip_whitespace`` remove).
STRIPPED_WHITESPACE = r"\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"


_SURROUNDING_WHITESPACE = re.compile(f"^[{STRIPPED_WHITESPACE}]+|[{STRIPPED_WHITESPACE}]+$")


def strip_whitespace(text: str) -> str:
    """``text`` without surrounding whitespace: the whitespace the published pattern allows around it."""
    return _SURROUNDING_WHITESPACE.sub("", text)


def allowed_text_pattern(*, single_line: bool, stripped: bool = False, not_blank: bool = False) -> str:
    """The rule as a regular expression over the whole value (for the OpenAPI document). A field that
    strips surrounding whitespace before the check (``stripped``) takes any there, line breaks included;
    ``not_blank``: something must be left once stripped."""
    forbidden = SINGLE_LINE_FORBIDDEN if single_line else MULTI_LINE_FORBIDDEN
    if not (stripped or not_blank):
        return rf"^[^{forbidden}]*$"
    space, edge = f"[{STRIPPED_WHITESPACE}]*", f"[^{forbidden}{STRIPPED_WHITESPACE}]"
    core = rf"{edge}(?:[^{forbidden}]*{edge})?"
    return rf"^{space}{core}{space}$" if not_blank else rf"^{space}(?:{core})?{space}$"
