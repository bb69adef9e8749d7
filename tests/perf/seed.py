"""Seeded workspaces for the benchmarks (issue 19): N tickets worked by A agents, written through the
service layer (``ticket_writes.create_ticket`` / ``update_ticket``: the API's own write path, one
``TicketChange`` committed per write), by several processes at once, and ready only once every stream
consumer (workflows: search, assignment, rules...; realtime; metrics) has read the whole stream.

A seeded stack's data folder (DynamoDB Local's database, the dev keys, the stream checkpoints and a
manifest naming the workspace, its agents and sample ticket ids) is kept in a cache keyed by the size
and a hash of the code that writes it, so a second benchmark run starts in seconds:

    python -m tests.perf.seed --tickets 10000 --agents 150     # builds (or finds) the cache entry
    with seeded_stack(10_000, 150) as (stack, workspace): ...  # a copy of it, served on free ports

The cache lives in ``PULSEDESK_BENCH_SEEDS`` (default ``.local/bench-seeds``); ``PULSEDESK_BENCH_SEED_DIR``
names one entry to use whatever its key.

A seed is built, and a benchmark's copy served, from a folder in memory (``/dev/shm`` where the machine has
one, ``PULSEDESK_BENCH_SCRATCH`` to choose): DynamoDB Local keeps its data in SQLite, which syncs every write
to disk, and on this machine's disk its random inserts (search postings) went from 27 ms per 25 items to over
300 ms once a table passed ~50,000 items, where in memory they stay at 12 ms past 200,000. A benchmark
measures the service, not the VM's disk (nor is DynamoDB's storage our disk).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_FORMAT = 1  # bump when what a seeded workspace holds changes without the code hash changing
MANIFEST = "bench-workspace.json"
PASSWORD = "bench-agent-lantern-42"
ADMIN_EMAIL = "admin@bench.example"
SAMPLE_IDS = 2_000  # ticket ids kept in the manifest for detail requests
AGENT_CAPACITY = 500  # room for every open ticket: the router never builds a waiting queue here
THREADS_PER_PROCESS = 4  # the writes wait on DynamoDB Local: a few per process keep it busy
DRAIN_TIMEOUT_SECONDS = 3_600.0
MAIL_BACKLOG_LIMIT = 100  # notification jobs waiting before the writers pause (see _wait_while_mail_backs_up)
BACKLOG_CHECK_EVERY = 20  # tickets a writer process creates between two looks at the backlog
# Statuses the seeded tickets end in (new ones wait for the router, which assigns them from the stream)
OUTCOMES = {"new": 3, "open": 4, "pending": 2, "solved": 4, "closed": 1}
PRIORITIES = {"low": 2, "normal": 6, "high": 3, "urgent": 1}


@dataclass(frozen=True)
class SeededWorkspace:
    slug: str
    tenant_id: str
    admin_email: str
    agent_emails: list[str]
    password: str
    tickets: int
    ticket_ids: list[str]  # a sample, for detail requests

    def save(self, data_dir: Path) -> None:
        (data_dir / MANIFEST).write_text(json.dumps(asdict(self)))

    @classmethod
    def load(cls, path: Path) -> SeededWorkspace:
        return cls(**json.loads(path.read_text()))


@dataclass
class SeedFigures:
    tickets: int
    agents: int
    processes: int
    writes: int = 0
    write_seconds: float = 0.0
    drain_seconds: float = 0.0
    stream_records: int = 0  # what every stream consumer read (the seed's writes and the consumers' own)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tickets_per_second(self) -> float:
        return self.tickets / self.write_seconds if self.write_seconds else 0.0

    def report(self) -> str:
        total = self.write_seconds + self.drain_seconds
        return (
            f"seeded {self.tickets:,} tickets ({self.writes:,} writes) and {self.agents} agents with "
            f"{self.processes} processes x {THREADS_PER_PROCESS} threads: writes {self.write_seconds:.0f} s "
            f"({self.tickets_per_second:.1f} tickets/s), stream caught up {self.drain_seconds:.0f} s later "
            f"({self.tickets / total if total else 0:.1f} tickets/s end to end; {self.stream_records:,} stream "
            f"records, {self.stream_records / total if total else 0:.0f} a second through every consumer)"
        )


# --- the cache --------------------------------------------------------------------------------------


def cache_root() -> Path:
    return Path(os.environ.get("PULSEDESK_BENCH_SEEDS", REPO_ROOT / ".local" / "bench-seeds"))


def code_version() -> str:
    """A hash of what decides the stored items: the app's code and the local tables (what this module
    writes is versioned by ``SEED_FORMAT``, so a change to how it waits keeps the cache)."""
    digest = hashlib.sha256(f"format {SEED_FORMAT}".encode())
    sources = [*sorted((REPO_ROOT / "chalicelib").rglob("*.py")), REPO_ROOT / "infra" / "local" / "tables.py"]
    for source in sources:
        digest.update(str(source.relative_to(REPO_ROOT)).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def cache_entry(tickets: int, agents: int) -> Path:
    return cache_root() / f"{tickets}-tickets-{agents}-agents-{code_version()}"


def seeded_data_dir(tickets: int, agents: int, processes: int | None = None) -> tuple[Path, SeedFigures | None]:
    """The cache entry for this size and code, built first when missing (figures: None when cached).
    ``PULSEDESK_BENCH_SEED_DIR`` names a seeded folder to use whatever its key (a seed made before a
    change that does not touch what is stored)."""
    chosen = os.environ.get("PULSEDESK_BENCH_SEED_DIR")
    if chosen:
        return Path(chosen), None
    entry = cache_entry(tickets, agents)
    if (entry / MANIFEST).exists():
        return entry, None
    building = entry.with_name(entry.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="pulsedesk-seed-", dir=scratch_root()) as scratch:
        figures = build(Path(scratch), tickets, agents, processes or default_processes())
        shutil.copytree(scratch, building)
    building.rename(entry)
    return entry, figures


def scratch_root() -> Path | None:
    """Where a seed is built and served: memory when the machine has a tmpfs, else the default temp folder."""
    chosen = os.environ.get("PULSEDESK_BENCH_SCRATCH")
    if chosen:
        return Path(chosen)
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


def default_processes() -> int:
    return max(2, os.cpu_count() or 2)


@contextmanager
def seeded_stack(
    tickets: int, agents: int, *, rest_processes: int | None = None, rate_limits: str | None = None
) -> Iterator[tuple[Any, SeededWorkspace]]:
    """A copy of the cached seed served by a whole local stack on free ports (REST worker processes,
    event runner, DynamoDB Local, moto), stopped on exit; the cache itself is never written."""
    from infra.local.stack import LocalStack

    entry, _ = seeded_data_dir(tickets, agents)
    with tempfile.TemporaryDirectory(prefix="pulsedesk-bench-", dir=scratch_root()) as scratch:
        data_dir = Path(scratch) / "data"
        shutil.copytree(entry, data_dir)
        previous = os.environ.get("PULSEDESK_RATE_LIMITS")
        if rate_limits is not None:
            os.environ["PULSEDESK_RATE_LIMITS"] = rate_limits
        try:
            stack = LocalStack(data_dir, front_port=0, dynamodb_port=0, moto_port=0, rest_processes=rest_processes)
            with stack:
                yield stack, SeededWorkspace.load(data_dir / MANIFEST)
        finally:
            if rate_limits is not None:
                if previous is None:
                    os.environ.pop("PULSEDESK_RATE_LIMITS", None)
                else:
                    os.environ["PULSEDESK_RATE_LIMITS"] = previous


# --- building a seed ----------------------------------------------------------------------------------


def build(data_dir: Path, tickets: int, agents: int, processes: int) -> SeedFigures:
    """Serves a stack on ``data_dir`` (threads only: nothing but the event runner is needed), seeds it
    and waits for the stream; the stack is stopped before returning, so the folder can be copied."""
    from infra.local.stack import LocalStack

    figures = SeedFigures(tickets=tickets, agents=agents, processes=processes)
    with LocalStack(data_dir, front_port=0, dynamodb_port=0, moto_port=0, rest_processes=0) as stack:
        before = stream_position(stack.dynamodb_endpoint)
        workspace, figures.writes, figures.write_seconds = seed_workspace(tickets, agents, processes)
        started = time.monotonic()
        wait_for_stream(stack.dynamodb_endpoint, data_dir / "stream-checkpoints.json", stream_consumers(stack.app))
        figures.drain_seconds = time.monotonic() - started
        figures.stream_records = records_since(stack.dynamodb_endpoint, before)
    workspace.save(data_dir)
    (data_dir / "seed-figures.txt").write_text(figures.report() + "\n")
    return figures


def seed_workspace(tickets: int, agents: int, processes: int) -> tuple[SeededWorkspace, int, float]:
    """A new workspace, its agents (online, room for everything) and ``tickets`` tickets, written in
    parallel by ``processes`` spawned processes; answers the workspace, the writes made and their time.
    Settings come from the environment (a started ``LocalEngines`` sets them)."""
    from chalicelib.data import identity
    from chalicelib.services import signup

    slug = f"bench-{tickets}"
    signup.create_confirmed_workspace(
        workspace_name=f"Bench {tickets:,}",
        workspace_slug=slug,
        name="Bench Admin",
        email=ADMIN_EMAIL,
        password=PASSWORD,
    )
    tenant_id = identity.tenant_for_slug(slug)
    assert tenant_id is not None
    admin_user = identity.find_user_by_email(tenant_id, ADMIN_EMAIL)
    assert admin_user is not None
    admin = (tenant_id, admin_user.user_id, admin_user.name, "admin")
    started = time.monotonic()
    context = get_context("spawn")  # a clean interpreter: the parent runs threads
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        emails = [f"agent{n:03d}@bench.example" for n in range(agents)]
        agent_ids = list(pool.map(_create_agent, [(admin, email) for email in emails], chunksize=8))
        chunks = [list(range(start, tickets, processes)) for start in range(processes)]
        results = list(pool.map(_create_tickets, [(admin, agent_ids, chunk) for chunk in chunks]))
    seconds = time.monotonic() - started
    ids = [ticket_id for ticket_ids, _ in results for ticket_id in ticket_ids]
    writes = agents + sum(count for _, count in results)
    sample = random.Random(tickets).sample(ids, min(SAMPLE_IDS, len(ids)))
    workspace = SeededWorkspace(slug, tenant_id, ADMIN_EMAIL, emails, PASSWORD, tickets, sample)
    return workspace, writes, seconds


AdminRef = tuple[str, str, str, str]  # tenant, user id, name, role: picklable for the worker processes


def _principal(tenant_id: str, user_id: str, name: str, role: str) -> Any:
    from chalicelib.domain.permissions import permissions_for_role
    from chalicelib.domain.principal import Principal

    return Principal(
        tenant_id=tenant_id, kind="user", id=user_id, name=name, role=role, permissions=permissions_for_role(role)
    )


def _create_agent(job: tuple[AdminRef, str]) -> str:
    from chalicelib.services import users

    admin, email = job
    agent = users.create_user(
        _principal(*admin),
        {
            "name": email.split("@")[0].title(),
            "email": email,
            "role": "agent",
            "password": PASSWORD,
            "skills": [],
            "capacity": AGENT_CAPACITY,
            "availability": "online",
        },
    )
    return agent.id


def _create_tickets(job: tuple[AdminRef, list[str], list[int]]) -> tuple[list[str], int]:
    admin_ref, agent_ids, numbers = job
    admin = _principal(*admin_ref)
    done: list[tuple[str, int]] = []
    with ThreadPoolExecutor(max_workers=THREADS_PER_PROCESS) as threads:
        for start in range(0, len(numbers), BACKLOG_CHECK_EVERY):
            _wait_while_mail_backs_up()
            chunk = numbers[start : start + BACKLOG_CHECK_EVERY]
            done += threads.map(lambda n: _create_ticket(admin, agent_ids, n), chunk)
    return [ticket_id for ticket_id, _ in done], sum(writes for _, writes in done)


def _wait_while_mail_backs_up() -> None:
    """Writes no faster than the notification emails they cause are sent. A backlog is harmless to SQS, but
    moto's SQS reads every attribute of the queue, counting its messages, for each message a receive looks
    at: with ~800 waiting, moto took a core to itself and the stream consumers that enqueue behind it fell to
    25 records/s."""
    from chalicelib.settings import get_settings

    sqs = _local_session().client("sqs", endpoint_url=os.environ["AWS_ENDPOINT_URL_SQS"])
    url = get_settings().notifications_queue_url
    while True:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        if int(attributes["Attributes"]["ApproximateNumberOfMessages"]) <= MAIL_BACKLOG_LIMIT:
            return
        time.sleep(0.5)


def _create_ticket(admin: Any, agent_ids: list[str], n: int) -> tuple[str, int]:
    """One ticket as a team would have left it: created (by a lead, assigned at once unless it is to
    wait for the router), then moved on by its agent. Deterministic in ``n``."""
    from chalicelib.domain.errors import Conflict
    from chalicelib.services import ticket_reads, ticket_writes
    from infra.local.seed import DETAILS, REQUESTERS, SUBJECTS

    rng = random.Random(n)
    subject, queue, tags = rng.choice(SUBJECTS)
    requester_name, requester_email = rng.choice(REQUESTERS)
    outcome = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
    assignee = None if outcome == "new" else rng.choice(agent_ids)
    ticket = ticket_writes.create_ticket(
        admin,
        {
            "subject": f"{subject} ({n})",
            "description": rng.choice(DETAILS).format(what=subject.lower()),
            "requester": {"email": requester_email, "name": requester_name},
            "priority": rng.choices(list(PRIORITIES), weights=list(PRIORITIES.values()))[0],
            "queue": queue,
            "tags": tags,
            "channel": rng.choice(["web", "email", "api"]),
            "assignee_id": assignee,
        },
    )
    writes = 1
    steps = {"pending": ["pending"], "solved": ["solved"], "closed": ["solved", "closed"]}.get(outcome, [])
    if steps:
        agent = _principal(admin.tenant_id, str(assignee), "Agent", "agent")
        version = ticket.version
        for status in steps:
            for _ in range(10):  # as a well-behaved client: on a conflict, re-read and re-apply
                try:
                    version = ticket_writes.update_ticket(agent, ticket.id, {"status": status}, version).version
                    writes += 1
                    break
                except Conflict:
                    version = ticket_reads.get_ticket(agent, ticket.id)["ticket"].version
    return ticket.id, writes


# --- the stream catching up -----------------------------------------------------------------------------


def stream_consumers(app: Any) -> list[str]:
    from chalice.app import DynamoDBEventConfig

    return [source.name for source in app.event_sources if isinstance(source, DynamoDBEventConfig)]


def wait_for_stream(
    dynamodb_endpoint: str,
    checkpoint_file: Path,
    consumers: list[str],
    timeout: float = DRAIN_TIMEOUT_SECONDS,
    quiet_checks: int = 3,
) -> None:
    """Until every consumer's checkpoint is the last record of every shard, ``quiet_checks`` times in a
    row a second apart (a consumer's own writes, an assignment say, add records while it reads)."""
    from chalicelib.data.models import TicketItem

    session = _local_session()
    streams = session.client("dynamodbstreams", endpoint_url=dynamodb_endpoint)
    table = session.client("dynamodb", endpoint_url=dynamodb_endpoint).describe_table(
        TableName=TicketItem.Meta.table_name
    )
    stream_arn = table["Table"]["LatestStreamArn"]
    deadline, quiet = time.monotonic() + timeout, 0
    while quiet < quiet_checks:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the stream consumers did not catch up within {timeout:.0f} s")
        time.sleep(1.0)
        positions = json.loads(checkpoint_file.read_text()) if checkpoint_file.exists() else {}
        behind = [c for c in consumers if not _caught_up(streams, stream_arn, positions, c)]
        quiet = quiet + 1 if not behind else 0


def stream_position(dynamodb_endpoint: str) -> dict[str, str]:
    """The main table's stream now: each shard's last sequence number (an empty shard is left out)."""
    return {shard: records[-1] for shard, records in _stream_sequences(dynamodb_endpoint, {}).items() if records}


def records_since(dynamodb_endpoint: str, position: dict[str, str]) -> int:
    """How many stream records were written after ``position`` (what every consumer had to read)."""
    return sum(len(records) for records in _stream_sequences(dynamodb_endpoint, position).values())


def _stream_sequences(dynamodb_endpoint: str, after: dict[str, str]) -> dict[str, list[str]]:
    from chalicelib.data.models import TicketItem

    session = _local_session()
    streams = session.client("dynamodbstreams", endpoint_url=dynamodb_endpoint)
    table = session.client("dynamodb", endpoint_url=dynamodb_endpoint).describe_table(
        TableName=TicketItem.Meta.table_name
    )
    stream_arn = table["Table"]["LatestStreamArn"]
    found: dict[str, list[str]] = {}
    for shard in streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
        shard_id = shard["ShardId"]
        request = {"StreamArn": stream_arn, "ShardId": shard_id, "ShardIteratorType": "TRIM_HORIZON"}
        if shard_id in after:
            request |= {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": after[shard_id]}
        iterator = streams.get_shard_iterator(**request).get("ShardIterator")
        sequences = found.setdefault(shard_id, [])
        while iterator:
            answer = streams.get_records(ShardIterator=iterator, Limit=1000)
            if not answer["Records"]:
                break
            sequences += [record["dynamodb"]["SequenceNumber"] for record in answer["Records"]]
            iterator = answer.get("NextShardIterator")
    return found


def _caught_up(streams: Any, stream_arn: str, positions: dict[str, str], consumer: str) -> bool:
    for shard in streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
        request = {"StreamArn": stream_arn, "ShardId": shard["ShardId"]}
        position = positions.get(f"{consumer}/{shard['ShardId']}")
        if position is None:
            iterator = streams.get_shard_iterator(**request, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        else:
            iterator = streams.get_shard_iterator(
                **request, ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=position
            )["ShardIterator"]
        if streams.get_records(ShardIterator=iterator, Limit=1)["Records"]:
            return False
    return True


def wait_for_queues(moto_endpoint: str, timeout: float = DRAIN_TIMEOUT_SECONDS, quiet_checks: int = 3) -> None:
    """Until no queue holds a message that is visible or being worked (delayed ones are future work,
    an SLA check at its deadline say, not a backlog)."""
    sqs = _local_session().client("sqs", endpoint_url=moto_endpoint)
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    deadline, quiet = time.monotonic() + timeout, 0
    while quiet < quiet_checks:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the queues did not empty within {timeout:.0f} s")
        time.sleep(1.0)
        held = 0
        for url in sqs.list_queues().get("QueueUrls", []):
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
            held += sum(int(value) for value in attributes.values())
        quiet = quiet + 1 if held == 0 else 0


def _local_session() -> Any:
    """The local engines accept any credentials; the caller's environment may hold none."""
    import boto3

    region = os.environ.get("AWS_REGION", "us-east-1")
    return boto3.session.Session(region_name=region, aws_access_key_id="local", aws_secret_access_key="local")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--agents", type=int, default=150)
    parser.add_argument("--processes", type=int, default=default_processes())
    parser.add_argument("--rebuild", action="store_true", help="seed again even when the cache has this size")
    args = parser.parse_args(argv)
    if args.rebuild:
        shutil.rmtree(cache_entry(args.tickets, args.agents), ignore_errors=True)
    entry, figures = seeded_data_dir(args.tickets, args.agents, args.processes)
    print(figures.report() if figures else f"cached: {(entry / 'seed-figures.txt').read_text().strip()}")
    print(f"data: {entry}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
