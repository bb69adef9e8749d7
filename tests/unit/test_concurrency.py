"""Independent calls side by side (chalicelib/data/concurrency.py): every call runs, a failure is raised
only once every call has ended."""

from __future__ import annotations

import threading
import time

import pytest

from chalicelib.data.concurrency import in_parallel, side_by_side


def test_every_call_runs_and_calls_overlap() -> None:
    started: list[int] = []
    both_running = threading.Barrier(2, timeout=5)  # two calls must be in flight together to get past it

    def call(n: int) -> None:
        started.append(n)
        if n < 2:
            both_running.wait()

    in_parallel(call, [0, 1, 2, 3])
    assert sorted(started) == [0, 1, 2, 3]


def test_a_failure_is_raised_after_the_other_calls_have_ended() -> None:
    finished: list[str] = []

    def slow() -> None:
        time.sleep(0.2)
        finished.append("slow")

    def broken() -> None:
        raise RuntimeError("DynamoDB is down")

    with pytest.raises(RuntimeError, match="down"):
        side_by_side([slow, broken])
    assert finished == ["slow"]


def test_calls_made_from_inside_a_call_run_there_instead_of_waiting_on_the_pool() -> None:
    inner: list[int] = []

    def outer(n: int) -> None:
        in_parallel(inner.append, [n * 10 + k for k in range(6)])  # more than the pool has threads

    in_parallel(outer, range(6))
    assert sorted(inner) == sorted(n * 10 + k for n in range(6) for k in range(6))
