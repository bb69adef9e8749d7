"""How guessable a new password is, with zxcvbn (pattern matching against common passwords, names,
keyboard walks, repeats and dates; no network). Pure: the caller passes what it knows of the person."""

from __future__ import annotations

from collections.abc import Iterable

# zxcvbn 4.5 refuses longer input (a ValueError, which was a 500 for a 100-character password), and
# a password that long is not weak for its first 72 characters' sake anyway.
_CHECKED_LENGTH = 72


def password_problem(password: str, user_inputs: Iterable[str], min_score: int) -> str | None:
    """None if the password is strong enough; otherwise what is wrong and what to do instead.

    ``user_inputs`` are words an attacker would try first: the person's name and email, the
    workspace's name and address, the product's name."""
    # Imported here: zxcvbn builds its ranked dictionaries on import (tens of ms), needed only when a
    # password is set.
    from zxcvbn import zxcvbn  # type: ignore[import-untyped]

    words = sorted({part for value in user_inputs for part in _words(value)})
    result = zxcvbn(password[:_CHECKED_LENGTH], user_inputs=words)
    if int(result["score"]) >= min_score:
        return None
    feedback = result.get("feedback") or {}
    warning = str(feedback.get("warning") or "").strip()
    suggestions = [str(s).strip() for s in feedback.get("suggestions") or [] if str(s).strip()]
    advice = " ".join(s if s.endswith(".") else f"{s}." for s in suggestions) or (
        "Use three or four unrelated words, or a longer mix of words, numbers and symbols."
    )
    lead = "This password is too easy to guess"
    return f"{lead}. {warning.rstrip('.')}. {advice}" if warning else f"{lead}. {advice}"


def _words(value: str) -> list[str]:
    """A value and its parts: ``ada.lovelace@acme.example`` also yields ``ada``, ``lovelace``, ``acme``."""
    lowered = value.strip().lower()
    if not lowered:
        return []
    parts = [p for p in lowered.replace("@", " ").replace(".", " ").replace("-", " ").split() if len(p) > 2]
    return [lowered, *parts]
