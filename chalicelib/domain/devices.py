"""A sign-in's device in words, from its User-Agent header (ua-parser's maintained rules). Pure code."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=512)
def device_of(user_agent: str | None) -> str:
    """'Chrome 131 on Mac OS X'; 'Unknown device' when there is no header or nothing is recognised."""
    if not user_agent:
        return "Unknown device"
    from ua_parser import parse  # imported when first used: its rules load only for "my sessions"

    found = parse(user_agent)
    browser = found.user_agent
    system = found.os
    name = f"{browser.family} {browser.major}".strip() if browser and browser.family != "Other" else ""
    if browser and not browser.major:
        name = browser.family if browser.family != "Other" else ""
    on = system.family if system and system.family != "Other" else ""
    if name and on:
        return f"{name} on {on}"
    return name or on or "Unknown device"
