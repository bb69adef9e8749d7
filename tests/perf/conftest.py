"""Benchmarks run on the real local stack (``make bench``), the same one the integration layer
uses. They print figures; they never fail on time.

``bench_stack`` runs every handler in this process (benchmarks that count what a handler does patch
it here); ``process_stack`` is ``make run``'s layout on the same engines: REST worker processes and
the event runner's process, the front in this one. Latency across the stack is measured on that.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.local.stack import LocalEngines, LocalStack
from tests.integration.conftest import HOUSEKEEPING_SECONDS, local_engines, local_stack  # noqa: F401 - shared fixtures


@pytest.fixture(scope="session")
def bench_stack(local_stack: LocalStack) -> LocalStack:  # noqa: F811
    return local_stack


@pytest.fixture(scope="session")
def process_stack(local_engines: LocalEngines, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:  # noqa: F811
    stack = LocalStack(
        tmp_path_factory.mktemp("processes"),
        front_port=0,
        engines=local_engines,
        app="app:app",
        schedule_seconds=HOUSEKEEPING_SECONDS,
    )
    stack.start()
    yield stack
    stack.stop()
