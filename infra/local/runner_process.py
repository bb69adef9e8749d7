"""The event runner in a process of its own, as Lambda runs stream, queue and schedule handlers in
execution environments apart from those serving requests. In the front's process the handlers shared
one interpreter with the WebSocket gateway: a realtime fan-out to 200 sockets is ~250 ms of CPU in
botocore's ``post_to_connection`` calls, and the gateway receiving those posts waited for it.

The process is started with ``spawn`` (the front already runs threads), imports the app itself
(``module:attribute``) and sees the stack's environment as it was when it started. Its
:class:`~infra.local.activity.Activity` is linked to the front's both ways, and the batches it gives
up on come back to the stack over a queue.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path

from infra.local.activity import Activity
from infra.local.batches import DeadLetter, DeadLetters
from infra.local.events import EventSourceRunner, RunnerConfig

log = logging.getLogger("pulsedesk.local")
START_SECONDS = 180.0  # importing the app and positioning every stream, on a loaded machine
PROCESS_NAME = "pd-events"  # its /proc comm, so CPU measurements can tell it from the REST workers


class ForwardedDeadLetters(DeadLetters):
    def __init__(self, forward: Queue[DeadLetter]) -> None:
        super().__init__()
        self._forward = forward

    def add(self, letter: DeadLetter) -> None:
        super().add(letter)
        self._forward.put(letter)


class RunnerProcess:
    """The same surface as :class:`EventSourceRunner` for the stack: start, stop, dead letters."""

    def __init__(self, app_ref: str, config: RunnerConfig, activity: Activity) -> None:
        context = multiprocessing.get_context("spawn")
        self.activity = activity
        self._stop = context.Event()
        self._ready = context.Event()
        self._letters: Queue[DeadLetter] = context.Queue()
        self._received = DeadLetters()
        to_child_read, to_child_write = context.Pipe(duplex=False)
        from_child_read, from_child_write = context.Pipe(duplex=False)
        self._links = (to_child_write, from_child_read)
        self._process: BaseProcess = context.Process(
            target=_serve,
            args=(app_ref, config, self._stop, self._ready, self._letters, to_child_read, from_child_write),
            kwargs={"log_level": logging.getLogger().level},
            name=PROCESS_NAME,
            daemon=True,
        )

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def start(self) -> None:
        """Returns once every stream has its position, as :meth:`EventSourceRunner.start` does."""
        self._process.start()
        to_child, from_child = self._links
        self.activity.tell(to_child)
        self.activity.hear(from_child)
        deadline = time.monotonic() + START_SECONDS
        while not self._ready.wait(0.2):
            if not self._process.is_alive():
                raise RuntimeError(f"the event runner's process ended while starting (exit {self._process.exitcode})")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the event runner's process did not start")

    def stop(self) -> None:
        self._stop.set()
        self._process.join(timeout=30)
        if self._process.is_alive():
            log.warning("the event runner's process did not stop in 30 s; terminating it")
            self._process.terminate()
            self._process.join(timeout=5)
        for link in self._links:
            link.close()

    @property
    def dead_letters(self) -> DeadLetters:
        while True:
            try:
                letter = self._letters.get_nowait()
            except queue.Empty:
                return self._received
            self._received.items.append(letter)


def _serve(
    app_ref: str,
    config: RunnerConfig,
    stop: Event,
    ready: Event,
    letters: Queue[DeadLetter],
    from_front: Connection,
    to_front: Connection,
    *,
    log_level: int,
) -> None:
    logging.basicConfig(level=log_level or logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("botocore").setLevel(logging.WARNING)
    with contextlib.suppress(OSError):  # not Linux: only the CPU figures' label is lost
        Path("/proc/self/comm").write_text(PROCESS_NAME)
    from infra.local.stack import load_app  # the stack module imports this one

    activity = Activity()
    front_link = activity.hear(from_front)
    activity.tell(to_front)
    runner = EventSourceRunner(load_app(app_ref), config, activity, ForwardedDeadLetters(letters))
    runner.start()
    ready.set()
    while not stop.wait(1.0) and front_link.is_alive():
        pass  # the link ends when the front's process does, however it ended: this one ends with it
    runner.stop()
