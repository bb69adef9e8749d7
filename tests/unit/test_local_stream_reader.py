"""The local runner reads a shard as Lambda's poller does: up to 1,000 records per GetRecords, handed to
the handler in batches of the mapping's declared size, in order, the checkpoint after each batch; a
stop in the middle leaves the checkpoint before what may not have been delivered."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import botocore.session
import pytest
from botocore.parsers import create_parser
from chalice.app import Chalice, DynamoDBEvent

from infra.local import events
from infra.local.events import (
    GET_RECORDS_LIMIT,
    WIRE_RECORDS,
    DynamoDBStreamPoller,
    EventSourceRunner,
    RunnerConfig,
    _records_unparsed,
    _ShardCursor,
)
from infra.local.lambda_events import lambda_record_from_get_records, lambda_record_from_wire

ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/things/stream/2026-01-01T00:00:00.000"


class FakeStreams:
    """A shard of ``count`` records, served as DynamoDB Streams' GetRecords serves them (as the poller's client
    hands them on: the wire JSON, unparsed)."""

    def __init__(self, count: int) -> None:
        created = dt.datetime(2026, 11, 30, tzinfo=dt.UTC).timestamp()
        self.records = [
            {
                "eventID": f"e{n}",
                "eventName": "INSERT",
                "dynamodb": {
                    "SequenceNumber": f"{n:021d}",
                    "ApproximateCreationDateTime": created,
                    "Keys": {"id": {"S": f"k{n}"}},
                    "StreamViewType": "NEW_AND_OLD_IMAGES",
                    "SizeBytes": 40,
                },
            }
            for n in range(1, count + 1)
        ]
        self.limits: list[int] = []

    def get_records(self, ShardIterator: str, Limit: int) -> dict[str, Any]:
        self.limits.append(Limit)
        start = int(ShardIterator)
        page = self.records[start : start + Limit]
        return {WIRE_RECORDS: {"Records": page, "NextShardIterator": str(start + len(page))}}


class _ShardedStreams(FakeStreams):
    """``FakeStreams`` as the shard ``shard-1``; ``end`` closes it and opens ``shard-2``, its child, with 3 records."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.shards = [{"ShardId": "shard-1", "SequenceNumberRange": {"StartingSequenceNumber": "1"}}]
        self.described = 0
        self._ended_at: int | None = None
        self.child = FakeStreams(count + 3).records[count:]

    def describe_stream(self, StreamArn: str, **_: Any) -> dict[str, Any]:
        self.described += 1
        return {"StreamDescription": {"Shards": list(self.shards)}}

    def get_shard_iterator(self, **request: Any) -> dict[str, Any]:
        return {"ShardIterator": "child-0" if request["ShardId"] == "shard-2" else "0"}

    def get_records(self, ShardIterator: str, Limit: int) -> dict[str, Any]:
        if ShardIterator.startswith("child-"):
            start = int(ShardIterator.removeprefix("child-"))
            page = self.child[start : start + Limit]
            return {WIRE_RECORDS: {"Records": page, "NextShardIterator": f"child-{start + len(page)}"}}
        answer = super().get_records(ShardIterator, Limit)
        if self._ended_at is not None and int(answer[WIRE_RECORDS]["NextShardIterator"]) >= self._ended_at:
            answer[WIRE_RECORDS]["NextShardIterator"] = None
        return answer

    def end(self) -> None:
        self._ended_at = len(self.records)
        self.shards.append({"ShardId": "shard-2", "ParentShardId": "shard-1", "SequenceNumberRange": {}})


def _poller(
    batches: list[list[str]],
    stop_after: int | None = None,
    on_batch: Callable[[dict[str, Any]], None] | None = None,
    name: str = "things",
) -> DynamoDBStreamPoller:
    app = Chalice(app_name="reader")

    @app.on_dynamodb_record(stream_arn=ARN, batch_size=100, name=name)
    def things(event: DynamoDBEvent) -> dict[str, Any]:
        batches.append([record.sequence_number for record in event])
        if on_batch is not None:
            on_batch(event.to_dict())
        if stop_after is not None and len(batches) == stop_after:
            runner.stopping.set()
        return {"batchItemFailures": []}

    runner = EventSourceRunner(
        app, RunnerConfig(dynamodb_endpoint="http://127.0.0.1:9", sqs_endpoint="", region="us-east-1")
    )
    source = app.event_sources[0]
    return DynamoDBStreamPoller(source, runner)  # type: ignore[arg-type]


def test_a_thousand_records_are_read_at_once_and_handed_over_a_hundred_at_a_time_in_order() -> None:
    # GIVEN a shard of 1,250 records and a mapping of batch size 100
    batches: list[list[str]] = []
    poller = _poller(batches)
    streams = FakeStreams(1250)
    poller._streams = streams
    cursor = _ShardCursor(iterator="0")

    # WHEN the reader polls the shard twice
    assert poller._poll_shard("shard-1", cursor)
    assert poller._poll_shard("shard-1", cursor)

    # THEN it asked for 1,000 records each time, and the handler had 13 batches of at most 100, in order
    assert streams.limits == [GET_RECORDS_LIMIT, GET_RECORDS_LIMIT]
    assert [len(b) for b in batches] == [100] * 12 + [50]
    assert [s for b in batches for s in b] == [r["dynamodb"]["SequenceNumber"] for r in streams.records]
    assert cursor.last_sequence == streams.records[-1]["dynamodb"]["SequenceNumber"]
    assert cursor.iterator == "1250"


