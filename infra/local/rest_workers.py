"""REST requests served by worker processes, as Lambda serves concurrent requests from separate
execution environments: one Python process uses one core, so one process per core (the setting
``PULSEDESK_LOCAL_WORKERS``, default: every core) lets the app use the machine.

Each worker imports the app itself (``module:attribute``) and answers through the same
:class:`~infra.local.rest_bridge.RestBridge` the in-process front uses; the front keeps the sockets,
the WebSocket gateway and the event runner. Workers are started with ``spawn`` (the front already runs
threads, which ``fork`` would copy in whatever state they were in) and see the stack's environment as
it was when they started: like a Lambda container, each keeps its own per-process caches.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from infra.local.processes import end_with_parent
from infra.local.rest_bridge import ApiRequest, ApiResponse, RestBridge, chalice_config

WORKERS_ENV = "PULSEDESK_LOCAL_WORKERS"
_bridge: RestBridge | None = None  # the worker process's own


def workers_from_env() -> int:
    """``PULSEDESK_LOCAL_WORKERS``, or one per core; 0 serves requests on threads of the front."""
    value = os.environ.get(WORKERS_ENV, "")
    return int(value) if value.strip() else (os.cpu_count() or 1)


def _start_worker(app_ref: str, project_dir: str) -> None:
    global _bridge
    end_with_parent()  # a front killed outright leaves no worker behind
    from infra.local.stack import load_app  # the stack module imports this one

    _bridge = RestBridge(load_app(app_ref), chalice_config(Path(project_dir)))


def _handle(request: ApiRequest) -> ApiResponse:
    assert _bridge is not None, "the worker's initializer did not run"
    return _bridge.handle(request)


def _ready() -> int:
    time.sleep(0.2)  # busy for a moment, so the next task goes to another worker
    return os.getpid()


class RestWorkers:
    def __init__(self, app_ref: str, workers: int, project_dir: Path) -> None:
        self.count = workers
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(app_ref, str(project_dir)),
        )

    def start(self) -> set[int]:
        """Starts every worker and waits until each has imported the app; returns their process ids."""
        pids: set[int] = set()
        deadline = time.monotonic() + 180
        while len(pids) < self.count and time.monotonic() < deadline:
            # the pool hands a task to whichever worker is free: ask until every one has answered
            pids |= {f.result(timeout=180) for f in [self._pool.submit(_ready) for _ in range(self.count * 2)]}
        return pids

    def submit(self, request: ApiRequest) -> Future[ApiResponse]:
        return self._pool.submit(_handle, request)

    def stop(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
