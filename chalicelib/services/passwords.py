"""Password hashing with argon2id; the cost profile is a setting (cheap in tests, strong in production)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from chalicelib.settings import get_settings


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, get_settings().argon2_profile))


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return _hasher().hash("decoy password, never matches a real login")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Always does the full work, even for an unknown account, so timing tells nothing."""
    try:
        return _hasher().verify(password_hash or _decoy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