def test_a_stop_between_batches_keeps_the_position_before_what_was_not_handed_over() -> None:
    # GIVEN a runner stopped while the second batch of a page is handled
    batches: list[list[str]] = []
    poller = _poller(batches, stop_after=2)
    poller._streams = FakeStreams(500)
    cursor = _ShardCursor(iterator="0")

    # WHEN the reader polls
    poller._poll_shard("shard-1", cursor)

    # THEN nothing more was handed over, and the position is after the first batch only (the second
    # may not have finished: a restart delivers it again, at least once)
    assert len(batches) == 2
    assert cursor.last_sequence == batches[0][-1]
    assert cursor.iterator == "0"


def _keyed_streams(tickets: int, per_ticket: int) -> FakeStreams:
    """Records of ``tickets`` items, interleaved, each item's in order (``k<item>`` is its partition key)."""
    streams = FakeStreams(tickets * per_ticket)
    for n, record in enumerate(streams.records):
        record["dynamodb"]["Keys"] = {"id": {"S": f"k{n % tickets}"}, "sk": {"S": f"v{n // tickets}"}}
    return streams


def test_with_a_parallelization_factor_each_item_keeps_its_order_and_the_lanes_run_side_by_side() -> None:
    # GIVEN a mapping of factor 4 whose handler waits until a second batch is being handled at the same time
    batches: list[list[str]] = []
    two_at_once = threading.Barrier(2, timeout=5)
    keys: dict[str, list[str]] = {}

    def handled(event: dict[str, Any]) -> None:
        for record in event["Records"]:
            keys.setdefault(record["dynamodb"]["Keys"]["id"]["S"], []).append(record["dynamodb"]["SequenceNumber"])
        if len(batches) <= 2:  # the first two batches: each waits for the other
            two_at_once.wait()  # raises BrokenBarrierError (a failed batch) if the lanes ran one after another

    poller = _poller(batches, on_batch=handled)
    poller.factor, poller.partition_key = 4, "id"
    poller._lanes = ThreadPoolExecutor(4)
    streams = _keyed_streams(tickets=40, per_ticket=15)
    poller._streams = streams
    cursor = _ShardCursor(iterator="0")

    # WHEN the reader polls the shard
    assert poller._poll_shard("shard-1", cursor)

    # THEN every record was handled once, no batch was over 100, each item's records in stream order, and
    # the checkpoint is after the last record
    assert not two_at_once.broken
    assert sorted(s for b in batches for s in b) == [r["dynamodb"]["SequenceNumber"] for r in streams.records]
    assert max(len(b) for b in batches) <= 100
    assert all(sequences == sorted(sequences) for sequences in keys.values()) and len(keys) == 40
    assert cursor.last_sequence == streams.records[-1]["dynamodb"]["SequenceNumber"]


def test_a_caught_up_poll_is_one_batch_in_stream_order_whatever_the_factor() -> None:
    # GIVEN a mapping of factor 4 and a poll that finds less than one batch (the consumer is caught up)
    batches: list[list[str]] = []
    poller = _poller(batches)
    poller.factor, poller.partition_key = 4, "id"
    poller._lanes = ThreadPoolExecutor(4)
    streams = _keyed_streams(tickets=20, per_ticket=3)
    poller._streams = streams

    # WHEN the reader polls
    assert poller._poll_shard("shard-1", _ShardCursor(iterator="0"))

    # THEN the handler had the 60 records as one batch, in stream order, not four lanes
    assert batches == [[r["dynamodb"]["SequenceNumber"] for r in streams.records]]


class _RecordedPacing:
    """Stands in for ``Pacing``: writes down each pause among the reader's reads."""

    def __init__(self, steps: list[str]) -> None:
        self._steps = steps

    def found_work(self) -> None:
        pass

    def pause(self, since_generation: int, stop: threading.Event) -> None:
        self._steps.append("pause")


