"""Unit tests: pure logic, no AWS. Settings are cached, so tests that change them clear the caches."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest


def clear_setting_caches() -> None:
    from chalicelib.data import cursor
    from chalicelib.services import passwords, tokens
    from chalicelib.settings import get_settings

    get_settings.cache_clear()
    tokens._private_key.cache_clear()
    tokens._public_key.cache_clear()
    passwords._hasher.cache_clear()
    passwords._decoy_hash.cache_clear()
    cursor._fernet.cache_clear()


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """``configure(PULSEDESK_X="...", PULSEDESK_Y=None)`` changes settings for one test only.

    The caches are cleared now and again on teardown (before monkeypatch restores the
    environment), so the next test reads the original settings afresh.
    """

    def apply(**env: str | None) -> None:
        for name, value in env.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        clear_setting_caches()

    yield apply
    clear_setting_caches()
