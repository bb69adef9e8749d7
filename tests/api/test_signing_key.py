"""Deployed signing: the private key comes from Secrets Manager at run time (pinned version, cached), never env."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import jwt
import pytest
from aws_lambda_powertools.utilities import parameters

from chalicelib.services.tokens import issue_access_token
from chalicelib.settings import get_settings
from infra.aws.secrets import ensure_secret

NAME = "pulsedesk/prod/app"


@pytest.fixture
def deployed_signing(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    monkeypatch.setenv("PULSEDESK_JWT_PRIVATE_KEY", "")
    monkeypatch.setenv("PULSEDESK_JWT_SIGNING_SECRET", NAME)
    parameters.clear_caches()
    get_settings.cache_clear()
    yield client
    client.delete_secret(SecretId=NAME, ForceDeleteWithoutRecovery=True)
    parameters.clear_caches()
    monkeypatch.undo()
    get_settings.cache_clear()


def _secret(client: Any, version: str) -> dict[str, str]:
    return dict(json.loads(client.get_secret_value(SecretId=NAME, VersionId=version)["SecretString"]))


def test_tokens_are_signed_with_the_deployed_version_of_the_secret(
    deployed_signing: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the deployed version, then a rotation the stack has not been redeployed with yet
    client = deployed_signing
    deployed = ensure_secret(client, NAME, "prod")
    monkeypatch.setattr("infra.aws.secrets._kid_time", lambda: "20990101000000")
    ensure_secret(client, NAME, "prod", rotate=True)
    monkeypatch.setenv("PULSEDESK_JWT_SIGNING_SECRET_VERSION", deployed)
    get_settings.cache_clear()
    assert get_settings().jwt_private_key == ""

    # WHEN a token is issued
    token, _ = issue_access_token(tenant_id="t1", user_id="u1", role="agent", name="A")

    # THEN it carries the deployed kid and verifies with the deployed public key (which the env holds)
    value = _secret(client, deployed)
    assert jwt.get_unverified_header(token)["kid"] == value["jwt_kid"]
    public = json.loads(value["jwt_public_keys"])[value["jwt_kid"]]
    claims = jwt.decode(token, public, algorithms=["EdDSA"], audience="pulsedesk-api")
    assert claims["sub"] == "u1"


def test_the_key_is_fetched_once_then_cached(deployed_signing: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client = deployed_signing
    monkeypatch.setenv("PULSEDESK_JWT_SIGNING_SECRET_VERSION", ensure_secret(client, NAME, "prod"))
    get_settings.cache_clear()
    calls = []
    real = parameters.SecretsProvider._get

    def counted(self: Any, name: str, **options: Any) -> Any:
        calls.append(name)
        return real(self, name, **options)

    monkeypatch.setattr(parameters.SecretsProvider, "_get", counted)
    first, _ = issue_access_token(tenant_id="t1", user_id="u1", role="agent", name="A")
    second, _ = issue_access_token(tenant_id="t1", user_id="u2", role="agent", name="A")
    assert jwt.get_unverified_header(first)["kid"] == jwt.get_unverified_header(second)["kid"]
    assert calls == [NAME]


def test_without_a_key_or_a_secret_signing_fails_loudly(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSEDESK_JWT_PRIVATE_KEY", "")
    monkeypatch.delenv("PULSEDESK_JWT_SIGNING_SECRET", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="PULSEDESK_JWT_SIGNING_SECRET"):
            issue_access_token(tenant_id="t1", user_id="u1", role="agent", name="A")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
