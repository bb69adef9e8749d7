"""Benchmarks run on the real local stack (``make bench``). They print figures; they never fail
on time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.local.stack import LocalEngines, LocalStack

# Housekeeping visits every workspace and tests create hundreds: run it rarely here
# (tests/api/test_housekeeping.py covers it directly).
HOUSEKEEPING_SECONDS = 600.0


@pytest.fixture(scope="session")
def bench_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    engines = LocalEngines(tmp_path_factory.mktemp("engines"), dynamodb_port=0, moto_port=0, in_memory=True)
    engines.start()
    stack = LocalStack(
        tmp_path_factory.mktemp("stack"),
        front_port=0,
        engines=engines,
        app="app:app",
        schedule_seconds=HOUSEKEEPING_SECONDS,
    )
    stack.start()
    yield stack
    stack.stop()
    engines.stop()
