"""Dashboards listening from a process of their own, as browsers listen from other machines: the
stack under test (front, gateway, event runner) then has its process and its GIL to itself, and the
benchmark measures the stack rather than 200 client sockets competing with it for one interpreter.

Receipt times are ``time.time()`` (one clock for every process of the machine).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import queue
import time
from multiprocessing.synchronize import Event
from types import TracebackType
from typing import Any

from websockets.asyncio.client import connect

READY_SECONDS = 300.0


def _events_in(message: str | bytes) -> list[dict[str, Any]]:
    payload = json.loads(message)
    return payload if isinstance(payload, list) else [payload]


def _key(event: dict[str, Any], kind: str) -> str | None:
    """The ticket id a receipt counts for: creations for ``created``, assignments for ``assigned``."""
    ticket = event.get("ticket") or {}
    if kind == "created" and event.get("type") == "ticket.created":
        return str(ticket.get("id"))
    if kind == "assigned" and event.get("type") == "ticket.updated" and ticket.get("assignee_id"):
        return str(ticket.get("id"))
    return None


async def _listen(url: str, count: int, kind: str, ready: Event, stop: Event, tally: Any) -> dict[str, list[float]]:
    sockets = []
    for _ in range(count):
        ws = await connect(url, max_queue=None)
        await ws.send(json.dumps({"action": "ping"}))
        while all(e.get("type") != "pong" for e in _events_in(await ws.recv())):
            pass
        sockets.append(ws)
    received: dict[str, list[float]] = {}
    seen: list[set[str]] = [set() for _ in sockets]

    async def read(n: int) -> None:
        async for message in sockets[n]:
            at = time.time()
            for event in _events_in(message):
                key = _key(event, kind)
                if key is not None and key not in seen[n]:  # the first sign on each socket counts
                    seen[n].add(key)
                    received.setdefault(key, []).append(at)
                    with tally.get_lock():
                        tally.value += 1

    readers = [asyncio.create_task(read(n)) for n in range(len(sockets))]
    ready.set()
    while not stop.is_set():
        await asyncio.sleep(0.05)
    for task in readers:
        task.cancel()
    for ws in sockets:
        await ws.close()
    return received


def _run(
    url: str, count: int, kind: str, ready: Event, stop: Event, tally: Any, out: multiprocessing.Queue[Any]
) -> None:
    out.put(asyncio.run(_listen(url, count, kind, ready, stop, tally)))


class Listeners:
    """``count`` dashboards on ``url`` (with its token) in a spawned process; ``received()`` after the
    writes answers ticket id -> receipt times, one per socket that saw it."""

    def __init__(self, url: str, count: int, kind: str = "created") -> None:
        context = multiprocessing.get_context("spawn")
        self._ready, self._stop = context.Event(), context.Event()
        self._out: multiprocessing.Queue[Any] = context.Queue()
        self._tally = context.Value("i", 0)  # receipts so far, read while the writes go on
        self._process = context.Process(
            target=_run, args=(url, count, kind, self._ready, self._stop, self._tally, self._out), daemon=True
        )

    def __enter__(self) -> Listeners:
        self._process.start()
        if not self._ready.wait(READY_SECONDS):
            self._process.kill()
            raise RuntimeError("the listeners did not connect")
        return self

    def wait_for(self, receipts: int, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while self._tally.value < receipts and time.monotonic() < deadline:
            time.sleep(0.05)

    def received(self, timeout: float = 60.0) -> dict[str, list[float]]:
        self._stop.set()
        try:
            answer: dict[str, list[float]] = self._out.get(timeout=timeout)
        except queue.Empty as error:
            raise RuntimeError("the listeners did not report") from error
        return answer

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stop.set()
        self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.kill()
