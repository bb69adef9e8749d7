"""Rate-limit windows and their configuration (pure)."""

from __future__ import annotations

import pytest

from chalicelib.domain.rate_limits import DEFAULT_LIMITS, Limit, parse_limits, window


def test_limits_are_parsed_and_checked() -> None:
    assert parse_limits("api.key=100/60")["api.key"] == Limit(100, 60)
    assert parse_limits("")["signup.ip"] == DEFAULT_LIMITS["signup.ip"]
    for bad in ("nope=1/60", "api.key=0/60", "api.key=ten/60"):
        with pytest.raises(ValueError):
            parse_limits(bad)
    current = window("api.key", "t#k", Limit(10, 60), now_epoch=125.5)
    assert current.key == "api.key#t#k#120"
    assert current.resets_in_seconds == 55
    assert current.expires_at_epoch == 240
