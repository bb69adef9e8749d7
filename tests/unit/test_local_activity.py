"""The local pollers' pacing: fast while the stack is busy, backing off while idle, woken by activity."""

from __future__ import annotations

import threading
import time

from infra.local import activity as module
from infra.local.activity import Activity, Pacing


def test_an_idle_poller_backs_off_to_its_ceiling_and_a_busy_one_stays_fast() -> None:
    clock = [1000.0]
    activity = Activity(clock=lambda: clock[0])
    waits: list[float] = []
    activity.wait = lambda since, timeout: waits.append(timeout)  # type: ignore[method-assign]
    pacing, stop = Pacing(activity, 0.02, 1.0), threading.Event()
    pacing.pause(activity.generation, stop)  # just started: busy
    clock[0] += module.BUSY_SECONDS + 1
    for _ in range(8):
        pacing.pause(activity.generation, stop)
    activity.poke()
    pacing.pause(activity.generation, stop)
    assert waits == [0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.0, 1.0, 1.0, 0.02]


def test_a_poke_wakes_a_waiting_poller_at_once() -> None:
    activity = Activity()
    woke = threading.Event()

    def wait_long() -> None:
        activity.wait(activity.generation, 30)
        woke.set()

    waiter = threading.Thread(target=wait_long)
    waiter.start()
    time.sleep(0.05)
    activity.poke()
    waiter.join(5)
    assert woke.is_set()
