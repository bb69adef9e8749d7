"""The stage's application secret: an Ed25519 JWT key pair with its ``kid``, the cursor secret, the value
CloudFront sends to prove a request came through it (``origin_verify``), and the Slack app's client secret
when the stage has a Slack app (``slack_client_secret``, for "Add to Slack").

    python -m infra.aws.secrets --stage prod [--rotate] [--region eu-west-1]
    python -m infra.aws.secrets --stage prod --slack-client-secret < slack-secret.txt   (or typed at the prompt)

Creates ``<app>/<stage>/app`` in Secrets Manager when it is missing, never overwrites it, and prints the
VersionId to deploy (``make deploy`` passes it as ``AppSecretVersion``). ``--rotate`` writes a new version with
a new signing key, every other value kept; the previous public keys stay trusted (the newest ``KEEP_PUBLIC_KEYS``)
so tokens signed before the rotation verify until they expire. ``--slack-client-secret`` writes a new version with
the Slack app's client secret. The secret lives outside the stack: deleting the stack keeps it.
"""

from __future__ import annotations

import argparse
import getpass
import json
import re
import secrets
import sys
from datetime import UTC, datetime
from typing import Any

import boto3
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from infra.aws.parameters import secret_name
from infra.aws.stage import load_stage

KEEP_PUBLIC_KEYS = 3
SLACK_SECRET = re.compile(r"[0-9a-f]{32}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Create (or rotate) the stage's application secret.")
    parser.add_argument("--stage", default="prod")
    parser.add_argument("--region", help="AWS region (default: the AWS CLI's)")
    parser.add_argument("--rotate", action="store_true", help="add a new signing key version")
    parser.add_argument(
        "--slack-client-secret",
        action="store_true",
        help="store the Slack app's client secret, read from standard input (never from the command line)",
    )
    args = parser.parse_args(argv)
    client = boto3.client("secretsmanager", region_name=args.region)
    name = secret_name(load_stage(args.stage))
    version = ensure_secret(client, name, args.stage, rotate=args.rotate)
    if args.slack_client_secret:
        typed = getpass.getpass("Slack client secret: ") if sys.stdin.isatty() else sys.stdin.readline()
        version = set_slack_client_secret(client, name, typed.strip())
    print(version)
    return 0


def ensure_secret(client: Any, name: str, stage: str, rotate: bool = False) -> str:
    """The VersionId of the secret's current version, creating or rotating it first as asked."""
    current = _current(client, name)
    if current is None:
        value = new_secret_value(stage, previous=None)
        answer = client.create_secret(
            Name=name, Description=f"Pulsedesk {stage}: JWT keys, cursor secret", SecretString=json.dumps(value)
        )
        return str(answer["VersionId"])
    previous = json.loads(current["SecretString"])
    if rotate:
        value = {**previous, **new_secret_value(stage, previous=previous)}
        return str(client.put_secret_value(SecretId=name, SecretString=json.dumps(value))["VersionId"])
    if "origin_verify" not in previous:
        # A secret made before CloudFront proved its requests: add the value, keep every key as it was.
        value = {**previous, "origin_verify": secrets.token_urlsafe(32)}
        return str(client.put_secret_value(SecretId=name, SecretString=json.dumps(value))["VersionId"])
    return str(current["VersionId"])


def set_slack_client_secret(client: Any, name: str, value: str) -> str:
    """A new version of the (existing) secret holding the Slack app's client secret beside everything it held."""
    if not SLACK_SECRET.fullmatch(value):
        raise SystemExit("a Slack client secret is 32 hexadecimal characters (Basic Information in the app's settings)")
    current = _current(client, name)
    if current is None:
        raise SystemExit(f"no secret {name}: run `python -m infra.aws.secrets` first")
    previous = json.loads(current["SecretString"])
    if previous.get("slack_client_secret") == value:
        return str(current["VersionId"])
    updated = {**previous, "slack_client_secret": value}
    return str(client.put_secret_value(SecretId=name, SecretString=json.dumps(updated))["VersionId"])


def new_secret_value(stage: str, previous: dict[str, str] | None) -> dict[str, str]:
    private_pem, public_pem = _key_pair()
    kid = f"{stage}-{_kid_time()}"
    trusted = json.loads(previous["jwt_public_keys"]) if previous else {}
    trusted = dict(list(trusted.items())[-(KEEP_PUBLIC_KEYS - 1) :]) if KEEP_PUBLIC_KEYS > 1 else {}
    trusted[kid] = public_pem
    return {
        "jwt_kid": kid,
        "jwt_private_key": private_pem,
        "jwt_public_keys": json.dumps(trusted),
        "cursor_secret": previous["cursor_secret"] if previous else secrets.token_urlsafe(32),
        # The header CloudFront adds to every API request; API Gateway's functions refuse requests without it.
        "origin_verify": (previous or {}).get("origin_verify") or secrets.token_urlsafe(32),
    }


def _kid_time() -> str:
    return f"{datetime.now(UTC):%Y%m%d%H%M%S}"


def _current(client: Any, name: str) -> dict[str, Any] | None:
    try:
        return dict(client.get_secret_value(SecretId=name))
    except client.exceptions.ResourceNotFoundException:
        return None


def _key_pair() -> tuple[str, str]:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private.decode(), public.decode()


if __name__ == "__main__":
    sys.exit(main())
