"""Something may have been written: the front served a request, a handler ran.

Lambda's pollers cost nothing when idle; local pollers cost a request each. So they pace themselves:
fast (the configured interval) while the stack is busy and for a little while after, then slower and
slower up to a ceiling while nothing happens, and they are woken at once by the next sign of life,
so a write made through the front still reaches its stream handler within one fast interval.

The stack's processes (the front, the event runner) each keep their own ``Activity``, linked by
pipes: a poke in one is a byte written to the others (never blocking: a full pipe already holds a
wake-up), and a thread in each turns the bytes it reads into a local poke.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

BUSY_SECONDS = 3.0  # after the last sign of life, the stack counts as busy this long (new shards are looked for often)
IDLE_CEILING_SECONDS = 2.0  # the slowest an idle poller gets (a write nobody announced waits this long)


class Activity:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._changed = threading.Condition()
        self._generation = 0
        self._last = clock()
        self._peers: list[Connection] = []

    def poke(self) -> None:
        self._mark()
        for peer in list(self._peers):
            try:
                os.write(peer.fileno(), b".")
            except BlockingIOError:
                pass  # the pipe is full of wake-ups the other process has not read yet
            except OSError:
                self._peers.remove(peer)  # that process has stopped

    def _mark(self) -> None:
        with self._changed:
            self._generation += 1
            self._last = self._clock()
            self._changed.notify_all()

    def tell(self, peer: Connection) -> None:
        """Every later poke here is also written to ``peer`` (the sending end of a one-way pipe)."""
        os.set_blocking(peer.fileno(), False)
        self._peers.append(peer)

    def hear(self, peer: Connection) -> threading.Thread:
        """Pokes written to the other end of ``peer`` are pokes here, until that end is closed."""

        def listen() -> None:
            while True:
                try:
                    if not os.read(peer.fileno(), 4096):
                        return
                except OSError:
                    return
                self._mark()

        thread = threading.Thread(target=listen, name="activity-link", daemon=True)
        thread.start()
        return thread

    @property
    def generation(self) -> int:
        return self._generation

    def busy(self) -> bool:
        return self._clock() - self._last < BUSY_SECONDS

    def wait(self, since_generation: int, timeout: float) -> None:
        """Until a poke after ``since_generation``, or ``timeout`` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._generation != since_generation, timeout)


class Pacing:
    """A poller's next wait: its fast interval after a poke or after finding work; doubling after each empty
    look, up to the ceiling; and a poke wakes it at once, but never sooner than the fast interval after its last
    look. It used to stay at the fast interval for as long as the stack was busy: under load that was 50 polls a
    second per stream poller whether anything was written or not (a runner process's CPU, and DynamoDB Local's,
    with no dashboards open at all); every write is announced by a poke, so those polls found nothing new."""

    def __init__(self, activity: Activity, fast_seconds: float, ceiling_seconds: float = IDLE_CEILING_SECONDS) -> None:
        self._activity = activity
        self._fast = fast_seconds
        self._ceiling = max(ceiling_seconds, fast_seconds)
        self._delay = fast_seconds
        self._heard = activity.generation

    def found_work(self) -> None:
        self._delay = self._fast

    def pause(self, since_generation: int, stop: threading.Event) -> None:
        poked = self._activity.generation != self._heard
        self._heard = self._activity.generation
        self._delay = self._fast if poked else min(self._delay * 2, self._ceiling)
        if stop.wait(self._fast):
            return
        if self._delay > self._fast:
            self._activity.wait(since_generation, self._delay - self._fast)
