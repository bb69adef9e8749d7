"""``make bench-load``: the issue-19 agent mix (``tests/perf/load_agents.py``) by locust, headless, at
25, 100 and 200 simulated agents, against the local stack seeded with 10,000 tickets and, when
``PEER_URL`` is given, against another helpdesk; prints p50/p95/p99, requests/s and errors per request
type, and the CPU the stack spent per request (which a busy machine distorts far less than latency).

Settings (environment): ``USERS`` (``25,100,200``), ``DURATION`` (seconds measured per step, 60),
``SETTLE_SECONDS`` (20: after every agent has signed in, before the measured seconds start),
``TICKETS`` (10000), ``AGENTS`` (200: one per simulated agent), ``BASE_URL`` (a running Pulsedesk
instead of a new stack; ``LOAD_MANIFEST`` names its seeded workspace, else the demo's agents sign in),
``PEER_URL`` with ``PEER_ADAPTER`` (``tests.perf.load_agents:DjangoHelpdeskPaths``), ``PEER_USERS``,
``PEER_TICKET_IDS``, ``PEER_QUEUE``.

The stack started here lifts the workspace's request budget and the per-address sign-in limit
(``PULSEDESK_RATE_LIMITS``): 200 agents of one workspace behind one address would otherwise be
throttled by design (3,000 requests a minute, 60 sign-ins a minute from one address).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.perf.figures import reference_loop_seconds, table
from tests.perf.idle_cpu import tree_cpu

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCUST_FILE = Path(__file__).with_name("load_agents.py")
BENCH_RATE_LIMITS = "api.workspace=1000000/60,auth.ip=100000/60,unauthenticated.ip=100000/60"
REQUESTS = ("filtered list", "ticket detail", "create")
SETTLE_SECONDS = 20  # after the last sign-in, before the figures count (see load_agents.py)


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    env: dict[str, str]


@dataclass
class Step:
    target: str
    users: int
    rows: list[dict[str, str]]
    stack_cpu: dict[str, float]
    seconds: float


def run_locust(
    target: Target, users: int, seconds: int, work_dir: Path, stack_root: int | None, settle: int | None = None
) -> tuple[list[dict[str, str]], float, dict[str, float]]:
    """One headless locust run: every user spawned (and signed in), then ``SETTLE_SECONDS`` to serve what the
    sign-ins queued, then ``seconds`` measured; with ``stack_root``, the stack's CPU over those seconds."""
    prefix = work_dir / f"{target.name}-{users}"
    spawn_rate = max(1, users // 10)
    ramp = users // spawn_rate + 5
    if settle is None:
        settle = int(os.environ.get("SETTLE_SECONDS", str(SETTLE_SECONDS)))
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUST_FILE),
        "--headless",
        "--only-summary",
        "--reset-stats",
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "-t",
        f"{ramp + settle + seconds}s",
        "--stop-timeout",
        "5",
        "--host",
        target.url,
        "--csv",
        str(prefix),
        "--loglevel",
        "WARNING",
    ]
    started = time.monotonic()
    env = {**os.environ, **target.env, "LOAD_SETTLE_SECONDS": str(settle)}
    errors = prefix.with_suffix(".stderr")
    with (
        errors.open("w") as stderr,
        subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr) as run,
    ):
        time.sleep(ramp + settle)  # about when locust's figures start counting
        before = tree_cpu(stack_root) if stack_root else {}
        run.wait()
        after = tree_cpu(stack_root) if stack_root else {}
    cpu = {name: after[name] - before.get(name, 0.0) for name in after if name not in ("locust", "other")}
    if not Path(f"{prefix}_stats.csv").exists():
        raise RuntimeError(f"locust failed against {target.url}:\n{errors.read_text()[-3000:]}")
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    # an exception in a task (a sign-in that answered no token, say) is no failed request to locust
    with open(f"{prefix}_exceptions.csv", newline="") as exceptions:
        raised = sum(int(row["Count"]) for row in csv.DictReader(exceptions))
    if raised:
        rows.append({"Name": "exceptions", "Request Count": "0", "Failure Count": str(raised)})
    return rows, time.monotonic() - started, cpu


