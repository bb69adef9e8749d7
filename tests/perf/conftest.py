"""Benchmarks run on the real local stack (``make bench``), the same one the integration layer
uses. They print figures; they never fail on time."""

from __future__ import annotations

import pytest

from infra.local.stack import LocalStack
from tests.integration.conftest import local_engines, local_stack  # noqa: F401 - shared fixtures


@pytest.fixture(scope="session")
def bench_stack(local_stack: LocalStack) -> LocalStack:  # noqa: F811
    return local_stack
