"""The local pollers' pacing: fast while the stack is busy, backing off while idle, woken by activity."""

from __future__ import annotations

import multiprocessing
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


def test_the_hub_passes_a_runners_poke_on_to_the_other_runners_but_not_back() -> None:
    # GIVEN a front linked to two runners (each end an Activity of its own, as in its own process)
    front, events, realtime = Activity(), Activity(), Activity()
    links = {}
    for name, runner in (("events", events), ("realtime", realtime)):
        to_runner_read, to_runner_write = multiprocessing.Pipe(duplex=False)
        from_runner_read, from_runner_write = multiprocessing.Pipe(duplex=False)
        front.tell(to_runner_write)
        front.hear(from_runner_read, pass_on_besides=to_runner_write)
        runner.hear(to_runner_read)
        runner.tell(from_runner_write)
        links[name] = runner.generation
    # WHEN the events runner's handler wrote something
    events.poke()
    # THEN the realtime runner hears of it through the front, and the events runner is not poked back
    deadline = time.monotonic() + 5
    while realtime.generation == links["realtime"] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert realtime.generation > links["realtime"]
    time.sleep(0.1)
    assert events.generation == links["events"] + 1