def measure(targets: list[Target], user_counts: list[int], seconds: int, stack_root: int | None) -> list[Step]:
    steps = []
    with tempfile.TemporaryDirectory(prefix="pulsedesk-locust-") as work:
        for target in targets:
            for users in user_counts:
                root = stack_root if target.name == "pulsedesk" else None
                rows, elapsed, cpu = run_locust(target, users, seconds, Path(work), root)
                steps.append(Step(target.name, users, rows, cpu, elapsed))
                print_step(steps[-1])
    return steps


def print_step(step: Step) -> None:
    rows = []
    for request in REQUESTS:
        row = next((r for r in step.rows if r["Name"] == request), None)
        if row is None:
            continue
        rows.append(
            [
                request,
                int(row["Request Count"]),
                int(row["Failure Count"]),
                float(row["50%"]),
                float(row["95%"]),
                float(row["99%"]),
                float(row["Requests/s"]),
            ]
        )
    raised = next((r for r in step.rows if r["Name"] == "exceptions"), None)
    if raised is not None:
        rows.append(["exceptions in tasks", 0, int(raised["Failure Count"]), 0.0, 0.0, 0.0, 0.0])
    total = next((r for r in step.rows if r["Name"] == "Aggregated"), None)
    if total is not None:
        rows.append(
            [
                "all",
                int(total["Request Count"]),
                int(total["Failure Count"]),
                float(total["50%"]),
                float(total["95%"]),
                float(total["99%"]),
                float(total["Requests/s"]),
            ]
        )
    table(
        f"{step.target}, {step.users} agents (think time 1-3 s; list : detail : create = 4 : 4 : 1)",
        ["request", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "req/s"],
        rows,
    )
    if step.stack_cpu and total is not None and int(total["Request Count"]):
        served = int(total["Request Count"])
        parts = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in sorted(step.stack_cpu.items()))
        per_request = 1000 * sum(step.stack_cpu.values()) / served
        print(f"stack CPU during the step: {parts}; {per_request:.1f} ms of CPU per request (all processes)")
    # the machine's speed moves within minutes: the loop again, right after the step
    print(f"reference loop after the step: {reference_loop_seconds():.2f} s of CPU", flush=True)


def main() -> int:
    user_counts = [int(n) for n in os.environ.get("USERS", "25,100,200").split(",") if n.strip()]
    seconds = int(os.environ.get("DURATION", "60"))
    tickets = int(os.environ.get("TICKETS", "10000"))
    agents = int(os.environ.get("AGENTS", str(max(200, *user_counts))))
    peer = []
    if os.environ.get("PEER_URL"):
        adapter = os.environ.get("PEER_ADAPTER", "tests.perf.load_agents:DjangoHelpdeskPaths")
        peer = [Target("peer", os.environ["PEER_URL"], {"LOAD_ADAPTER": adapter})]
    if os.environ.get("BASE_URL"):
        measure([Target("pulsedesk", os.environ["BASE_URL"], {}), *peer], user_counts, seconds, None)
        return 0
    from tests.perf.seed import seeded_data_dir, seeded_stack

    _, figures = seeded_data_dir(tickets, agents)
    if figures is not None:
        print(figures.report())
    with seeded_stack(tickets, agents, rate_limits=BENCH_RATE_LIMITS) as (stack, workspace):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as manifest:
            json.dump(workspace.__dict__, manifest)
        print(
            f"\nPulsedesk at {stack.base_url}: {workspace.tickets:,} tickets, {len(workspace.agent_emails)} agents, "
            f"{len(stack.rest_worker_pids)} REST worker processes; {os.cpu_count()} cores, "
            f"load average {os.getloadavg()[0]:.1f} before the run; "
            f"reference loop {reference_loop_seconds():.2f} s of CPU (10 million additions)",
            flush=True,
        )
        try:
            local = Target("pulsedesk", stack.base_url, {"LOAD_MANIFEST": manifest.name})
            measure([local, *peer], user_counts, seconds, os.getpid())
        finally:
            os.unlink(manifest.name)
    return 0


def figures_of(step: Step) -> dict[str, Any]:
    """One step's rows by request name (for tests and other benchmarks)."""
    return {row["Name"]: row for row in step.rows}


if __name__ == "__main__":
    sys.exit(main())
