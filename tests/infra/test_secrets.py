"""The stage secret helper, against moto's Secrets Manager: created once, rotated with old keys still trusted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import jwt
import pytest
from moto import mock_aws

from infra.aws.secrets import KEEP_PUBLIC_KEYS, ensure_secret

NAME = "pulsedesk/prod/app"


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for variable in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECRETS_MANAGER"):
        monkeypatch.delenv(variable, raising=False)
    with mock_aws():
        yield boto3.client("secretsmanager", region_name="us-east-1")


def _value(client: Any) -> dict[str, str]:
    return dict(json.loads(client.get_secret_value(SecretId=NAME)["SecretString"]))


def test_created_once_then_left_alone(client: Any) -> None:
    first = ensure_secret(client, NAME, "prod")
    assert ensure_secret(client, NAME, "prod") == first
    value = _value(client)
    token = jwt.encode({"sub": "u"}, value["jwt_private_key"], algorithm="EdDSA", headers={"kid": value["jwt_kid"]})
    public = json.loads(value["jwt_public_keys"])[value["jwt_kid"]]
    assert jwt.decode(token, public, algorithms=["EdDSA"])["sub"] == "u"
    assert len(value["cursor_secret"]) >= 32


def test_rotation_keeps_recent_public_keys_and_the_cursor_secret(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    kids = iter(f"2030010100000{i}" for i in range(10))
    monkeypatch.setattr("infra.aws.secrets._kid_time", lambda: next(kids))
    first = ensure_secret(client, NAME, "prod")
    before = _value(client)
    versions = {first}
    for _ in range(KEEP_PUBLIC_KEYS):
        versions.add(ensure_secret(client, NAME, "prod", rotate=True))
    after = _value(client)
    assert len(versions) == KEEP_PUBLIC_KEYS + 1
    trusted = json.loads(after["jwt_public_keys"])
    assert len(trusted) == KEEP_PUBLIC_KEYS and after["jwt_kid"] in trusted
    assert before["jwt_kid"] not in trusted
    assert after["cursor_secret"] == before["cursor_secret"]


def test_a_secret_from_before_origin_verification_gains_the_value_and_keeps_its_keys(client: Any) -> None:
    name = "pulsedesk/legacy/app"
    old = {k: v for k, v in new_secret_value_for_test().items() if k != "origin_verify"}
    client.create_secret(Name=name, SecretString=json.dumps(old))
    version = ensure_secret(client, name, "legacy")
    value = dict(json.loads(client.get_secret_value(SecretId=name)["SecretString"]))
    assert len(value["origin_verify"]) >= 32
    assert {k: value[k] for k in old} == old
    assert ensure_secret(client, name, "legacy") == version


def new_secret_value_for_test() -> dict[str, str]:
    from infra.aws.secrets import new_secret_value

    return new_secret_value("prod", previous=None)


SLACK_SECRET = "0123456789abcdef0123456789abcdef"


def test_the_slack_client_secret_is_added_beside_everything_and_survives_a_rotation(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infra.aws.secrets import set_slack_client_secret

    first = ensure_secret(client, NAME, "prod")
    before = _value(client)

    # WHEN the operator stores the Slack app's client secret
    version = set_slack_client_secret(client, NAME, SLACK_SECRET)

    # THEN a new version holds it beside every value it held; storing it again changes nothing
    assert version != first
    assert _value(client) == {**before, "slack_client_secret": SLACK_SECRET}
    assert set_slack_client_secret(client, NAME, SLACK_SECRET) == version
    # AND a later key rotation keeps it
    monkeypatch.setattr("infra.aws.secrets._kid_time", lambda: "20990101000000")
    ensure_secret(client, NAME, "prod", rotate=True)
    assert _value(client)["slack_client_secret"] == SLACK_SECRET


@pytest.mark.parametrize("typed", ["", "not-a-secret", SLACK_SECRET.upper() + "0"])
def test_a_slack_client_secret_of_the_wrong_shape_is_refused_and_nothing_written(client: Any, typed: str) -> None:
    from infra.aws.secrets import set_slack_client_secret

    version = ensure_secret(client, NAME, "prod")
    with pytest.raises(SystemExit, match="32 hexadecimal"):
        set_slack_client_secret(client, NAME, typed)
    assert client.get_secret_value(SecretId=NAME)["VersionId"] == version
