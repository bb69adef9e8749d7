"""The local harness itself, proven with a throwaway Chalice app (independent of Pulsedesk's):
REST through Chalice's local gateway, the WebSocket gateway and its management API, the
DynamoDB stream runner with Lambda's partial-batch semantics, the static front and the outbox."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from chalice.app import Chalice, CloudWatchEvent, DynamoDBEvent, Rate, Response, SQSEvent, WebsocketEvent
from pynamodb.attributes import BinaryAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from infra.local.batches import RetryPolicy
from infra.local.processes import LOOPBACK, PortInUseError
from infra.local.stack import LocalEngines, LocalStack
from infra.local.tables import ensure_tables
from tests.events.dynamodb import stream_record

HARNESS_TABLE = "harness-items"
HARNESS_STREAM_ARN = f"arn:aws:dynamodb:us-east-1:123456789012:table/{HARNESS_TABLE}/stream/2024-01-01T00:00:00.000"
WS_TOKEN = "let-me-in"
HARNESS_QUEUE = "harness-jobs"
HARNESS_FAILURES = "harness-stream-failures"  # the stream mapping's on-failure destination


class HarnessItem(Model):
    class Meta:
        table_name = HARNESS_TABLE
        billing_mode = "PAY_PER_REQUEST"
        stream_view_type = "NEW_AND_OLD_IMAGES"

    item_id = UnicodeAttribute(hash_key=True)
    fail_times = NumberAttribute(default=0)
    raise_times = NumberAttribute(default=0)
    blob = BinaryAttribute(null=True, legacy_encoding=False)
    expires = TTLAttribute(null=True)


@dataclass
class Recorder:
    """What the throwaway app's handlers saw, for the tests to read."""

    deliveries: list[dict[str, Any]] = field(default_factory=list)
    batch_sizes: list[int] = field(default_factory=list)  # records per stream invocation
    queue_messages: list[dict[str, Any]] = field(default_factory=list)
    scheduled: list[dict[str, Any]] = field(default_factory=list)
    stream_failures: list[dict[str, Any]] = field(default_factory=list)
    disconnected: list[str] = field(default_factory=list)
    failures_given: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def deliveries_of(self, item_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.deliveries if r["dynamodb"]["Keys"]["item_id"]["S"] == item_id]


def build_harness_app(recorder: Recorder) -> Chalice:
    app = Chalice(app_name="harness")

    @app.route("/api/echo/{name}", methods=["GET", "POST"])
    def echo(name: str) -> Response:
        request = app.current_request
        assert request is not None
        return Response(
            body={
                "name": name,
                "method": request.method,
                "query": request.query_params,
                "body": request.raw_body.decode() if isinstance(request.raw_body, bytes) else None,
                "source_ip": request.context["identity"]["sourceIp"],
                "request_id": request.context.get("requestId"),
            },
            status_code=201 if request.method == "POST" else 200,
            headers={"X-Single": "one", "Set-Cookie": ["a=1", "b=2"]},
        )

    @app.on_ws_connect()
    def ws_connect(event: WebsocketEvent) -> Response:
        query = event.to_dict().get("queryStringParameters") or {}
        return Response(body="", status_code=200 if query.get("token") == WS_TOKEN else 401)

    @app.on_ws_message()
    def ws_message(event: WebsocketEvent) -> None:
        management = boto3.client(
            "apigatewaymanagementapi", endpoint_url=os.environ["PULSEDESK_WS_MANAGEMENT_ENDPOINT"]
        )
        if event.body == "whoami":
            info = management.get_connection(ConnectionId=event.connection_id)
            reply = json.dumps({"id": event.connection_id, "ip": info["Identity"]["SourceIp"]})
        elif event.body == "bye":
            management.delete_connection(ConnectionId=event.connection_id)
            return
        else:
            reply = f"echo:{event.body}"
        management.post_to_connection(ConnectionId=event.connection_id, Data=reply.encode())

    @app.on_ws_disconnect()
    def ws_disconnect(event: WebsocketEvent) -> None:
        with recorder.lock:
            recorder.disconnected.append(event.connection_id)

    @app.on_dynamodb_record(stream_arn=HARNESS_STREAM_ARN, batch_size=10, starting_position="LATEST")
    def on_item_change(event: DynamoDBEvent) -> dict[str, Any]:
        failed: list[str] = []
        with recorder.lock:
            recorder.batch_sizes.append(len(event.to_dict()["Records"]))
        for record in event:  # Chalice parses each record: the shape must be Lambda's
            raw = record.to_dict()
            with recorder.lock:
                recorder.deliveries.append(raw)
            if _should_fail(recorder, raw, "raise_times"):
                raise RuntimeError("handler crashed")
            if _should_fail(recorder, raw, "fail_times"):
                failed.append(record.sequence_number)
        return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}

    @app.on_sqs_message(queue=HARNESS_QUEUE, batch_size=5)
    def on_job(event: SQSEvent) -> dict[str, Any]:
        failed = []
        for record in event:
            raw = record.to_dict()
            with recorder.lock:
                recorder.queue_messages.append(raw)
                first_time = sum(m["body"] == raw["body"] for m in recorder.queue_messages) == 1
            if raw["body"] == "fail-once" and first_time:
                failed.append(raw["messageId"])
        return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}

    @app.on_sqs_message(queue=HARNESS_FAILURES, batch_size=1)
    def on_stream_failure(event: SQSEvent) -> None:
        for record in event:
            with recorder.lock:
                recorder.stream_failures.append(json.loads(record.body))

    @app.schedule(Rate(5, unit=Rate.MINUTES))
    def housekeeping(event: CloudWatchEvent) -> None:
        with recorder.lock:
            recorder.scheduled.append(event.to_dict())

    return app