@pytest.mark.parametrize(("waiting", "reads"), [(5, ["5", "pause", "0", "pause"]), (250, ["250", "0", "pause"])])
def test_a_reader_reads_on_at_once_only_while_it_finds_a_backlog(
    waiting: int, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a shard holding a few records (fewer than a batch of 100), or a backlog of 250
    poller = _poller([])
    streams = FakeStreams(waiting)
    steps: list[str] = []
    get_records = streams.get_records

    def read(ShardIterator: str, Limit: int) -> dict[str, Any]:
        answer = get_records(ShardIterator, Limit)
        steps.append(str(len(answer[WIRE_RECORDS]["Records"])))
        if len(steps) >= len(reads) - 1:
            poller._runner.stopping.set()
        return answer

    streams.get_records = read  # type: ignore[method-assign]
    poller._streams = streams
    monkeypatch.setattr(events, "Pacing", lambda *args: _RecordedPacing(steps))

    # WHEN its reader runs until it has read twice
    poller._read_shard("shard-1", _ShardCursor(iterator="0"))

    # THEN a few records are a reader caught up: it paces itself before reading again (the read at once after
    # them came back empty nearly always); a backlog is read on at once
    assert steps == reads


@pytest.mark.parametrize(("mapping", "fastest_seconds"), [("metrics", 1.0), ("realtime", 0.02), ("workflows", 0.02)])
def test_a_caught_up_reader_waits_out_its_mappings_batching_window_before_reading_again(
    mapping: str, fastest_seconds: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the app's three stream mappings (only metrics has a batching window, infra/stream_mappings.py)
    poller = _poller([], name=mapping)
    poller._streams = FakeStreams(3)
    paced_at: list[float] = []

    def pacing(activity: Any, fast_seconds: float) -> _RecordedPacing:
        paced_at.append(fast_seconds)
        poller._runner.stopping.set()
        return _RecordedPacing([])

    monkeypatch.setattr(events, "Pacing", pacing)

    # WHEN a reader starts on a shard
    poller._read_shard("shard-1", _ShardCursor(iterator="0"))

    # THEN its pauses are never shorter than the window (a poke included: Pacing's fast interval is its floor),
    # or the runner's poll interval where the mapping has none
    assert paced_at == [fastest_seconds]


def test_new_shards_are_looked_for_when_a_shard_ends_not_every_second_while_one_is_read() -> None:
    # GIVEN a mapping reading the one open shard of its stream, on a busy stack (poked every 50 ms)
    batches: list[list[str]] = []
    poller = _poller(batches)
    streams = _ShardedStreams(5)
    poller._streams = streams
    poller._stream_arn = ARN
    activity, stop = poller._runner.activity, poller._runner.stopping
    runner = threading.Thread(target=poller.run)
    runner.start()

    def busy_until(done: Callable[[], bool]) -> None:
        for _ in range(100):
            if done():
                return
            activity.poke()
            stop.wait(0.05)

    try:
        busy_until(lambda: len(batches) == 1)
        busy_until(lambda: False)  # 5 s of a busy stack

        # WHEN the shard ends, and its child opens
        streams.end()
        busy_until(lambda: len(batches) == 2)
    finally:
        stop.set()
        runner.join(10)

    # THEN the stream was described when the reader started and when its shard ended, not once a second
    # between; and the child's records were read after the parent's
    assert streams.described == 2
    assert [len(b) for b in batches] == [5, 3]


def test_a_record_off_the_wire_is_the_record_lambda_delivers() -> None:
    # GIVEN one GetRecords answer on the wire: a binary value, a set, a nested map, a fractional creation time
    image = {
        "pk": {"S": "T#1"},
        "blob": {"B": base64.b64encode(b"\x00\xffpulse").decode()},
        "tags": {"SS": ["a", "b"]},
        "nested": {"M": {"inner": {"L": [{"N": "1"}, {"B": base64.b64encode(b"x").decode()}]}}},
    }
    record = {
        "eventID": "e1",
        "eventName": "MODIFY",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "ddblocal",
        "dynamodb": {
            "ApproximateCreationDateTime": 1764460800.5,
            "Keys": {"pk": {"S": "T#1"}},
            "NewImage": image,
            "OldImage": image,
            "SequenceNumber": "000000000000000000042",
            "SizeBytes": 120,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
    }
    body = json.dumps({"Records": [record], "NextShardIterator": "next"}).encode()

    # WHEN the poller's client answers it, and botocore parses the same bytes as it would have
    response = {"status_code": 200, "headers": {}, "body": body}
    customized: dict[str, Any] = {}
    _records_unparsed(response_dict=response, customized_response_dict=customized)
    output = botocore.session.get_session().get_service_model("dynamodbstreams").operation_model("GetRecords")
    parsed = create_parser("json").parse({"status_code": 200, "headers": {}, "body": body}, output.output_shape)

    # THEN the poller hands the handler exactly what the parsed answer converts to (binary as base64, the
    # creation time in whole seconds), and botocore is left nothing to parse
    wire = customized[WIRE_RECORDS]
    assert wire["NextShardIterator"] == "next"
    delivered = lambda_record_from_wire(wire["Records"][0], ARN, "us-east-1")
    assert delivered == lambda_record_from_get_records(parsed["Records"][0], ARN, "us-east-1")
    assert (
        delivered["dynamodb"]["NewImage"] == image
        and delivered["dynamodb"]["ApproximateCreationDateTime"] == 1764460800
    )
    assert response["body"] == b"{}"


def test_an_error_answer_is_left_to_botocore() -> None:
    response = {"status_code": 400, "headers": {}, "body": b'{"__type": "ExpiredIteratorException"}'}
    customized: dict[str, Any] = {}
    _records_unparsed(response_dict=response, customized_response_dict=customized)
    assert customized == {} and response["body"] == b'{"__type": "ExpiredIteratorException"}'
