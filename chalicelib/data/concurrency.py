"""Independent DynamoDB and SQS calls made side by side: a handler that writes a stream batch's derived items
waits on round trips, not on CPU, so a few calls in flight at once cut its time to about the slowest one."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import TypeVar

THREAD_PREFIX = "side-by-side"
CALLS_IN_FLIGHT = 4  # per container: the same order as botocore's connection pool (10) leaves room for the rest

T = TypeVar("T")


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=CALLS_IN_FLIGHT, thread_name_prefix=THREAD_PREFIX)


def in_parallel(call: Callable[[T], object], arguments: Iterable[T]) -> None:
    """``call`` once per argument, several at a time; returns when all are done, raising the first failure
    (after every call has ended, so none is left running behind the caller)."""
    work = list(arguments)
    if len(work) <= 1 or threading.current_thread().name.startswith(THREAD_PREFIX):
        # one call, or called from one of the pool's own threads (waiting there on the pool could deadlock it)
        for argument in work:
            call(argument)
        return
    futures = [_pool().submit(call, argument) for argument in work]
    errors = [error for future in futures if (error := future.exception()) is not None]
    if errors:
        raise errors[0]


def side_by_side(calls: Iterable[Callable[[], object]]) -> None:
    """Each call once, several at a time (see :func:`in_parallel`)."""
    in_parallel(_call, calls)


def _call(call: Callable[[], object]) -> None:
    call()
