"""Password hashing: argon2id, and the same work whether or not the account exists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from argon2 import PasswordHasher, extract_parameters
from argon2 import profiles as argon2_profiles
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.services import passwords
from chalicelib.services.passwords import hash_password, verify_password


def test_hash_is_argon2id_and_salted() -> None:
    first, second = hash_password("correct horse battery"), hash_password("correct horse battery")

    assert first.startswith("$argon2id$")
    assert first != second  # a fresh salt each time
    assert "correct horse battery" not in first


def test_verify_accepts_the_password_and_refuses_others() -> None:
    stored = hash_password("correct horse battery")

    assert verify_password("correct horse battery", stored) is True
    assert verify_password("correct horse batterY", stored) is False
    assert verify_password("", stored) is False


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_a_password_verifies_against_its_own_hash_only(password: str, other: str) -> None:
    stored = hash_password(password)
    assert verify_password(password, stored)
    assert verify_password(other, stored) == (other == password)


@pytest.mark.parametrize("broken", ["", "not a hash", "$argon2id$v=19$m=8,t=1,p=1$broken"])
def test_a_broken_stored_hash_refuses_instead_of_raising(broken: str) -> None:
    assert verify_password("anything at all", broken) is False


def test_the_decoy_password_itself_never_signs_in_an_unknown_account() -> None:
    assert verify_password("decoy password, never matches a real login", None) is False


def test_an_unknown_account_does_the_same_argon2_work(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a hasher that records what it verifies against
    verified: list[str] = []

    class SpyHasher(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> Any:
            verified.append(str(hash))
            return super().verify(hash, password)

    real = passwords._hasher()
    spy = SpyHasher(real.time_cost, real.memory_cost, real.parallelism, real.hash_len, real.salt_len)
    monkeypatch.setattr(passwords, "_hasher", lambda: spy)
    real_hash = hash_password("correct horse battery")

    # WHEN a known account and an unknown account (no hash) are checked
    verify_password("wrong password", real_hash)
    verify_password("wrong password", None)

    # THEN both ran one argon2 verification, with the same cost parameters
    assert len(verified) == 2
    assert verified[1] != real_hash
    assert extract_parameters(verified[0]) == extract_parameters(verified[1])


def test_the_cost_profile_comes_from_settings(configure: Callable[..., None]) -> None:
    configure(PULSEDESK_ARGON2_PROFILE="RFC_9106_LOW_MEMORY")
    params = extract_parameters(hash_password("correct horse battery"))
    expected = argon2_profiles.RFC_9106_LOW_MEMORY

    assert (params.memory_cost, params.time_cost) == (expected.memory_cost, expected.time_cost)
    assert params.type.name == "ID"
