"""The contract layer runs against the real local stack (the integration layer's fixtures): the
OpenAPI document is read where clients read it, and every request goes through the local front,
Chalice's gateway code, the app and DynamoDB Local."""

from __future__ import annotations

from tests.integration.conftest import local_engines, local_stack

__all__ = ["local_engines", "local_stack"]
