"""Validation messages in plain words: what a person should type, not what the validator checked.

Pydantic's own messages ("String should match pattern '^[a-z0-9]…'") reach sign-up and every form
beside the field; these say the same in words. Unknown kinds keep pydantic's message."""

from __future__ import annotations

from typing import Any

# Patterns the request models use, by what they ask for.
PATTERN_WORDS = {
    r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$": (
        "Use 3 to 40 lower-case letters, digits and hyphens, starting and ending with a letter or digit."
    ),
    r"^[a-z0-9][a-z0-9_-]{0,39}$": "Use up to 40 lower-case letters, digits, - and _, starting with a letter or digit.",
    r"^[A-Za-z0-9][A-Za-z0-9_:-]{0,49}$": "Use up to 50 letters, digits, -, _ and :, starting with a letter or digit.",
    r"^[a-f0-9]{32}$": "This is not a valid id.",
}


def plain_message(error: Any) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    message: str = error.get("msg", "")
    if kind == "missing":
        return "Fill this in."
    if kind == "extra_forbidden":
        return "This is not a field this form takes."
    if kind == "string_too_short":
        return "Fill this in." if ctx.get("min_length") == 1 else f"Use at least {ctx.get('min_length')} characters."
    if kind == "string_too_long":
        return f"Use at most {ctx.get('max_length')} characters."
    if kind == "string_pattern_mismatch":
        return PATTERN_WORDS.get(str(ctx.get("pattern")), "Some characters are not allowed here.")
    if kind in ("too_long",):
        return f"Keep it to {ctx.get('max_length')} or fewer."
    if kind in ("too_short",):
        return f"Give at least {ctx.get('min_length')}."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "Enter a whole number."
    if kind in ("bool_type", "bool_parsing"):
        return "Choose yes or no."
    if kind in ("string_type",):
        return "Enter text."
    if kind == "greater_than_equal":
        return f"Enter {ctx.get('ge')} or more."
    if kind == "less_than_equal":
        return f"Enter {ctx.get('le')} or less."
    if kind == "literal_error":
        return "Choose " + str(ctx.get("expected", "")).replace("'", "") + "."
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    return message
