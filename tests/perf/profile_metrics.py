"""Where the time of one ``GET /metrics`` goes: the use case run in this process under cProfile, against
moto (``--engine moto``) or DynamoDB Local (``--engine local``), over rollups seeded as the benchmark
seeds them (real ``decide`` and ``fold``, closed days written by the rebuild job, months and weeks by
their jobs). Prints, per request shape: CPU ms per request (process time, which the machine's load
does not inflate), wall p50/p95 ms, DynamoDB calls and rollup items read, and the heaviest functions.

    .venv/bin/python -m tests.perf.profile_metrics --engine local --tickets 10000
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# every 30-day shape the Performance page asks for, with and without filters, and a year
SHAPES = (
    (30, "day", {}),
    (30, "week", {}),
    (30, "agent", {}),
    (30, "queue", {}),
    (30, "priority", {}),
    (30, "channel", {}),
    (30, "tag", {}),
    (30, "day", {"queue": "billing"}),
    (30, "queue", {"queue": "billing"}),
    (30, "day", {"priority": "high"}),
    (30, "day", {"channel": "email"}),
    (30, "day", {"queue": "billing", "priority": "high"}),
    (365, "day", {}),
)


@contextmanager
def engine(kind: str) -> Iterator[None]:
    if kind == "moto":
        for name in [n for n in os.environ if n.startswith("AWS_ENDPOINT_URL")]:
            del os.environ[name]
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
        from moto import mock_aws

        from tests.api.moto_transactions import fast_moto_dynamodb

        with mock_aws(), fast_moto_dynamodb():
            from chalicelib.data.models import TABLE_MODELS
            from chalicelib.data.store import reset_connections

            reset_connections()
            for model in TABLE_MODELS:
                model.create_table(wait=True)
            yield
        return
    from infra.local.stack import LocalEngines

    with tempfile.TemporaryDirectory() as data:
        engines = LocalEngines(Path(data), dynamodb_port=0, moto_port=0, in_memory=True)
        engines.start()
        try:
            yield
        finally:
            engines.stop()


class _Serial:
    """A stand-in for ThreadPoolExecutor that runs each task at once, in the calling thread."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __enter__(self) -> _Serial:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def submit(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        from concurrent.futures import Future

        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future

    def map(self, fn: Any, *iterables: Any) -> Iterator[Any]:
        return iter([fn(*args) for args in zip(*iterables, strict=False)])


@contextmanager
def attribute_values() -> Iterator[list[int]]:
    """How many attribute values each read of the metrics table returned: botocore parses each one
    shape by shape, a few µs apiece, the part of a report's CPU that grows with what it reads."""
    from unittest import mock

    from botocore.client import BaseClient

    underneath = BaseClient._make_api_call
    counts: list[int] = []

    def recording(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        answer = underneath(self, operation, params)
        if "metrics" in params.get("TableName", "") or any("metrics" in t for t in params.get("RequestItems", {})):
            items = answer.get("Items") or [i for rows in answer.get("Responses", {}).values() for i in rows]
            counts.append(sum(len(item) for item in [*items, *([answer["Item"]] if "Item" in answer else [])]))
        return answer

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield counts


@contextmanager
def serial_readers() -> Iterator[None]:
    from unittest import mock

    import chalicelib.data.metrics as data_metrics
    import chalicelib.services.metrics_report as report

    patched = [m for m in (report, data_metrics) if hasattr(m, "ThreadPoolExecutor")]
    with contextlib.ExitStack() as stack:
        for module in patched:
            stack.enter_context(mock.patch.object(module, "ThreadPoolExecutor", _Serial))
        yield


def run(kind: str, tickets: int, repeat: int, top: int) -> None:
    os.environ["PULSEDESK_BENCH_METRICS_TICKETS"] = str(tickets)
    with engine(kind):
        from chalicelib.domain.permissions import permissions_for_role
        from chalicelib.domain.principal import Principal
        from chalicelib.services.metrics_report import team_metrics
        from tests.perf import test_bench_metrics as bench
        from tests.perf.figures import dynamo_calls, dynamo_items, summary_ms

        bench.SIZE = tickets
        tenant_id = f"prof{int(time.time())}"
        today = datetime.now(UTC).date()
        started = time.monotonic()
        changes, items = bench.seed_rollups(tenant_id, [f"agent{n}" for n in range(bench.AGENTS)], today)
        took = time.monotonic() - started
        print(f"{kind}: {tickets:,} tickets, {changes:,} changes, {items:,} rollup items in {took:.0f} s")
        summary: list[tuple[str, float, float, float, int, int, int]] = []
        lead = Principal(tenant_id, "user", "prof", "Prof", "lead", permissions_for_role("lead"))
        for days, group_by, filters in SHAPES:
            query: dict[str, Any] = {
                "from_": today - timedelta(days=days - 1),
                "to": today,
                "group_by": group_by,
                **filters,
            }
            team_metrics(lead, query)  # warm
            with dynamo_calls("") as calls, dynamo_items("", "metrics") as read, attribute_values() as values:
                team_metrics(lead, query)
            cpu, walls = time.process_time(), []
            for _ in range(repeat):
                wall = time.perf_counter()
                team_metrics(lead, query)
                walls.append(time.perf_counter() - wall)
            cpu_ms = (time.process_time() - cpu) / repeat * 1000
            wall_ms = summary_ms(walls)
            # cProfile sees one thread: the profiled requests run their reads one after another
            profile = cProfile.Profile()
            with serial_readers():
                profile.enable()
                for _ in range(repeat if top else 0):
                    team_metrics(lead, query)
                profile.disable()
            operations = {op: calls.count(op) for op in sorted(set(calls))}
            label = f"{days} days group_by={group_by} {filters or ''}".strip()
            summary.append((label, cpu_ms, wall_ms["p50"], wall_ms["p95"], len(calls), sum(read), sum(values)))
            print(
                f"\n## {label}: CPU {cpu_ms:.1f} ms/request (all threads of the process),"
                f" wall p50 {wall_ms['p50']:.1f} / p95 {wall_ms['p95']:.1f} ms;"
                f" DynamoDB calls {len(calls)} {operations}; rollup items read {sum(read):,} ({sum(values):,} values)"
            )
            for order in ("cumulative", "tottime") if top else ():  # where the request waits, and where its CPU goes
                out = io.StringIO()
                pstats.Stats(profile, stream=out).sort_stats(order).print_stats(top)
                print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[-6000:])
        _print_summary(summary)


def _print_summary(summary: list[tuple[str, float, float, float, int, int, int]]) -> None:
    print("\n| request | CPU ms | wall p50 / p95 ms | DynamoDB calls | rollup items (attribute values) read |")
    print("|---|---|---|---|---|")
    for label, cpu_ms, p50, p95, calls, items, values in summary:
        print(f"| {label} | {cpu_ms:.1f} | {p50:.1f} / {p95:.1f} | {calls} | {items:,} ({values:,}) |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("moto", "local"), default="local")
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--top", type=int, default=25, help="0: no cProfile, the figures only")
    args = parser.parse_args(argv)
    run(args.engine, args.tickets, args.repeat, args.top)


if __name__ == "__main__":
    main(sys.argv[1:])
