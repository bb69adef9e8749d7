"""The local event-source runner: what Lambda's event source mappings and EventBridge rules do in
AWS, for the sources the app registered (``app.event_sources``: DynamoDB streams, SQS queues,
schedules, S3 notifications). Each source polls in its own thread and calls the same handler
(``app.handler_map[name]``) with a Lambda-shaped event."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from chalice.app import (
    BaseEventSourceConfig,
    Chalice,
    DynamoDBEventConfig,
    S3EventConfig,
    ScheduledEventConfig,
    SQSEventConfig,
)

from infra.local.activity import Activity, Pacing
from infra.local.batches import DeadLetter, DeadLetters, OrderedDelivery, Record, RetryPolicy, failed_identifiers
from infra.local.checkpoints import Checkpoints
from infra.local.lambda_events import (
    LOCAL_ACCOUNT_ID,
    lambda_context,
    lambda_record_from_wire,
    scheduled_event,
    sqs_record,
)
from infra.local.s3_events import S3NotificationPoller
from infra.stream_mappings import batching_window_seconds, parallelization_factor

log = logging.getLogger("pulsedesk.local")
_TABLE_IN_STREAM_ARN = re.compile(r":table/(?P<table>[^/]+)/stream/")
_RESEEK_ERRORS = {"TrimmedDataAccessException", "ExpiredIteratorException"}
SHARD_REFRESH_SECONDS = 1.0
SHARD_BUSY_CHECK_SECONDS = 0.1  # busy, whether a refresh is due is asked this often (not on every poke)
MAX_SHARD_READERS = 16  # open shards read at once per consumer (a Lambda mapping reads every shard at once)
IDLE_SHARD_REFRESH_SECONDS = 10.0  # idle, or while a shard is being read, new shards are looked for this often
SQS_LONG_POLL_SECONDS = 2  # a queue poller blocks in ReceiveMessage this long while idle (bounds stop())
SQS_MAX_CONCURRENCY = 5  # batches of one queue handled at once with a backlog: Lambda starts five pollers
DEFAULT_SCHEDULE_SECONDS = 300.0
_RATE_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}


@dataclass(frozen=True)
class RunnerConfig:
    dynamodb_endpoint: str
    sqs_endpoint: str
    region: str
    s3_endpoint: str = ""  # moto server, like SQS (the S3 notification queues live there)
    stream_poll_seconds: float = 0.02
    sqs_poll_seconds: float = 0.1
    schedule_seconds: float | None = None  # None: each schedule's own rate, as EventBridge runs it
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    checkpoint_file: Path | None = None  # None: every start is a new mapping (starts at LATEST)
    # The SQS queue every stream mapping's on-failure destination names (infra/aws/merge.py); "" for none.
    stream_failure_queue: str = ""


class SourcePoller(Protocol):
    name: str

    def prepare(self) -> None: ...

    def run(self) -> None: ...


class EventSourceRunner:
    """Start with :meth:`start` (returns once every stream has its position), stop with :meth:`stop`."""

    def __init__(
        self,
        app: Chalice,
        config: RunnerConfig,
        activity: Activity | None = None,
        dead_letters: DeadLetters | None = None,
    ) -> None:
        self._app = app
        self._config = config
        self.activity = activity or Activity()  # the front pokes it; idle pollers wait on it
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.dead_letters = dead_letters or DeadLetters()
        self.checkpoints = Checkpoints(config.checkpoint_file)  # one file, shared by every consumer

    def start(self) -> None:
        pollers = [p for source in self._app.event_sources if (p := self._poller_for(source)) is not None]
        for poller in pollers:
            poller.prepare()
        for poller in pollers:
            thread = threading.Thread(target=poller.run, name=f"events-{poller.name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        self.activity.poke()  # wakes every idle poller
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads.clear()

    def invoker(self, name: str) -> Callable[[dict[str, Any]], Any]:
        handler = self._app.handler_map[name]
        function_name = f"{self._app.app_name}-dev-{name}"

        def invoke(event: dict[str, Any]) -> Any:
            try:
                return handler(event, lambda_context(function_name))
            finally:
                self.activity.poke()  # it may have written what another source's poller reads

        return invoke

    def _poller_for(self, source: BaseEventSourceConfig) -> SourcePoller | None:
        if isinstance(source, DynamoDBEventConfig):
            return DynamoDBStreamPoller(source, self)
        if isinstance(source, SQSEventConfig):
            return SqsPoller(source, self)
        if isinstance(source, ScheduledEventConfig):
            return SchedulePoller(source, self)
        if isinstance(source, S3EventConfig):
            return S3NotificationPoller(source, self)
        log.warning("event source %s (%s) is not run locally", source.name, type(source).__name__)
        return None

    @property
    def app_name(self) -> str:
        return str(self._app.app_name)

    @property
    def config(self) -> RunnerConfig:
        return self._config

    @property
    def stopping(self) -> threading.Event:
        return self._stop


def table_name_from_stream_arn(stream_arn: str) -> str:
    match = _TABLE_IN_STREAM_ARN.search(stream_arn)
    if match is None:
        raise ValueError(f"not a DynamoDB stream ARN: {stream_arn}")
    return match.group("table")


@dataclass
class _ShardCursor:
    iterator: str | None
    last_sequence: str | None = None
    done: bool = False


WIRE_RECORDS = "WireRecords"  # where the poller's client leaves GetRecords' answer, unparsed (``_records_unparsed``)
GET_RECORDS_LIMIT = 1000  # DynamoDB Streams' most per GetRecords, as Lambda's poller reads a shard


class DynamoDBStreamPoller:
    """One event source mapping of a stream, read like Lambda reads it: every open shard by a reader of
    its own (a thread), at the same time, each in order; a child shard once its parent is read to its
    end. A reader takes up to GET_RECORDS_LIMIT records per GetRecords and invokes the handler with
    batches of the mapping's ``batch_size``; it reads again at once while a read finds a backlog (a batch
    or more), and paces itself (``Pacing``) once it has caught up, reading again no sooner than the mapping's
    batching window.

    With a parallelization factor (``infra/stream_mappings.py``) a backlog's records are shared among that
    many lanes by partition key, as Lambda shares them: a lane's batches in order, the lanes side by side,
    and the checkpoint after every lane has handled its share of ``batch_size * factor`` records."""

    def __init__(self, source: DynamoDBEventConfig, runner: EventSourceRunner) -> None:
        self.name = source.name
        self._source = source
        self._runner = runner
        config = runner.config
        session = boto3.session.Session(region_name=config.region)
        self._dynamodb = session.client("dynamodb", endpoint_url=config.dynamodb_endpoint)
        # botocore clients are thread-safe: the shard readers share this one (and its connection pool)
        self._streams = session.client(
            "dynamodbstreams",
            endpoint_url=config.dynamodb_endpoint,
            config=Config(max_pool_connections=MAX_SHARD_READERS),
        )
        self._streams.meta.events.register("before-parse.dynamodb-streams.GetRecords", _records_unparsed)
        self._table = table_name_from_stream_arn(source.stream_arn)
        self._stream_arn = ""
        self._cursors: dict[str, _ShardCursor] = {}
        self._readers: dict[str, threading.Thread] = {}
        self._shard_ended = threading.Event()
        self._checkpoints = runner.checkpoints
        self._delivery = OrderedDelivery(
            source.name,
            runner.invoker(source.name),
            lambda record: str(record["dynamodb"]["SequenceNumber"]),
            config.retry,
            runner.dead_letters,
            runner.stopping,
        )
        self._failure_destination = OnFailureDestination(session, runner, source.name)
        self._batch_size = max(1, int(source.batch_size or 100))
        self.factor = parallelization_factor(source.name)
        # a caught-up reader reads again no sooner than this: Lambda's batching window, gathering what trickles in
        self.batching_window_seconds = float(batching_window_seconds(source.name))
        self._lanes = ThreadPoolExecutor(self.factor, f"events-{source.name}-lane") if self.factor > 1 else None
        self.partition_key = ""  # the table's hash key: what keeps records in order across lanes

    def prepare(self) -> None:
        table = self._dynamodb.describe_table(TableName=self._table)["Table"]
        if "LatestStreamArn" not in table:
            raise RuntimeError(f"table {self._table} has no stream, but {self.name} reads it")
        self.partition_key = next(key["AttributeName"] for key in table["KeySchema"] if key["KeyType"] == "HASH")
        self._stream_arn = table["LatestStreamArn"]
        self._failure_destination.stream_arn = self._stream_arn
        self._refresh_shards(self._source.starting_position)

    def run(self) -> None:
        """Looks for new shards and starts their readers: at once when a reader has read its shard to the end
        (its children are open now), every second while the stack is busy and no shard is being read (a fresh
        table's stream has its first shard after its first write), and every 10 s otherwise. It looked every
        second whenever the stack was busy: a DescribeStream per second per mapping that found nothing new."""
        stop, activity = self._runner.stopping, self._runner.activity
        last_refresh = 0.0
        try:
            while not stop.is_set():
                generation = activity.generation
                reading = any(reader.is_alive() for reader in self._readers.values())
                busy = activity.busy()
                refresh_every = SHARD_REFRESH_SECONDS if busy and not reading else IDLE_SHARD_REFRESH_SECONDS
                if self._shard_ended.is_set() or time.monotonic() - last_refresh >= refresh_every:
                    self._shard_ended.clear()
                    try:
                        self._refresh_shards("TRIM_HORIZON")
                        self._start_readers()
                    except Exception:
                        log.exception("stream poller %s failed; retrying", self.name)
                    last_refresh = time.monotonic()
                if busy:
                    stop.wait(SHARD_BUSY_CHECK_SECONDS)
                else:  # idle: the next sign of life (a write through the front, say) wakes it at once
                    activity.wait(generation, IDLE_SHARD_REFRESH_SECONDS)
        finally:
            for reader in self._readers.values():
                reader.join(timeout=10)
            if self._lanes is not None:
                self._lanes.shutdown(wait=False, cancel_futures=True)

    def _start_readers(self) -> None:
        for shard_id, cursor in list(self._cursors.items()):
            if cursor.done or shard_id in self._readers:
                continue
            if sum(reader.is_alive() for reader in self._readers.values()) >= MAX_SHARD_READERS:
                return
            reader = threading.Thread(
                target=self._read_shard,
                args=(shard_id, cursor),
                name=f"events-{self.name}-{shard_id[-12:]}",
                daemon=True,
            )
            self._readers[shard_id] = reader
            reader.start()

    def _read_shard(self, shard_id: str, cursor: _ShardCursor) -> None:
        stop, activity = self._runner.stopping, self._runner.activity
        pacing = Pacing(activity, max(self._runner.config.stream_poll_seconds, self.batching_window_seconds))
        while not stop.is_set() and not cursor.done:
            generation = activity.generation
            try:
                delivered = self._poll_shard(shard_id, cursor)
            except Exception:
                log.exception("stream poller %s, shard %s failed; retrying", self.name, shard_id)
                delivered = 0
            if delivered:
                pacing.found_work()
            # Fewer records than one batch: the reader has caught up. Reading again at once came back empty
            # nearly every time (half of all GetRecords under load, each a query of DynamoDB Local's). A
            # backlog's pages are full, or cut at 1 MB: far more than a batch of records either way.
            if delivered < self._batch_size:
                pacing.pause(generation, stop)
        if cursor.done:
            self._shard_ended.set()  # its children may be opened now
            self._runner.activity.poke()

    def _refresh_shards(self, position_for_new: str) -> None:
        """Open new shards whose parent is finished (or unknown); children start at their horizon."""
        for shard in self._describe_shards():
            shard_id = shard["ShardId"]
            parent = self._cursors.get(shard.get("ParentShardId", ""))
            if shard_id in self._cursors or (parent is not None and not parent.done):
                continue
            self._cursors[shard_id] = self._open_shard(shard_id, position_for_new)

    def _open_shard(self, shard_id: str, position: str) -> _ShardCursor:
        """LATEST is taken by reading to the end of the shard rather than by a LATEST iterator: a
        re-seek after DynamoDB Local's trim bug then resumes after the last existing record.
        A checkpoint from an earlier run wins: that consumer resumes where it stopped."""
        saved = self._checkpoints.get(self.name, shard_id)
        if saved is not None:
            try:
                return _ShardCursor(self._iterator(shard_id, "AFTER_SEQUENCE_NUMBER", saved), last_sequence=saved)
            except ClientError:
                log.warning("checkpoint %s of %s is gone; starting at %s", saved, self.name, position)
        cursor = _ShardCursor(self._iterator(shard_id, "TRIM_HORIZON"))
        while position == "LATEST" and cursor.iterator is not None:
            answer = self._get_records(cursor.iterator)
            if not answer.get("Records"):
                break
            cursor.iterator = answer.get("NextShardIterator")
            cursor.last_sequence = answer["Records"][-1]["dynamodb"]["SequenceNumber"]
        cursor.done = cursor.iterator is None  # a closed shard read to its end: its children come next
        return cursor

    def _get_records(self, iterator: str) -> dict[str, Any]:
        """GetRecords' answer as the wire carries it (see ``_records_unparsed``)."""
        answer = self._streams.get_records(ShardIterator=iterator, Limit=GET_RECORDS_LIMIT)
        wire: dict[str, Any] = answer[WIRE_RECORDS]
        return wire

    def _describe_shards(self) -> list[dict[str, Any]]:
        shards: list[dict[str, Any]] = []
        request: dict[str, Any] = {"StreamArn": self._stream_arn}
        while True:
            description = self._streams.describe_stream(**request)["StreamDescription"]
            shards += description["Shards"]
            if not description.get("LastEvaluatedShardId"):
                return shards
            request["ExclusiveStartShardId"] = description["LastEvaluatedShardId"]

    def _iterator(self, shard_id: str, position: str, after: str | None = None) -> str | None:
        request = {"StreamArn": self._stream_arn, "ShardId": shard_id, "ShardIteratorType": position}
        if after is not None:
            request["SequenceNumber"] = after
        iterator: str | None = self._streams.get_shard_iterator(**request).get("ShardIterator")
        return iterator

    def _poll_shard(self, shard_id: str, cursor: _ShardCursor) -> int:
        """One GetRecords, its records handed over; answers how many there were."""
        if cursor.iterator is None:
            cursor.done = True
            return 0
        try:
            answer = self._get_records(cursor.iterator)
        except ClientError as error:
            if error.response["Error"]["Code"] not in _RESEEK_ERRORS:
                raise
            self._reseek(shard_id, cursor)
            return 0
        records = [self._lambda_record(record) for record in answer.get("Records", [])]
        size = self._batch_size
        # Lanes only for a backlog (more than one batch found): caught up, records come a few at a time, and
        # side-by-side batches would only contend for this process's interpreter with the other consumers
        # (the realtime p95 to 200 dashboards went from 469 to 804 ms with lanes on every poll).
        lanes_wanted = self.factor if len(records) > size else 1
        step = size * lanes_wanted
        for start in range(0, len(records), step):
            share = records[start : start + step]
            lanes = self._by_partition_key(share) if lanes_wanted > 1 else [share]
            if self._lanes is None or len(lanes) == 1:
                for lane in lanes:
                    self._deliver_lane(shard_id, lane, size)
            else:
                list(self._lanes.map(lambda lane: self._deliver_lane(shard_id, lane, size), lanes))
            if self._runner.stopping.is_set():
                # perhaps not all delivered: the checkpoint stays before it (a restart delivers it again)
                return len(records)
            cursor.last_sequence = share[-1]["dynamodb"]["SequenceNumber"]
            self._checkpoints.save(self.name, shard_id, cursor.last_sequence)
        cursor.iterator = answer.get("NextShardIterator")
        return len(records)

    def _by_partition_key(self, records: list[Record]) -> list[list[Record]]:
        """The records in up to ``factor`` lanes, each item's records in one lane and in stream order."""
        if not self.partition_key:  # not prepared (the table's key schema unread): one lane keeps the order
            return [records]
        lanes: dict[int, list[Record]] = {}
        for record in records:
            key = json.dumps(record["dynamodb"]["Keys"].get(self.partition_key), sort_keys=True)
            lanes.setdefault(zlib.crc32(key.encode()) % self.factor, []).append(record)
        return list(lanes.values())

    def _deliver_lane(self, shard_id: str, records: list[Record], size: int) -> None:
        for start in range(0, len(records), size):
            given_up = self._delivery.deliver(records[start : start + size])
            if self._runner.stopping.is_set():
                return
            if given_up is not None:
                self._failure_destination.send(shard_id, given_up)

    def _reseek(self, shard_id: str, cursor: _ShardCursor) -> None:
        """DynamoDB Local can trim the iterator of a shard that was empty when it was taken."""
        if cursor.last_sequence is None:
            cursor.iterator = self._iterator(shard_id, "TRIM_HORIZON")
        else:
            cursor.iterator = self._iterator(shard_id, "AFTER_SEQUENCE_NUMBER", cursor.last_sequence)

    def _lambda_record(self, record: dict[str, Any]) -> Record:
        return lambda_record_from_wire(record, self._source.stream_arn, self._runner.config.region)


def _records_unparsed(response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any) -> None:
    """A GetRecords answer handed on as the wire carries it, which is what Lambda's event holds: botocore
    would parse every AttributeValue of every image into Python (and binary into bytes) for the poller to
    turn straight back into that JSON. Three consumers parsed each record so: ~15 % of the event runner's
    CPU while tickets were written. Errors are left to botocore (a reseek needs their codes)."""
    if response_dict["status_code"] == 200:
        customized_response_dict[WIRE_RECORDS] = json.loads(response_dict["body"])
        response_dict["body"] = b"{}"


class OnFailureDestination:
    """A stream mapping's on-failure destination: a batch given up on is announced to the failure
    queue as Lambda announces it, by a pointer to the shard and sequence range (the records stay in
    the stream), so the app's own consumer of that queue reads them back, as it does in AWS."""

    def __init__(self, session: boto3.session.Session, runner: EventSourceRunner, source_name: str) -> None:
        config = runner.config
        self._queue = config.stream_failure_queue
        self._sqs = session.client("sqs", endpoint_url=config.sqs_endpoint) if self._queue else None
        self._queue_url = ""
        self._function_arn = (
            f"arn:aws:lambda:{config.region}:{LOCAL_ACCOUNT_ID}:function:{runner.app_name}-dev-{source_name}"
        )
        self.stream_arn = ""

    def send(self, shard_id: str, letter: DeadLetter) -> None:
        if self._sqs is None or not letter.records:
            return
        try:
            if not self._queue_url:
                self._queue_url = self._sqs.create_queue(QueueName=self._queue)["QueueUrl"]  # as SqsPoller does
            self._sqs.send_message(QueueUrl=self._queue_url, MessageBody=json.dumps(self.message(shard_id, letter)))
        except Exception:  # the dead letter is kept in memory and logged either way
            log.exception("on-failure destination %s: could not send", self._queue)

    def message(self, shard_id: str, letter: DeadLetter) -> dict[str, Any]:
        first, last = letter.records[0]["dynamodb"], letter.records[-1]["dynamodb"]
        response: dict[str, Any] = {"statusCode": 200, "executedVersion": "$LATEST"}
        if letter.raised:
            response["functionError"] = "Unhandled"
        return {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": self._function_arn,
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": letter.attempts,
            },
            "responseContext": response,
            "version": "1.0",
            "timestamp": _iso_now(),
            "DDBStreamBatchInfo": {
                "shardId": shard_id,
                "startSequenceNumber": str(first["SequenceNumber"]),
                "endSequenceNumber": str(last["SequenceNumber"]),
                "approximateArrivalOfFirstRecord": _iso(first.get("ApproximateCreationDateTime")),
                "approximateArrivalOfLastRecord": _iso(last.get("ApproximateCreationDateTime")),
                "batchSize": len(letter.records),
                "streamArn": self.stream_arn,
            },
        }


