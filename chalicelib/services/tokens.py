"""Access tokens (EdDSA JWTs with ``kid``) and opaque secrets (refresh tokens, API keys)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from functools import lru_cache
from typing import Any

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key

from chalicelib.data.signing_key import signing_key
from chalicelib.domain.clock import utcnow
from chalicelib.domain.errors import Unauthorized
from chalicelib.settings import get_settings

ALGORITHMS = ["EdDSA"]  # the allow-list: nothing else is ever accepted
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "tid", "role"]


def issue_access_token(
    *, tenant_id: str, user_id: str, role: str, name: str, generation: int = 0, session_id: str = ""
) -> tuple[str, int]:
    """``gen`` is the user's token generation: raising it (demotion, password change, sign-out...)
    ends every access token issued before, at the next request. ``sid`` names the sign-in session."""
    settings = get_settings()
    now = utcnow()
    ttl = settings.access_token_ttl_seconds
    claims = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": user_id,
        "tid": tenant_id,
        "role": role,
        "name": name,
        "iat": now,
        "exp": now + timedelta(seconds=ttl),
        "jti": secrets.token_hex(8),
        "gen": generation,
        "sid": session_id,
    }
    key = signing_key()
    token = jwt.encode(claims, _private_key(key.private_pem), algorithm="EdDSA", headers={"kid": key.kid})
    return token, ttl


def issue_requester_token(
    *, tenant_id: str, contact_id: str, email: str, name: str, generation: int
) -> tuple[str, int]:
    """A portal token: the same keys and checks as a user's, role ``requester``, the contact as
    subject and its address (whose tickets it opens); ``gen`` is the contact's token generation."""
    settings = get_settings()
    now = utcnow()
    ttl = settings.requester_token_ttl_seconds
    claims = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": contact_id,
        "tid": tenant_id,
        "role": "requester",
        "name": name,
        "email": email,
        "iat": now,
        "exp": now + timedelta(seconds=ttl),
        "jti": secrets.token_hex(8),
        "gen": generation,
    }
    key = signing_key()
    token = jwt.encode(claims, _private_key(key.private_pem), algorithm="EdDSA", headers={"kid": key.kid})
    return token, ttl


def verify_access_token(token: str) -> dict[str, Any]:
    """Returns the claims of a valid token; anything else raises Unauthorized with no detail leak."""
    settings = get_settings()
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        key = settings.jwt_public_keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise Unauthorized("The access token is not valid.")
        claims: dict[str, Any] = jwt.decode(
            token,
            _public_key(key),
            algorithms=ALGORITHMS,
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The access token has expired.") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("The access token is not valid.") from exc
    return claims


@lru_cache(maxsize=2)
def _private_key(pem: str) -> Any:
    return load_pem_private_key(pem.encode(), password=None)


@lru_cache(maxsize=8)
def _public_key(pem: str) -> Any:
    return load_pem_public_key(pem.encode())


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """Secrets are 256 random bits, so a plain SHA-256 is enough (no password stretching needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, expected_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), expected_hash)
