"""Something may have been written: the front served a request, a handler ran.

Lambda's pollers cost nothing when idle; local pollers cost a request each. So they pace themselves:
fast (the configured interval) while the stack is busy and for a little while after, then slower and
slower up to a ceiling while nothing happens, and they are woken at once by the next sign of life,
so a write made through the front still reaches its stream handler within one fast interval.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

BUSY_SECONDS = 3.0  # after the last sign of life, pollers stay at their fast interval this long
IDLE_CEILING_SECONDS = 2.0  # the slowest an idle poller gets (a write nobody announced waits this long)


class Activity:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._changed = threading.Condition()
        self._generation = 0
        self._last = clock()

    def poke(self) -> None:
        with self._changed:
            self._generation += 1
            self._last = self._clock()
            self._changed.notify_all()

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
    """A poller's next wait: its fast interval while busy; doubling while idle, up to the ceiling."""

    def __init__(self, activity: Activity, fast_seconds: float, ceiling_seconds: float = IDLE_CEILING_SECONDS) -> None:
        self._activity = activity
        self._fast = fast_seconds
        self._ceiling = max(ceiling_seconds, fast_seconds)
        self._delay = fast_seconds

    def found_work(self) -> None:
        self._delay = self._fast

    def pause(self, since_generation: int, stop: threading.Event) -> None:
        if self._activity.busy():
            self._delay = self._fast
        else:
            self._delay = min(self._delay * 2, self._ceiling)
        if not stop.is_set():
            self._activity.wait(since_generation, self._delay)
