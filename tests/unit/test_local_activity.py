"""The local pollers' pacing: fast while the stack is busy, backing off while idle, woken by activity."""

from __future__ import annotations

import threading
import time

from infra.local.activity import Activity, Pacing


def test_a_poller_backs_off_after_each_empty_look_and_a_poke_brings_it_back_to_its_fast_interval() -> None:
    activity = Activity()
    waits: list[float] = []  # each pause: the fast interval always, then the rest of its delay unless poked

    class Stop:
        def wait(self, timeout: float) -> bool:
            waits.append(timeout)
            return False

        def is_set(self) -> bool:
            return False

    def wait_for_poke(since: int, timeout: float) -> None:
        waits[-1] += timeout

    activity.wait = wait_for_poke  # type: ignore[method-assign]
    pacing, stop = Pacing(activity, 0.02, 1.0), Stop()
    for _ in range(8):  # nothing written: every look finds nothing
        pacing.pause(activity.generation, stop)  # type: ignore[arg-type]
    activity.poke()  # a write through the front
    pacing.pause(activity.generation, stop)  # type: ignore[arg-type]
    pacing.pause(activity.generation, stop)  # type: ignore[arg-type]
    assert [round(w, 2) for w in waits] == [0.04, 0.08, 0.16, 0.32, 0.64, 1.0, 1.0, 1.0, 0.02, 0.04]


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
