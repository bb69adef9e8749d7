"""Access JWTs: what is issued, what verifies, and every forged or stale token we must refuse."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.api.problems import problem_type
from chalicelib.domain.errors import Unauthorized
from chalicelib.services.tokens import (
    REQUIRED_CLAIMS,
    hash_secret,
    issue_access_token,
    new_secret,
    secret_matches,
    verify_access_token,
)
from chalicelib.settings import get_settings
from infra.local.dev_keys import ed25519_pem_pair

KID = os.environ["PULSEDESK_JWT_KID"]
PRIVATE_PEM = os.environ["PULSEDESK_JWT_PRIVATE_KEY"]
PUBLIC_PEM = os.environ["PULSEDESK_JWT_PUBLIC_KEY"]


key_pair = ed25519_pem_pair


def valid_claims(**overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": get_settings().jwt_issuer,
        "aud": get_settings().jwt_audience,
        "sub": "user-1",
        "tid": "tenant-1",
        "role": "agent",
        "name": "Ann Agent",
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def signed(claims: dict[str, Any], private_pem: str = PRIVATE_PEM, headers: dict[str, Any] | None = None) -> str:
    return jwt.encode(claims, private_pem, algorithm="EdDSA", headers={"kid": KID} if headers is None else headers)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def handmade(header: dict[str, Any], claims: dict[str, Any], sign: Callable[[bytes], bytes]) -> str:
    """A JWT built by hand, as an attacker would (PyJWT refuses to build some of these)."""
    payload = {k: int(v.timestamp()) if isinstance(v, datetime) else v for k, v in claims.items()}
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    return f"{signing_input}.{b64(sign(signing_input.encode()))}"


def assert_refused(token: str) -> Unauthorized:
    with pytest.raises(Unauthorized) as caught:
        verify_access_token(token)
    assert problem_type(type(caught.value)).status == 401
    return caught.value


# --- issue and verify -----------------------------------------------------------------------------


def test_an_issued_token_verifies_and_carries_the_claims_the_api_relies_on() -> None:
    # WHEN a token is issued for a lead of a tenant
    token, ttl = issue_access_token(tenant_id="t-9", user_id="u-7", role="lead", name="Lee Lead")

    # THEN it verifies and holds who, where, what role, and a short life
    claims = verify_access_token(token)
    assert (claims["sub"], claims["tid"], claims["role"], claims["name"]) == ("u-7", "t-9", "lead", "Lee Lead")
    assert claims["iss"] == get_settings().jwt_issuer
    assert claims["aud"] == get_settings().jwt_audience
    assert 0 < claims["exp"] - claims["iat"] == ttl <= 900
    assert set(REQUIRED_CLAIMS) <= set(claims)


def test_an_issued_token_is_eddsa_with_the_configured_kid() -> None:
    token, _ = issue_access_token(tenant_id="t", user_id="u", role="agent", name="")

    header = jwt.get_unverified_header(token)

    assert header["alg"] == "EdDSA"
    assert header["kid"] == KID


def test_each_token_is_unique_even_for_the_same_user_in_the_same_second() -> None:
    first, _ = issue_access_token(tenant_id="t", user_id="u", role="agent", name="")
    second, _ = issue_access_token(tenant_id="t", user_id="u", role="agent", name="")

    assert first != second


def test_the_access_token_lifetime_is_capped_at_fifteen_minutes(configure: Callable[..., None]) -> None:
    configure(PULSEDESK_ACCESS_TOKEN_TTL="86400")

    _, ttl = issue_access_token(tenant_id="t", user_id="u", role="agent", name="")

    assert ttl == 900


def test_a_token_signed_by_our_key_with_every_required_claim_verifies() -> None:
    # guards the attack tests below: they fail because of the one thing each changes
    assert verify_access_token(signed(valid_claims()))["sub"] == "user-1"


# --- attacks --------------------------------------------------------------------------------------


def our_signature(data: bytes) -> bytes:
    private_key = serialization.load_pem_private_key(PRIVATE_PEM.encode(), password=None)
    assert isinstance(private_key, Ed25519PrivateKey)
    return private_key.sign(data)


def test_a_handmade_token_with_our_signature_verifies() -> None:
    # guards the handmade forgeries below: the builder itself makes tokens we accept
    token = handmade({"alg": "EdDSA", "kid": KID, "typ": "JWT"}, valid_claims(), our_signature)
    assert verify_access_token(token)["tid"] == "tenant-1"


def test_alg_none_is_refused() -> None:
    token = handmade({"alg": "none", "kid": KID, "typ": "JWT"}, valid_claims(), lambda _: b"")
    assert_refused(token)
    assert_refused(token.rstrip("."))  # and without the trailing dot


def test_hs256_signed_with_the_public_key_pem_as_hmac_secret_is_refused() -> None:
    # GIVEN the classic algorithm-confusion forgery: the public key (which anyone may know) used as an
    # HMAC secret
    token = handmade(
        {"alg": "HS256", "kid": KID, "typ": "JWT"},
        valid_claims(role="admin"),
        lambda data: hmac.new(PUBLIC_PEM.encode(), data, hashlib.sha256).digest(),
    )

    # THEN it is refused
    assert_refused(token)


def test_expired_token_is_refused_and_says_so() -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    error = assert_refused(signed(valid_claims(iat=past, exp=past + timedelta(minutes=15))))
    assert "expired" in error.detail


@pytest.mark.parametrize("claim, value", [("aud", "someone-else"), ("iss", "evil-issuer")])
def test_token_for_another_audience_or_issuer_is_refused(claim: str, value: str) -> None:
    assert_refused(signed(valid_claims(**{claim: value})))


def test_unknown_kid_is_refused() -> None:
    assert_refused(signed(valid_claims(), headers={"kid": "not-a-known-kid"}))


def test_missing_kid_is_refused() -> None:
    token = signed(valid_claims(), headers={})
    assert "kid" not in jwt.get_unverified_header(token)
    assert_refused(token)


@pytest.mark.parametrize("kid", [7, [KID], {"kid": KID}, None])
def test_non_text_kid_is_refused_even_with_a_good_signature(kid: Any) -> None:
    # PyJWT will not build these, so sign by hand with our real key
    token = handmade({"alg": "EdDSA", "kid": kid, "typ": "JWT"}, valid_claims(), our_signature)
    assert_refused(token)


def test_tampered_payload_is_refused() -> None:
    # GIVEN a real agent token whose payload is rewritten to say admin, signature untouched
    header, _, signature = signed(valid_claims(role="agent")).split(".")
    forged_payload = b64(
        json.dumps(
            {**jwt.decode(signed(valid_claims()), options={"verify_signature": False}), "role": "admin"}
        ).encode()
    )

    # THEN it is refused
    assert_refused(f"{header}.{forged_payload}.{signature}")


def test_token_signed_by_another_key_under_our_kid_is_refused() -> None:
    other_private, _ = key_pair()
    assert_refused(signed(valid_claims(), private_pem=other_private))


@pytest.mark.parametrize("claim", REQUIRED_CLAIMS)
def test_token_missing_a_required_claim_is_refused(claim: str) -> None:
    claims = valid_claims()
    del claims[claim]
    assert_refused(signed(claims))


@pytest.mark.parametrize("garbage", ["", "not-a-jwt", "a.b.c", "a.b", "....", "eyJhbGciOiJFZERTQSJ9.e30.", "Bearer x"])
def test_garbage_is_refused_with_401_never_an_exception(garbage: str) -> None:
    assert_refused(garbage)


@given(st.text(max_size=200))
def test_any_text_is_either_refused_or_a_real_token(text: str) -> None:
    with pytest.raises(Unauthorized):
        verify_access_token(text)


# --- key rotation ---------------------------------------------------------------------------------


def test_a_token_signed_with_an_old_kid_still_listed_verifies(configure: Callable[..., None]) -> None:
    # GIVEN a token signed with the previous key, "old-1"
    old_private, old_public = key_pair()
    old_token = signed(valid_claims(), private_pem=old_private, headers={"kid": "old-1"})

    # WHEN the service has rotated to a new current key but still lists the old public key
    new_private, new_public = key_pair()
    configure(
        PULSEDESK_JWT_KID="new-1",
        PULSEDESK_JWT_PRIVATE_KEY=new_private,
        PULSEDESK_JWT_PUBLIC_KEY=new_public,
        PULSEDESK_JWT_PUBLIC_KEYS=json.dumps({"old-1": old_public}),
    )

    # THEN the old token still verifies, and new tokens use the new kid and verify too
    assert verify_access_token(old_token)["sub"] == "user-1"
    new_token, _ = issue_access_token(tenant_id="t", user_id="u", role="agent", name="")
    assert jwt.get_unverified_header(new_token)["kid"] == "new-1"
    assert verify_access_token(new_token)["sub"] == "u"


def test_a_token_of_a_retired_kid_is_refused(configure: Callable[..., None]) -> None:
    # GIVEN a token of the key "old-1", which the service no longer lists
    old_private, _ = key_pair()
    old_token = signed(valid_claims(), private_pem=old_private, headers={"kid": "old-1"})
    new_private, new_public = key_pair()
    configure(
        PULSEDESK_JWT_KID="new-1",
        PULSEDESK_JWT_PRIVATE_KEY=new_private,
        PULSEDESK_JWT_PUBLIC_KEY=new_public,
        PULSEDESK_JWT_PUBLIC_KEYS=None,
    )

    assert_refused(old_token)


def test_a_kid_cannot_borrow_another_kids_key(configure: Callable[..., None]) -> None:
    # GIVEN two listed keys; a token signed by key A but labelled with key B's kid
    a_private, a_public = key_pair()
    _, b_public = key_pair()
    configure(PULSEDESK_JWT_PUBLIC_KEYS=json.dumps({"a": a_public, "b": b_public}))

    assert verify_access_token(signed(valid_claims(), private_pem=a_private, headers={"kid": "a"}))
    assert_refused(signed(valid_claims(), private_pem=a_private, headers={"kid": "b"}))


# --- opaque secrets -------------------------------------------------------------------------------


def test_new_secrets_are_long_random_and_url_safe() -> None:
    secrets = {new_secret() for _ in range(50)}

    assert len(secrets) == 50
    assert all(len(s) >= 43 and "." not in s for s in secrets)  # refresh tokens split on "."


@given(st.text(min_size=1, max_size=80), st.text(min_size=1, max_size=80))
def test_secret_matches_only_its_own_hash(secret: str, other: str) -> None:
    assert secret_matches(secret, hash_secret(secret))
    assert secret_matches(other, hash_secret(secret)) == (other == secret)
    assert hash_secret(secret) != secret
