"""How fast the local stream consumers work through a burst of ticket creations (issue 19, item 6).

    python -m tests.perf.stream_throughput --tickets 2000            # each consumer alone, one after another
    python -m tests.perf.stream_throughput --tickets 2000 --together # all at once, as the stack runs them
    python -m tests.perf.stream_throughput --tickets 500 --profile workflows   # + a cProfile of its handler

DynamoDB Local and moto (in memory, free ports); a new workspace (automatic assignment off, as the portal
benchmark has it); ``--tickets`` tickets created through the ticket service by 8 threads with no consumer
running; then the local event runner reads exactly that burst (each consumer's checkpoint is set to the
stream's end before the burst) until every consumer has caught up. Prints per consumer: records, seconds,
records/s, and per record the handler's CPU (its thread), the DynamoDB calls it made and DynamoDB Local's
CPU over the drain (load on the machine stretches the seconds, not the CPU or the calls)."""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

import psutil
from botocore.client import BaseClient

from tests.perf.figures import table
from tests.perf.test_bench_tickets import synthetic_ticket

WRITERS = 8
CAUGHT_UP_CHECKS = 2  # an empty read after every checkpoint this many times in a row, POLL apart
POLL = 0.25
TIMEOUT = 3600.0


@dataclass
class ConsumerFigures:
    name: str
    records: int = 0
    batches: int = 0
    handler_cpu: float = 0.0
    seconds: float = 0.0
    dynamodb_local_cpu: float = 0.0
    process_cpu: float = 0.0
    calls: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def row(self) -> list[Any]:
        per = max(self.records, 1)
        return [
            self.name,
            self.records,
            f"{self.seconds:.1f}",
            f"{self.records / self.seconds:.0f}" if self.seconds else "n/a",
            f"{self.records / max(self.batches, 1):.0f}",
            f"{1000 * self.handler_cpu / per:.2f}",
            f"{1000 * self.process_cpu / per:.2f}",
            f"{1000 * self.dynamodb_local_cpu / per:.2f}",
            f"{sum(self.calls.values()) / per:.2f}",
            ", ".join(f"{op} {n / per:.2f}" for op, n in self.calls.most_common(4)),
        ]


