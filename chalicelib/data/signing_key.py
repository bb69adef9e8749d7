"""The JWT signing key: where it comes from is the settings' choice.

Local stack and tests hold the PEM in ``PULSEDESK_JWT_PRIVATE_KEY`` (``.local/keys``). A deployed stage holds
no private key in any function's configuration: the one function that signs reads it, with its ``kid``, from the
stage's Secrets Manager secret (``stage_secret``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.data.stage_secret import stage_secret
from chalicelib.settings import get_settings


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: str = field(repr=False)


def signing_key() -> SigningKey:
    settings = get_settings()
    if settings.jwt_private_key:
        return SigningKey(settings.jwt_kid, settings.jwt_private_key)
    value = stage_secret()
    if value is None:
        raise RuntimeError("no JWT signing key: set PULSEDESK_JWT_PRIVATE_KEY or PULSEDESK_JWT_SIGNING_SECRET")
    if not value.get("jwt_private_key") or not value.get("jwt_kid"):
        raise RuntimeError(f"secret {settings.jwt_signing_secret} holds no jwt_private_key and jwt_kid")
    return SigningKey(str(value["jwt_kid"]), str(value["jwt_private_key"]))
