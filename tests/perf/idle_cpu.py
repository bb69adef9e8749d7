"""The idle CPU of the whole ``make run`` stack (issue 19: under 3 % of one core).

Starts ``infra.local.run`` (the app's front and workers, the event runner, DynamoDB Local's JVM, moto
server, the SMTP server) on free ports with its data in a temporary folder, waits for the banner, for the
seed's stream records and queued jobs to be worked, and a settling pause, then reads from /proc the CPU
time the whole process tree used over a window with no requests at all.
``python -m tests.perf.idle_cpu [seconds]`` prints it; the benchmark test runs the same.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from infra.local.runner_process import PROCESS_NAME

REPO_ROOT = Path(__file__).resolve().parents[2]
SETTLE_SECONDS = 15.0  # once the seed's stream records and queued jobs are worked: the JVM and the pollers calm down
START_SECONDS = 1800.0  # the demo seed writes through the services: 15 min on the 2-core machine at load 30-40
TICKS = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def tree_cpu(root: int) -> dict[str, float]:
    """User + system CPU seconds of ``root`` and every live descendant (threads included), by program."""
    tree, by_program, stack = _children(), dict[str, float](), [root]
    while stack:
        pid = stack.pop()
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        program = _program(pid, root, command)
        by_program[program] = by_program.get(program, 0.0) + (int(fields[11]) + int(fields[12])) / TICKS
        stack += tree.get(pid, [])
    return by_program


def _program(pid: int, root: int, command: list[bytes]) -> str:
    text = b" ".join(command).decode(errors="replace")
    if pid == root:
        return "front"
    if _comm(pid) == PROCESS_NAME:
        return "event runner"
    if "java" in text:
        return "DynamoDB Local"
    if "moto" in text:
        return "moto server"
    if "multiprocessing" in text:
        return "REST workers"
    if "locust" in text:
        return "locust"
    return "other"


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def tree_cpu_seconds(root: int) -> float:
    return sum(tree_cpu(root).values())


def measure_idle_cpu(window_seconds: float = 60.0, repo_root: Path = REPO_ROOT) -> dict[str, float]:
    ports = {name: "0" for name in ("PULSEDESK_PORT", "PULSEDESK_PRIVATE_PORT", "PULSEDESK_SMTP_PORT")}
    ports |= {"PULSEDESK_DYNAMODB_PORT": str(_free_port()), "PULSEDESK_MOTO_PORT": str(_free_port())}
    with tempfile.TemporaryDirectory() as data_dir:
        code = (
            "import sys; from pathlib import Path; from infra.local.run import main; sys.exit(main(Path(sys.argv[1])))"
        )
        process = subprocess.Popen(
            [sys.executable, "-c", code, data_dir],
            cwd=repo_root,
            env={**os.environ, **ports, "PYTHONPATH": str(repo_root)},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            ready = threading.Event()
            threading.Thread(target=_watch_banner, args=(process, ready), daemon=True).start()
            if not ready.wait(START_SECONDS):
                raise RuntimeError("the local stack did not start")
            settle(ports, Path(data_dir))
            before, start = tree_cpu(process.pid), time.monotonic()
            time.sleep(window_seconds)
            after, elapsed = tree_cpu(process.pid), time.monotonic() - start
            parts = {name: after[name] - before.get(name, 0.0) for name in after}
            used = sum(parts.values())
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
    shares = {f"percent:{name}": 100 * seconds / elapsed for name, seconds in sorted(parts.items())}
    return {"window_s": elapsed, "cpu_s": used, "percent_of_one_core": 100 * used / elapsed, **shares}


def measure_seeded_idle(tickets: int, agents: int, window_seconds: float = 60.0) -> dict[str, float]:
    """The same figure for a stack served from this process on a cached benchmark seed
    (``tests/perf/seed.py``): no demo seed to wait for, and the same data for an A/B of settings."""
    from tests.perf.seed import seeded_stack, stream_consumers, wait_for_queues, wait_for_stream

    with seeded_stack(tickets, agents) as (stack, _):
        checkpoints = stack.data_dir / "stream-checkpoints.json"
        wait_for_stream(stack.dynamodb_endpoint, checkpoints, stream_consumers(stack.app))
        wait_for_queues(stack.moto_endpoint)
        time.sleep(SETTLE_SECONDS)
        before, start = tree_cpu(os.getpid()), time.monotonic()
        time.sleep(window_seconds)
        after, elapsed = tree_cpu(os.getpid()), time.monotonic() - start
    parts = {name: after[name] - before.get(name, 0.0) for name in after}
    used = sum(parts.values())
    shares = {f"percent:{name}": 100 * seconds / elapsed for name, seconds in sorted(parts.items())}
    return {"window_s": elapsed, "cpu_s": used, "percent_of_one_core": 100 * used / elapsed, **shares}


def settle(ports: dict[str, str], data_dir: Path) -> None:
    """The seed's aftermath is no idle time: every stream consumer has read to the end of the stream
    and no queue holds a message to work (the notifications of the seed's assignments), then a pause
    for the JVM's and the pollers' own settling."""
    from infra.local.stack import load_app
    from tests.perf.seed import stream_consumers, wait_for_queues, wait_for_stream

    consumers = stream_consumers(load_app("app:app"))
    dynamodb = f"http://127.0.0.1:{ports['PULSEDESK_DYNAMODB_PORT']}"
    wait_for_stream(dynamodb, data_dir / "stream-checkpoints.json", consumers)
    wait_for_queues(f"http://127.0.0.1:{ports['PULSEDESK_MOTO_PORT']}")
    time.sleep(SETTLE_SECONDS)


def _watch_banner(process: subprocess.Popen[str], ready: threading.Event) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if "demo logins" in line or "Pulsedesk is running" in line:
            ready.set()


def _free_port() -> int:
    from infra.local.processes import free_port

    return free_port()


if __name__ == "__main__":
    window = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    root = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO_ROOT
    seeded = os.environ.get("IDLE_SEEDED")  # "TICKETS:AGENTS": a cached benchmark seed instead of `make run`
    if seeded:
        tickets, _, agents = seeded.partition(":")
        figures = measure_seeded_idle(int(tickets), int(agents), window)
    else:
        figures = measure_idle_cpu(window, root)
    print(
        f"idle CPU of the whole local stack: {figures['percent_of_one_core']:.1f} % of one core "
        f"({figures['cpu_s']:.2f} s of CPU in {figures['window_s']:.0f} s)"
    )
    for name, share in figures.items():
        if name.startswith("percent:"):
            print(f"  {name.removeprefix('percent:')}: {share:.1f} %")