def _iso(epoch_seconds: Any) -> str:
    moment = datetime.fromtimestamp(float(epoch_seconds), UTC) if epoch_seconds is not None else datetime.now(UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _iso_now() -> str:
    return _iso(None)


class SqsPoller:
    """A queue, read like Lambda reads it: delete what succeeded; failures come back after the
    visibility timeout (and reach the queue's dead-letter queue by its redrive policy).

    One poller long-polls while the queue is quiet. A full batch means a backlog: more pollers join, up to
    SQS_MAX_CONCURRENCY batches at once (Lambda scales its pollers with the queue the same way), and each
    extra one leaves as soon as a receive finds less than a full batch."""

    def __init__(self, source: SQSEventConfig, runner: EventSourceRunner) -> None:
        self.name = source.name
        self._source = source
        self._runner = runner
        config = runner.config
        self._sqs = boto3.session.Session(region_name=config.region).client("sqs", endpoint_url=config.sqs_endpoint)
        self._queue_name = source.queue or str(source.queue_arn).rsplit(":", 1)[-1]
        self._queue_url = ""
        self._queue_arn = ""
        self._invoke = runner.invoker(source.name)
        self._batch = max(1, min(source.batch_size, 10))
        self._extra_pollers: list[threading.Thread] = []
        self._pollers_lock = threading.Lock()

    def prepare(self) -> None:
        """The queue is infrastructure (the template creates it in AWS); locally it is made here."""
        self._queue_url = self._sqs.create_queue(QueueName=self._queue_name)["QueueUrl"]
        attributes = self._sqs.get_queue_attributes(QueueUrl=self._queue_url, AttributeNames=["QueueArn"])
        self._queue_arn = attributes["Attributes"]["QueueArn"]

    def run(self) -> None:
        """Long polls, as Lambda's SQS poller does: an idle queue costs one waiting request at a time."""
        stop = self._runner.stopping
        while not stop.is_set():
            started = time.monotonic()
            try:
                received = self._receive_and_deliver(SQS_LONG_POLL_SECONDS)
            except Exception:
                log.exception("queue poller %s failed; retrying", self.name)
                received = 0
            if not received and time.monotonic() - started < SQS_LONG_POLL_SECONDS / 2:
                stop.wait(self._runner.config.sqs_poll_seconds)  # an empty answer that did not wait: never spin
        for poller in self._extra_pollers:
            poller.join(timeout=10)

    def _add_poller(self) -> None:
        with self._pollers_lock:
            self._extra_pollers = [poller for poller in self._extra_pollers if poller.is_alive()]
            if 1 + len(self._extra_pollers) >= SQS_MAX_CONCURRENCY or self._runner.stopping.is_set():
                return
            poller = threading.Thread(
                target=self._drain, name=f"events-{self.name}-{len(self._extra_pollers) + 1}", daemon=True
            )
            self._extra_pollers.append(poller)
            poller.start()

    def _drain(self) -> None:
        """An extra poller: handles full batches without waiting for them, and leaves at the first that is not."""
        while not self._runner.stopping.is_set():
            try:
                if self._receive_and_deliver(wait_seconds=0) < self._batch:
                    return
            except Exception:
                log.exception("queue poller %s failed", self.name)
                return

    def _receive_and_deliver(self, wait_seconds: int) -> int:
        """How many messages it received (and handed to the handler)."""
        messages = self._sqs.receive_message(
            QueueUrl=self._queue_url,
            MaxNumberOfMessages=self._batch,
            WaitTimeSeconds=wait_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        if len(messages) == self._batch:
            self._add_poller()  # a backlog: another poller takes the next batch while this one is handled
        records = [sqs_record(m, self._queue_arn, self._runner.config.region) for m in messages]
        self._delete(records, self._failures(records))
        return len(messages)

    def _failures(self, records: list[Record]) -> set[str]:
        def message_id(record: Record) -> str:
            return str(record["messageId"])

        try:
            result = self._invoke({"Records": records})
        except Exception:
            log.exception("event source %s: handler raised; the batch returns to the queue", self.name)
            return {message_id(record) for record in records}
        return failed_identifiers(result, records, message_id)

    def _delete(self, records: list[Record], failed: set[str]) -> None:
        done = [r for r in records if r["messageId"] not in failed]
        if done:
            entries = [{"Id": str(i), "ReceiptHandle": r["receiptHandle"]} for i, r in enumerate(done)]
            self._sqs.delete_message_batch(QueueUrl=self._queue_url, Entries=entries)


class SchedulePoller:
    """An EventBridge schedule: at its ``rate(...)`` (a cron expression runs every
    ``DEFAULT_SCHEDULE_SECONDS``), or at the runner's ``schedule_seconds`` when one is set."""

    def __init__(self, source: ScheduledEventConfig, runner: EventSourceRunner) -> None:
        self.name = source.name
        self._runner = runner
        self._invoke = runner.invoker(source.name)
        configured = runner.config.schedule_seconds
        self.interval = configured if configured is not None else rate_seconds(source.schedule_expression)

    def prepare(self) -> None:
        return None

    def run(self) -> None:
        config = self._runner.config
        while not self._runner.stopping.wait(self.interval):
            try:
                self._invoke(scheduled_event(self.name, config.region, LOCAL_ACCOUNT_ID))
            except Exception:
                log.exception("scheduled handler %s failed", self.name)


def rate_seconds(expression: Any) -> float:
    """Seconds between runs of a ``rate(N unit)`` schedule (Chalice's ``Rate`` or its string)."""
    text = expression.to_string() if hasattr(expression, "to_string") else str(expression)
    match = re.fullmatch(r"rate\((\d+) (\w+)\)", text.strip())
    if match is None or match.group(2) not in _RATE_UNITS:
        return DEFAULT_SCHEDULE_SECONDS
    return float(int(match.group(1)) * _RATE_UNITS[match.group(2)])