def _should_fail(recorder: Recorder, raw: dict[str, Any], counter: str) -> bool:
    image = raw["dynamodb"].get("NewImage", {})
    item_id = image.get("item_id", {}).get("S", "")
    wanted = int(image.get(counter, {}).get("N", "0"))
    key = f"{item_id}/{counter}"
    with recorder.lock:
        given = recorder.failures_given.get(key, 0)
        if given >= wanted:
            return False
        recorder.failures_given[key] = given + 1
        return True


@pytest.fixture(scope="module")
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture(scope="module")
def frontend_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    (dist / "index.html").write_text("<!doctype html><title>spa</title>")
    (dist / "assets").mkdir()
    (dist / "assets" / "app.js").write_text("console.log('app')")
    return dist


@pytest.fixture(scope="module")
def harness(
    local_engines: LocalEngines,
    recorder: Recorder,
    frontend_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LocalStack]:
    ensure_tables([HarnessItem])
    sqs = boto3.client("sqs", endpoint_url=local_engines.moto_endpoint, region_name="us-east-1")
    sqs.create_queue(QueueName=HARNESS_QUEUE, Attributes={"VisibilityTimeout": "1"})  # failures return soon
    stack = LocalStack(
        tmp_path_factory.mktemp("harness"),
        front_port=0,
        engines=local_engines,
        app=build_harness_app(recorder),
        frontend_dir=frontend_dir,
        retry=RetryPolicy(max_retries=2, base_delay_seconds=0.01, max_delay_seconds=0.05),
        schedule_seconds=0.05,
        stream_failure_queue=HARNESS_FAILURES,
    )
    stack.start()
    yield stack
    stack.stop()


