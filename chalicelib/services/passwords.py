"""Password hashing with argon2id (the cost profile is a setting: cheap in tests, strong in
production), and the strength check every newly set password passes first."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from chalicelib.data import identity
from chalicelib.domain.errors import invalid
from chalicelib.domain.password_strength import password_problem
from chalicelib.settings import get_settings

if TYPE_CHECKING:
    from argon2 import PasswordHasher

# argon2 (a CFFI extension) is loaded with the first hash: only sign-in and password changes need it.


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher, profiles

    return PasswordHasher.from_parameters(getattr(profiles, get_settings().argon2_profile))


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return _hasher().hash("decoy password, never matches a real login")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Always does the full work, even for an unknown account, so timing tells nothing."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash or _decoy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_password_hash(password: str, *, about: Iterable[str], field: str = "password") -> str:
    """The hash of a password someone is setting, refused (422 naming ``field``, with advice) if
    it is easy to guess. ``about``: the person's name and email and the workspace's name and slug."""
    problem = password_problem(password, [*about, "pulsedesk"], get_settings().password_min_score)
    if problem is not None:
        raise invalid(field, problem)
    return hash_password(password)


def words_about(tenant_id: str, name: str, email: str) -> list[str]:
    """What an attacker who knows this person and workspace would try first."""
    workspace = identity.get_workspace(tenant_id)
    return [name, email, *((workspace.name, workspace.slug) if workspace else ())]
