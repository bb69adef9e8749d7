"""The deployed stage's Secrets Manager secret (made by ``infra.aws.secrets``), read at run time by the one
function that needs what no function configuration may hold: the JWT private key and its ``kid``, and the
Slack app's client secret. Read at the version the stack was deployed with, through Powertools Parameters,
which caches it so a warm function asks Secrets Manager at most once per ``CACHE_SECONDS``.

Local stack and tests have no such secret: their settings hold the values themselves.
"""

from __future__ import annotations

from typing import Any

from chalicelib.settings import get_settings

# The version is pinned, so the value cannot change under a warm function: the cache only bounds how long a
# version deleted by hand keeps being used.
CACHE_SECONDS = 3600


def stage_secret() -> dict[str, Any] | None:
    """The secret's JSON at the deployed version; None where the settings name no secret (local, tests)."""
    settings = get_settings()
    if not settings.jwt_signing_secret:
        return None
    # Imported here: Parameters loads boto3 and s3transfer, which only a deployed stage needs.
    from aws_lambda_powertools.utilities import parameters

    options: dict[str, Any] = {}
    if settings.jwt_signing_secret_version:
        options["VersionId"] = settings.jwt_signing_secret_version
    value = parameters.get_secret(settings.jwt_signing_secret, transform="json", max_age=CACHE_SECONDS, **options)
    if not isinstance(value, dict):
        raise RuntimeError(f"secret {settings.jwt_signing_secret} does not hold a JSON object")
    return value


def slack_client_secret() -> str:
    """The Slack app's client secret: the setting where one is given (local stack), else the stage secret's
    ``slack_client_secret`` (``python -m infra.aws.secrets --slack-client-secret``); empty when neither has one."""
    configured = get_settings().slack_client_secret
    if configured:
        return configured
    value = stage_secret()
    return str(value.get("slack_client_secret") or "") if value else ""
