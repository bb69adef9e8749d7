"""The JWT signing key: where it comes from is the settings' choice.

Local stack and tests hold the PEM in ``PULSEDESK_JWT_PRIVATE_KEY`` (``.local/keys``). A deployed stage holds
no private key in any function's configuration: the one function that signs reads it, with its ``kid``, from the
stage's Secrets Manager secret at the version the stack was deployed with, through Powertools Parameters, which
caches it so a warm function asks Secrets Manager at most once per ``CACHE_SECONDS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalicelib.settings import get_settings

# The version is pinned, so the value cannot change under a warm function: the cache only bounds how long a
# version deleted by hand keeps signing.
CACHE_SECONDS = 3600


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: str = field(repr=False)


def signing_key() -> SigningKey:
    settings = get_settings()
    if settings.jwt_private_key:
        return SigningKey(settings.jwt_kid, settings.jwt_private_key)
    if not settings.jwt_signing_secret:
        raise RuntimeError("no JWT signing key: set PULSEDESK_JWT_PRIVATE_KEY or PULSEDESK_JWT_SIGNING_SECRET")
    # Imported here: Parameters loads boto3 and s3transfer, which only the deployed signer needs.
    from aws_lambda_powertools.utilities import parameters

    options: dict[str, Any] = {}
    if settings.jwt_signing_secret_version:
        options["VersionId"] = settings.jwt_signing_secret_version
    value = parameters.get_secret(settings.jwt_signing_secret, transform="json", max_age=CACHE_SECONDS, **options)
    if not isinstance(value, dict) or not value.get("jwt_private_key") or not value.get("jwt_kid"):
        raise RuntimeError(f"secret {settings.jwt_signing_secret} holds no jwt_private_key and jwt_kid")
    return SigningKey(str(value["jwt_kid"]), str(value["jwt_private_key"]))
