"""The local stack for real: DynamoDB Local and moto server on free ports, data in a temp dir.

``local_engines`` are shared by the session; ``local_stack`` serves the Pulsedesk app (``app:app``)
on them. Tests of the harness itself serve a throwaway app on the same engines.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.local.stack import LocalEngines, LocalStack

# Housekeeping visits every workspace and tests create hundreds: run it rarely here
# (tests/api/test_housekeeping.py covers it directly).
HOUSEKEEPING_SECONDS = 600.0


@pytest.fixture(scope="session")
def local_engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalEngines]:
    engines = LocalEngines(tmp_path_factory.mktemp("engines"), dynamodb_port=0, moto_port=0, in_memory=True)
    engines.start()
    yield engines
    engines.stop()


@pytest.fixture(scope="session")
def local_stack(local_engines: LocalEngines, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """The Pulsedesk app behind the local front: ``.base_url``, ``.ws_url``, ``.dynamodb_endpoint``,
    ``.moto_endpoint``."""
    stack = LocalStack(
        tmp_path_factory.mktemp("stack"),
        front_port=0,
        engines=local_engines,
        app="app:app",
        schedule_seconds=HOUSEKEEPING_SECONDS,
        # on the front's threads: some tests reconfigure the app in this process (settings, DNS);
        # the worker processes `make run` uses are proven in test_local_workers.py
        rest_processes=0,
    )
    stack.start()
    yield stack
    stack.stop()
