"""Settings shared by every test layer, applied before any project module is imported.

Each layer runs in its own pytest process (see the Makefile), so the integration layer can point
the same settings at the local stack instead.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

from infra.local.dev_keys import ed25519_pem_pair

if TYPE_CHECKING:
    from tests.integration.fakes.webhook_receiver import WebhookReceiver


# Hypothesis' per-example deadline is a wall-clock assertion: on a busy two-core machine it fails tests that
# are right. Examples are bounded by their count instead.
settings.register_profile("pulsedesk", deadline=None)
settings.load_profile("pulsedesk")

UNLIMITED_IN_TESTS = (
    "api.workspace",
    "api.key",
    "public.ip",
    "auth.ip",
    "signup.ip",
    "unauthenticated.ip",
    "login_failures.ip",
    "portal_sign_in.ip",
    "web_form.ip",
    "web_form.workspace",
)


def _apply_test_settings() -> None:
    private, public = ed25519_pem_pair()
    defaults = {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "PULSEDESK_TABLE_PREFIX": "pulsedesk-test-",
        "PULSEDESK_JWT_PRIVATE_KEY": private,
        "PULSEDESK_JWT_PUBLIC_KEY": public,
        "PULSEDESK_JWT_KID": "test-1",
        "PULSEDESK_CURSOR_SECRET": secrets.token_hex(16),
        "PULSEDESK_ARGON2_PROFILE": "CHEAPEST",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        # The longest a container may remember a user's access: tests that count a route's reads
        # then never see the check's GetItem (changes made in this process are seen at once).
        "PULSEDESK_ACCESS_CHECK_SECONDS": "30",
        # Tests sign up hundreds of workspaces from one address: only the sign-in locks keep their
        # real values here; tests/api/test_rate_limits.py sets the others low to prove them.
        "PULSEDESK_RATE_LIMITS": ",".join(f"{name}=1000000/60" for name in UNLIMITED_IN_TESTS),
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)


_apply_test_settings()


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    """A local webhook receiver that verifies Standard Webhooks signatures (every layer uses it)."""
    from tests.integration.fakes.webhook_receiver import WebhookReceiver

    server = WebhookReceiver().start()
    yield server
    server.stop()
