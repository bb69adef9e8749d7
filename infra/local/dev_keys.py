"""Development secrets kept under the data dir: an Ed25519 JWT key pair and the cursor secret.

Created once and reused, so tokens and cursors stay valid across restarts of ``make run``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


@dataclass(frozen=True)
class DevSecrets:
    jwt_private_key_pem: str
    jwt_public_key_pem: str
    jwt_kid: str
    cursor_secret: str


def load_or_create_dev_secrets(keys_dir: Path) -> DevSecrets:
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    private_path, public_path = keys_dir / "jwt-private.pem", keys_dir / "jwt-public.pem"
    if not private_path.exists() or not public_path.exists():
        _write_key_pair(private_path, public_path)
    public_pem = public_path.read_text()
    return DevSecrets(
        jwt_private_key_pem=private_path.read_text(),
        jwt_public_key_pem=public_pem,
        jwt_kid="local-" + hashlib.sha256(public_pem.encode()).hexdigest()[:12],
        cursor_secret=_read_or_create_secret(keys_dir / "cursor-secret"),
    )


def ed25519_pem_pair() -> tuple[str, str]:
    """A new Ed25519 key pair as (private PKCS8 PEM, public SubjectPublicKeyInfo PEM)."""
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem.decode(), public_pem.decode()


def _write_key_pair(private_path: Path, public_path: Path) -> None:
    private_pem, public_pem = ed25519_pem_pair()
    _write_private(private_path, private_pem.encode())
    public_path.write_text(public_pem)


def _read_or_create_secret(path: Path) -> str:
    if not path.exists():
        _write_private(path, secrets.token_urlsafe(32).encode())
    return path.read_text().strip()


def _write_private(path: Path, content: bytes) -> None:
    path.touch(mode=0o600, exist_ok=True)
    path.write_bytes(content)