# --- helpers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    headers: Any
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def http(method: str, url: str, body: bytes | None = None) -> HttpAnswer:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return HttpAnswer(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return HttpAnswer(error.code, error.headers, error.read())


def wait_for(condition: Callable[[], bool], what: str, timeout_seconds: float = 15.0) -> None:
    """Poll until ``condition`` holds; the deadline only bounds a hang, it measures nothing."""
    deadline = time.monotonic() + timeout_seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def management_client(stack: LocalStack) -> Any:
    return boto3.client("apigatewaymanagementapi", endpoint_url=stack.private_url, region_name="us-east-1")


# --- REST ------------------------------------------------------------------------------------


def test_rest_round_trip_passes_status_headers_body_and_client_ip(harness: LocalStack) -> None:
    # WHEN a POST with a query string and a body reaches /api/...
    answer = http("POST", f"{harness.base_url}/api/echo/widget?colour=red", body=b'{"hello": 1}')

    # THEN the Chalice route answered through API Gateway's event shape
    assert answer.status == 201
    payload = answer.json()
    assert payload["name"] == "widget"
    assert payload["method"] == "POST"
    assert payload["query"] == {"colour": "red"}
    assert payload["body"] == '{"hello": 1}'
    assert payload["source_ip"] == LOOPBACK
    assert payload["request_id"]
    assert answer.headers["X-Single"] == "one"
    assert answer.headers.get_all("Set-Cookie") == ["a=1", "b=2"]


def test_unknown_api_route_gets_the_deployed_gateway_response(harness: LocalStack) -> None:
    answer = http("GET", f"{harness.base_url}/api/nowhere")

    assert answer.status == 404
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.json()["status"] == 404


def assert_problem(answer: HttpAnswer, status: int) -> None:
    assert answer.status == status, answer.body[:200]
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.json()["status"] == status
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Cache-Control"] == "no-store"


def test_a_url_over_8_kb_is_a_problem_that_does_not_echo_the_url(harness: LocalStack) -> None:
    marker = "zq" * 4500  # a request line over aiohttp's 8190 bytes

    answer = http("GET", f"{harness.base_url}/api/echo/x?{marker}")

    assert_problem(answer, 400)
    assert b"zqzq" not in answer.body


def test_a_path_with_a_newline_is_routed_like_any_other(harness: LocalStack) -> None:
    # the SPA takes any page path; the API gets the path to route (Chalice's local code leaves it encoded)
    assert http("GET", f"{harness.base_url}/tickets/a%0Ab").body.startswith(b"<!doctype html><title>spa")
    assert http("GET", f"{harness.base_url}/api/echo/a%0Ab").status == 200
    assert_problem(http("GET", f"{harness.base_url}/api/nowhere/a%0Ab"), 404)


def test_the_fronts_own_errors_are_problems(harness: LocalStack) -> None:
    assert_problem(http("POST", f"{harness.base_url}/tickets", body=b"{}"), 405)
    assert_problem(http("GET", f"{harness.base_url}/assets/missing.js"), 404)
    assert_problem(http("GET", f"{harness.base_url}/ws"), 426)


def test_local_only_endpoints_are_not_on_the_public_port(harness: LocalStack) -> None:
    # GIVEN a live socket whose id is known
    with connect(f"{harness.ws_url}?token={WS_TOKEN}") as socket:
        socket.send("whoami")
        connection_id = json.loads(socket.recv(timeout=10))["id"]

        # WHEN a client of the public port asks for the outbox or the management API
        outbox = http("GET", f"{harness.base_url}/_local/outbox")
        pushed = http("POST", f"{harness.base_url}/@connections/{connection_id}", body=b'"spoofed"')
        staged = http("GET", f"{harness.base_url}/api/@connections/{connection_id}")

        # THEN nothing answers there: a GET is just another page of the SPA, a POST no route
        assert outbox.headers["Content-Type"].startswith("text/html")
        assert outbox.body.startswith(b"<!doctype html><title>spa")
        assert_problem(pushed, 405)
        assert staged.status == 404
        # and the private port still has both
        assert http("GET", f"{harness.private_url}/_local/outbox").status == 200
        assert management_client(harness).get_connection(ConnectionId=connection_id)["Identity"]
        socket.send("ping")
        assert socket.recv(timeout=10) == "echo:ping"  # "spoofed" never arrived


# --- static front and outbox -----------------------------------------------------------------


def test_static_front_serves_files_and_falls_back_to_index_for_client_routes(harness: LocalStack) -> None:
    assert http("GET", f"{harness.base_url}/").body.startswith(b"<!doctype html><title>spa")
    assert http("GET", f"{harness.base_url}/assets/app.js").body == b"console.log('app')"
    assert http("GET", f"{harness.base_url}/tickets/42").body.startswith(b"<!doctype html><title>spa")
    assert http("GET", f"{harness.base_url}/assets/missing.js").status == 404
    assert b"root:" not in http("GET", f"{harness.base_url}/%2e%2e/%2e%2e/etc/passwd").body


def test_outbox_lists_email_sent_through_ses(harness: LocalStack) -> None:
    # GIVEN an email sent with SES from the verified sender
    ses = boto3.client("ses", endpoint_url=harness.moto_endpoint, region_name="us-east-1")
    ses.send_email(
        Source="support@pulsedesk.local",
        Destination={"ToAddresses": ["customer@example.com"]},
        Message={"Subject": {"Data": "Your ticket #7"}, "Body": {"Text": {"Data": "We are on it."}}},
    )

    # WHEN the outbox is read
    outbox = http("GET", f"{harness.private_url}/_local/outbox").json()

    # THEN it is there, normalised
    sent = [mail for mail in outbox if mail["subject"] == "Your ticket #7"]
    assert sent == [
        {
            "id": sent[0]["id"],
            "kind": "simple",
            "from": "support@pulsedesk.local",
            "to": ["customer@example.com"],
            "cc": [],
            "bcc": [],
            "subject": "Your ticket #7",
            "text": "We are on it.",
            "html": None,
        }
    ]


# --- WebSocket -------------------------------------------------------------------------------


def test_ws_message_is_echoed_through_the_management_api(harness: LocalStack, recorder: Recorder) -> None:
    with connect(f"{harness.ws_url}?token={WS_TOKEN}") as socket:
        socket.send("ping")
        assert socket.recv(timeout=10) == "echo:ping"

        socket.send("whoami")
        who = json.loads(socket.recv(timeout=10))
    assert who["ip"] == LOOPBACK
    wait_for(lambda: who["id"] in recorder.disconnected, "$disconnect of the closed socket")


def test_a_frame_cannot_select_the_disconnect_route(harness: LocalStack, recorder: Recorder) -> None:
    with connect(f"{harness.ws_url}?token={WS_TOKEN}") as socket:
        socket.send("whoami")
        connection_id = json.loads(socket.recv(timeout=10))["id"]

        # WHEN a client frame names the gateway's own route keys
        socket.send(json.dumps({"action": "$disconnect"}))
        socket.send(json.dumps({"action": "$connect"}))

        # THEN they went to $default (echoed) and the connection lives on
        assert socket.recv(timeout=10) == 'echo:{"action": "$disconnect"}'
        assert socket.recv(timeout=10) == 'echo:{"action": "$connect"}'
        assert connection_id not in recorder.disconnected


def test_a_frame_nested_past_the_parsers_stack_goes_to_default(harness: LocalStack) -> None:
    with connect(f"{harness.ws_url}?token={WS_TOKEN}") as socket:
        socket.send("[" * 5000)

        assert socket.recv(timeout=10) == "echo:" + "[" * 5000
        socket.send("ping")
        assert socket.recv(timeout=10) == "echo:ping"


def test_connect_refused_by_the_handler_refuses_the_upgrade(harness: LocalStack) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{harness.ws_url}?token=wrong")

    assert refused.value.response.status_code == 401


def test_posting_to_a_dead_connection_raises_gone(harness: LocalStack) -> None:
    client = management_client(harness)

    with pytest.raises(client.exceptions.GoneException):
        client.post_to_connection(ConnectionId="bm90LWEtc29ja2V0", Data=b"hello?")


def test_deleting_a_connection_closes_the_socket_and_then_it_is_gone(harness: LocalStack, recorder: Recorder) -> None:
    # GIVEN a live connection that learns its id
    with connect(f"{harness.ws_url}?token={WS_TOKEN}") as socket:
        socket.send("whoami")
        connection_id = json.loads(socket.recv(timeout=10))["id"]
        client = management_client(harness)
        assert client.get_connection(ConnectionId=connection_id)["Identity"]["SourceIp"] == LOOPBACK

        # WHEN the app deletes it through the management API
        socket.send("bye")
        wait_for(lambda: connection_id in recorder.disconnected, "$disconnect after delete")

    # THEN the gateway answers GoneException for it
    with pytest.raises(client.exceptions.GoneException):
        client.post_to_connection(ConnectionId=connection_id, Data=b"late")


# --- DynamoDB stream -------------------------------------------------------------------------


def test_tables_from_models_have_stream_and_ttl_and_creation_is_idempotent(harness: LocalStack) -> None:
    ensure_tables([HarnessItem])  # a second time: no error

    dynamodb = boto3.client("dynamodb", endpoint_url=harness.dynamodb_endpoint, region_name="us-east-1")
    table = dynamodb.describe_table(TableName=HARNESS_TABLE)["Table"]
    ttl = dynamodb.describe_time_to_live(TableName=HARNESS_TABLE)["TimeToLiveDescription"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}


def test_stream_records_reach_the_handler_in_lambdas_shape(harness: LocalStack, recorder: Recorder) -> None:
    # GIVEN an item written, then changed
    item = HarnessItem(item_id="shape", blob=b"\x00\x01")
    item.save()
    item.update(actions=[HarnessItem.blob.set(b"\x02")])

    # WHEN the runner delivers both changes
    wait_for(lambda: len(recorder.deliveries_of("shape")) == 2, "two stream records for 'shape'")

    # THEN each record is what Lambda hands over
    inserted, modified = recorder.deliveries_of("shape")
    assert inserted["eventName"] == "INSERT"
    assert modified["eventName"] == "MODIFY"
    assert inserted["eventSource"] == "aws:dynamodb"
    assert inserted["eventSourceARN"] == HARNESS_STREAM_ARN
    assert inserted["awsRegion"] == "us-east-1"
    assert isinstance(inserted["dynamodb"]["ApproximateCreationDateTime"], int)
    assert inserted["dynamodb"]["Keys"] == {"item_id": {"S": "shape"}}
    assert inserted["dynamodb"]["NewImage"]["blob"] == {"B": "AAE="}
    assert "OldImage" not in inserted["dynamodb"]
    assert modified["dynamodb"]["OldImage"]["item_id"] == {"S": "shape"}
    assert int(modified["dynamodb"]["SequenceNumber"]) > int(inserted["dynamodb"]["SequenceNumber"])


def test_the_stream_event_builder_makes_what_the_runner_delivers(harness: LocalStack, recorder: Recorder) -> None:
    # GIVEN a record the runner delivered from DynamoDB Local
    HarnessItem(item_id="twin", blob=b"\x07").save()
    wait_for(lambda: bool(recorder.deliveries_of("twin")), "delivery of 'twin'")
    delivered = recorder.deliveries_of("twin")[0]

    # WHEN the test builder makes the same change from the item
    built = stream_record(new_image=HarnessItem(item_id="twin", blob=b"\x07"), stream_arn=HARNESS_STREAM_ARN)

    # THEN both have one shape, and the same keys and image
    assert built.keys() == delivered.keys()
    assert built["dynamodb"].keys() == delivered["dynamodb"].keys()
    assert built["dynamodb"]["Keys"] == delivered["dynamodb"]["Keys"]
    assert built["dynamodb"]["NewImage"] == delivered["dynamodb"]["NewImage"]
    assert {k: v for k, v in built.items() if k not in ("eventID", "dynamodb")} == {
        k: v for k, v in delivered.items() if k not in ("eventID", "dynamodb")
    }


def test_a_burst_is_delivered_once_in_order_in_batches_of_the_declared_size(
    harness: LocalStack, recorder: Recorder
) -> None:
    # GIVEN more records at once than one GetRecords call returns
    with recorder.lock:
        recorder.batch_sizes.clear()
    ids = [f"burst-{n:04d}" for n in range(1200)]
    with HarnessItem.batch_write() as batch:
        for item_id in ids:
            batch.save(HarnessItem(item_id=item_id))

    # WHEN the runner has delivered them
    wait_for(lambda: all(recorder.deliveries_of(i) for i in ids[-5:]), "the burst delivered", timeout_seconds=120)

    # THEN each was delivered once, in the stream's order, and no invocation had more than the mapping's
    # batch size (10), though the runner reads up to a thousand records at a time
    with recorder.lock:
        burst = [r for r in recorder.deliveries if r["dynamodb"]["Keys"]["item_id"]["S"].startswith("burst-")]
        sizes = list(recorder.batch_sizes)
    assert sorted(r["dynamodb"]["Keys"]["item_id"]["S"] for r in burst) == ids
    sequences = [int(r["dynamodb"]["SequenceNumber"]) for r in burst]
    assert sequences == sorted(sequences)
    assert max(sizes) == 10


def test_partial_batch_failure_retries_from_the_first_failed_record(harness: LocalStack, recorder: Recorder) -> None:
    # GIVEN three writes, the middle one failing twice before it succeeds
    HarnessItem(item_id="before").save()
    HarnessItem(item_id="flaky", fail_times=2).save()
    HarnessItem(item_id="after").save()

    # WHEN the runner has delivered everything
    wait_for(lambda: len(recorder.deliveries_of("flaky")) == 3, "three deliveries of 'flaky'")
    wait_for(lambda: bool(recorder.deliveries_of("after")), "delivery of 'after'")

    # THEN the record before the failure was not redelivered, the failed one was retried until it
    # succeeded, and nothing was given up
    assert len(recorder.deliveries_of("before")) == 1
    assert len(recorder.deliveries_of("flaky")) == 3
    assert not [letter for letter in harness.dead_letters if _mentions(letter.records, "flaky")]


def test_a_handler_exception_retries_the_whole_batch(harness: LocalStack, recorder: Recorder) -> None:
    HarnessItem(item_id="crashy", raise_times=1).save()

    wait_for(lambda: len(recorder.deliveries_of("crashy")) == 2, "redelivery of 'crashy'")


def test_a_record_failing_beyond_the_retries_becomes_a_dead_letter(harness: LocalStack, recorder: Recorder) -> None:
    # GIVEN a record that always fails, then a healthy one
    HarnessItem(item_id="poison", fail_times=1000).save()
    HarnessItem(item_id="healthy").save()

    # WHEN the retries (2 here) are used up
    wait_for(lambda: any(_mentions(letter.records, "poison") for letter in harness.dead_letters), "a dead letter")

    # THEN the poison record was tried 1 + 2 times, set aside, and the stream moved on
    assert len(recorder.deliveries_of("poison")) == 3
    HarnessItem(item_id="later").save()
    wait_for(lambda: bool(recorder.deliveries_of("later")), "delivery of a record written after the dead letter")
    assert recorder.deliveries_of("healthy")


def test_a_batch_given_up_on_reaches_the_failure_queue_as_lambda_announces_it(
    harness: LocalStack, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.data.stream_records import read_range  # what the app's stream_failures consumer reads with

    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", harness.dynamodb_endpoint)

    def pointed_at(message: dict[str, Any]) -> list[dict[str, Any]]:
        info = message["DDBStreamBatchInfo"]
        return read_range(info["streamArn"], info["shardId"], info["startSequenceNumber"], info["endSequenceNumber"])

    def announcements() -> list[dict[str, Any]]:
        with recorder.lock:
            sent = list(recorder.stream_failures)
        return [m for m in sent if _mentions(pointed_at(m), "lost")]

    # GIVEN a record its consumer always fails on
    HarnessItem(item_id="lost", fail_times=1000).save()
    # WHEN the retries (2 here) are used up
    wait_for(lambda: bool(announcements()), "the on-failure message for 'lost'", timeout_seconds=30)
    # THEN the failure queue's consumer got Lambda's pointer: the shard and range, not the records,
    # and the range reads back from the stream to the record given up on
    [message] = announcements()
    assert message["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert message["requestContext"]["functionArn"].endswith(":function:harness-dev-on_item_change")
    assert message["requestContext"]["approximateInvokeCount"] == 3
    assert message["version"] == "1.0" and "functionError" not in message["responseContext"]
    info = message["DDBStreamBatchInfo"]
    assert info["batchSize"] == 1 and info["startSequenceNumber"] == info["endSequenceNumber"]
    [record] = pointed_at(message)
    assert record["eventName"] == "INSERT"
    assert record["dynamodb"]["NewImage"]["fail_times"] == {"N": "1000"}


def _mentions(records: list[dict[str, Any]], item_id: str) -> bool:
    return any(record["dynamodb"]["Keys"]["item_id"]["S"] == item_id for record in records)


# --- SQS and schedules ----------------------------------------------------------------------


def test_queue_messages_reach_the_handler_and_a_reported_failure_comes_back(
    harness: LocalStack, recorder: Recorder
) -> None:
    # GIVEN two messages on the app's queue, one failing the first time
    sqs = boto3.client("sqs", endpoint_url=harness.moto_endpoint, region_name="us-east-1")
    queue_url = sqs.get_queue_url(QueueName=HARNESS_QUEUE)["QueueUrl"]
    sqs.send_message(QueueUrl=queue_url, MessageBody="fine")
    sqs.send_message(QueueUrl=queue_url, MessageBody="fail-once")

    # WHEN the runner has delivered both, and the failed one again after its visibility timeout
    def bodies() -> list[str]:
        with recorder.lock:
            return [m["body"] for m in recorder.queue_messages]

    wait_for(lambda: bodies().count("fail-once") == 2, "redelivery of the failed message")

    # THEN the record is Lambda's, the success was deleted (delivered once) and the queue is empty
    record = next(m for m in recorder.queue_messages if m["body"] == "fine")
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"].endswith(f":{HARNESS_QUEUE}")
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert bodies().count("fine") == 1
    wait_for(lambda: _visible_and_in_flight(sqs, queue_url) == 0, "the queue to drain")


def _visible_and_in_flight(sqs: Any, queue_url: str) -> int:
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return sum(int(attributes[name]) for name in names)


def test_schedules_invoke_their_handler_with_an_eventbridge_event(harness: LocalStack, recorder: Recorder) -> None:
    wait_for(lambda: bool(recorder.scheduled), "a scheduled invocation")

    event = recorder.scheduled[0]
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] == "aws.events"
    assert event["resources"][0].endswith(":rule/housekeeping")


# --- ports -----------------------------------------------------------------------------------


def test_a_taken_port_is_reported_in_one_line_naming_the_variable(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind((LOOPBACK, 0))
        taken.listen()
        port = taken.getsockname()[1]
        stack = LocalStack(tmp_path, front_port=port, dynamodb_port=0, moto_port=0)

        with pytest.raises(PortInUseError) as error:
            stack.start()

    assert str(error.value) == (
        f"port {port} is already in use; stop what uses it or set PULSEDESK_PORT to another port"
    )


# --- restart -------------------------------------------------------------------------------------


def test_a_restarted_stack_resumes_its_streams_where_it_stopped(
    local_engines: LocalEngines, frontend_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    ensure_tables([HarnessItem])
    recorder = Recorder()
    data_dir = tmp_path_factory.mktemp("restart")

    def serve() -> LocalStack:
        stack = LocalStack(
            data_dir, front_port=0, engines=local_engines, app=build_harness_app(recorder), frontend_dir=frontend_dir
        )
        stack.start()
        return stack

    first = serve()
    HarnessItem("before-restart").save()
    wait_for(lambda: bool(recorder.deliveries_of("before-restart")), "the first delivery")
    first.stop()
    HarnessItem("while-stopped").save()  # Lambda's mapping would deliver this after a redeploy
    second = serve()
    try:
        wait_for(lambda: bool(recorder.deliveries_of("while-stopped")), "the record written while stopped")
        assert len(recorder.deliveries_of("before-restart")) == 1, "nothing is delivered twice"
    finally:
        second.stop()