HEADER = [
    "consumer",
    "records",
    "seconds",
    "records/s",
    "records/batch",
    "handler CPU ms/record",
    "process CPU ms/record",
    "DynamoDB Local CPU ms/record",
    "AWS calls/record",
    "top calls per record",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--together", action="store_true", help="every consumer at once (the stack's way)")
    parser.add_argument("--profile", default="", help="a consumer whose handler is profiled (cProfile)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pulsedesk-stream-") as scratch:
        for line in measure(Path(scratch), args.tickets, args.together, args.profile):
            print(line, flush=True)
    return 0


def measure(scratch: Path, tickets: int, together: bool, profile: str) -> Iterator[str]:
    from infra.local.stack import LocalEngines

    engines = LocalEngines(scratch / "engines", dynamodb_port=0, moto_port=0, in_memory=True)
    engines.start()
    try:
        app = _load_app()
        tenant_id, admin = _workspace()
        checkpoints = scratch / "checkpoints.json"
        start = _stream_end(engines.dynamodb_endpoint)
        consumers = _stream_consumers(app)
        checkpoints.write_text(json.dumps({f"{c}/{shard}": seq for c in consumers for shard, seq in start.items()}))
        started = time.perf_counter()
        _burst(admin, tickets)
        written = time.perf_counter() - started
        yield f"{tickets:,} tickets created through the service by {WRITERS} threads in {written:.1f} s"
        java = psutil.Process(engines.dynamodb_pid)
        groups = [consumers] if together else [[c] for c in consumers]
        figures: list[ConsumerFigures] = []
        for group in groups:
            shutil.copy(checkpoints, scratch / "run.json")
            figures += _drain(app, engines, scratch / "run.json", group, java, profile)
        mode = "together" if together else "each alone"
        title = f"Stream consumers, a burst of {tickets:,} ticket creations, {mode}"
        table(title, HEADER, [f.row() for f in figures])
        yield _kinds(engines.dynamodb_endpoint, start)
        if profile:
            yield _PROFILES.get(profile, "(no profile: no such consumer ran)")
        del tenant_id
    finally:
        engines.stop()


def _load_app() -> Any:
    from infra.local.stack import _clear_cached_settings, load_app

    _clear_cached_settings()
    return load_app("app:app")


def _workspace() -> tuple[str, Any]:
    from chalicelib.data import identity
    from chalicelib.domain.permissions import permissions_for_role
    from chalicelib.domain.principal import Principal
    from chalicelib.services import assignment, signup

    slug = f"stream-{random.randrange(10**6)}"
    email = "admin@stream.example"
    signup.create_confirmed_workspace(
        workspace_name="Stream",
        workspace_slug=slug,
        name="Stream Admin",
        email=email,
        password="stream-bench-lantern-7",
    )
    tenant_id = identity.tenant_for_slug(slug)
    assert tenant_id is not None
    user = identity.find_user_by_email(tenant_id, email)
    assert user is not None
    admin = Principal(tenant_id, "user", user.user_id, user.name, "admin", permissions_for_role("admin"))
    routing = assignment.get_routing(admin)
    assignment.put_routing(admin, {**routing, "auto_assign_default": False})
    return tenant_id, admin


def _burst(admin: Any, tickets: int) -> None:
    from chalicelib.services import ticket_writes

    def create(n: int) -> None:
        ticket_writes.create_ticket(admin, synthetic_ticket(n))

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(create, range(tickets)))


def _stream_consumers(app: Any) -> list[str]:
    from chalice.app import DynamoDBEventConfig

    return [s.name for s in app.event_sources if isinstance(s, DynamoDBEventConfig)]


def _streams(endpoint: str) -> tuple[Any, str]:
    from chalicelib.data.models import TicketItem
    from tests.perf.seed import _local_session

    session = _local_session()
    table_ = session.client("dynamodb", endpoint_url=endpoint).describe_table(TableName=TicketItem.Meta.table_name)
    return session.client("dynamodbstreams", endpoint_url=endpoint), table_["Table"]["LatestStreamArn"]


def _stream_end(endpoint: str) -> dict[str, str]:
    """Each shard's last sequence number now (shards with no record yet are left out: read from their start)."""
    streams, arn = _streams(endpoint)
    ends: dict[str, str] = {}
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")
        position = iterator.get("ShardIterator")
        while position:
            answer = streams.get_records(ShardIterator=position, Limit=1000)
            if not answer["Records"]:
                break
            ends[shard["ShardId"]] = answer["Records"][-1]["dynamodb"]["SequenceNumber"]
            position = answer.get("NextShardIterator")
    return ends


def _kinds(endpoint: str, start: dict[str, str]) -> str:
    """What the burst's stream records are (by the item kind their image holds, and the event)."""
    streams, arn = _streams(endpoint)
    kinds: Counter[str] = Counter()
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        request = {"StreamArn": arn, "ShardId": shard["ShardId"]}
        if shard["ShardId"] in start:
            request |= {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": start[shard["ShardId"]]}
        else:
            request["ShardIteratorType"] = "TRIM_HORIZON"
        position = streams.get_shard_iterator(**request).get("ShardIterator")
        while position:
            answer = streams.get_records(ShardIterator=position, Limit=1000)
            for record in answer["Records"]:
                image = record["dynamodb"].get("NewImage") or record["dynamodb"].get("OldImage") or {}
                kind = image.get("kind", {}).get("S") or image.get("sk", {}).get("S", "?").split("#")[0]
                kinds[f"{record['eventName']} {kind}"] += 1
            if not answer["Records"]:
                break
            position = answer.get("NextShardIterator")
    return "stream records of the burst (and of the consumers' own writes): " + ", ".join(
        f"{k} {n}" for k, n in kinds.most_common()
    )


_PROFILES: dict[str, str] = {}


def _drain(
    app: Any, engines: Any, checkpoint_file: Path, names: list[str], java: psutil.Process, profile: str
) -> list[ConsumerFigures]:
    from infra.local.events import EventSourceRunner, RunnerConfig
    from infra.local.stack import REGION
    from tests.perf.seed import _caught_up

    figures = {name: ConsumerFigures(name) for name in names}
    profiler = cProfile.Profile() if profile in names else None
    handlers = {
        name: _measured(app.handler_map[name], figures[name], profiler if name == profile else None) for name in names
    }
    only = SimpleNamespace(
        app_name=app.app_name,
        event_sources=[s for s in app.event_sources if s.name in names],
        handler_map={**app.handler_map, **handlers},
    )
    config = RunnerConfig(
        dynamodb_endpoint=engines.dynamodb_endpoint,
        sqs_endpoint=engines.moto_endpoint,
        s3_endpoint=engines.moto_endpoint,
        region=REGION,
        checkpoint_file=checkpoint_file,
    )
    streams, arn = _streams(engines.dynamodb_endpoint)
    runner = EventSourceRunner(only, config)  # type: ignore[arg-type]
    java_before, me_before = _cpu(java), _cpu(psutil.Process())
    started = time.perf_counter()
    with _counting_calls(figures):
        runner.start()
        pending, quiet = set(names), 0
        deadline = started + TIMEOUT
        while pending and time.perf_counter() < deadline:
            time.sleep(POLL)
            positions = json.loads(checkpoint_file.read_text()) if checkpoint_file.exists() else {}
            caught = {n for n in pending if _caught_up(streams, arn, positions, n)}
            quiet = quiet + 1 if caught else 0
            for name in caught if quiet >= CAUGHT_UP_CHECKS else ():
                figures[name].seconds = time.perf_counter() - started - POLL * (CAUGHT_UP_CHECKS - 1)
                pending.discard(name)
        runner.stop()
    java_cpu, my_cpu = _cpu(java) - java_before, _cpu(psutil.Process()) - me_before
    records = sum(f.records for f in figures.values()) or 1
    for f in figures.values():  # shared CPU is shared out by records handled
        f.dynamodb_local_cpu = java_cpu * f.records / records
        f.process_cpu = my_cpu * f.records / records
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        _PROFILES[profile] = out.getvalue()
    return list(figures.values())


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def _measured(handler: Any, figures: ConsumerFigures, profiler: cProfile.Profile | None) -> Any:
    def run(event: dict[str, Any], context: Any) -> Any:
        before = time.thread_time()
        try:
            if profiler is None:
                return handler(event, context)
            profiler.enable()
            try:
                return handler(event, context)
            finally:
                profiler.disable()
        finally:
            with figures.lock:
                figures.handler_cpu += time.thread_time() - before
                figures.records += len(event.get("Records", []))
                figures.batches += 1

    return run


@contextmanager
def _counting_calls(figures: dict[str, ConsumerFigures]) -> Iterator[None]:
    """AWS calls (stream reads included) by the runner threads of each consumer."""
    underneath = BaseClient._make_api_call
    by_prefix = defaultdict(list)
    for name, f in figures.items():
        by_prefix[f"events-{name}"].append(f)

    def recording(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        thread = threading.current_thread().name
        service = self.meta.service_model.service_name
        for prefix, found in by_prefix.items():
            if thread.startswith(prefix):
                with found[0].lock:
                    found[0].calls[operation if service.startswith("dynamodb") else f"{service}:{operation}"] += 1
        return underneath(self, operation, params)

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield


if __name__ == "__main__":
    sys.exit(main())
