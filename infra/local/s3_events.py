"""S3 event sources (``@app.on_s3_event``) in the local event runner.

In AWS, Chalice points the bucket's notification configuration at the function and S3 invokes it
asynchronously with one record per event. Locally, moto server's S3 delivers the same notification to an
SQS queue (a bucket notification moto implements), which this poller long-polls: it blocks in
ReceiveMessage while nothing happens, so an idle runner makes one cheap request per wait and never spins.
Each notification becomes one invocation of the handler with the record as S3 shapes it for Lambda; a
failing invocation is retried twice, as Lambda retries an asynchronous invocation, and then dead-lettered.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import TYPE_CHECKING, Any

import boto3
from chalice.app import S3EventConfig

from infra.local.batches import DeadLetter
from infra.local.lambda_events import s3_record_as_lambda_gets_it

if TYPE_CHECKING:
    from infra.local.events import EventSourceRunner

log = logging.getLogger("pulsedesk.local")
LONG_POLL_SECONDS = 2  # how long one ReceiveMessage waits for a notification (bounds stop())
ASYNC_INVOKE_RETRIES = 2  # Lambda retries a failed asynchronous invocation twice
_notification_lock = threading.Lock()  # several handlers may share a bucket: read-modify-write its config


def notification_id(app_name: str, source: S3EventConfig) -> str:
    """One per app and handler: two apps on the same engines (tests) each get every notification."""
    return f"{app_name}-{source.name}"[:64]


def _filter_rules(source: S3EventConfig) -> list[dict[str, str]]:
    rules = []
    if source.prefix:
        rules.append({"Name": "prefix", "Value": source.prefix})
    if source.suffix:
        rules.append({"Name": "suffix", "Value": source.suffix})
    return rules


class S3NotificationPoller:
    def __init__(self, source: S3EventConfig, runner: EventSourceRunner) -> None:
        self.name = source.name
        self._source = source
        self._runner = runner
        session = boto3.session.Session(region_name=runner.config.region)
        self._sqs = session.client("sqs", endpoint_url=runner.config.sqs_endpoint)
        self._s3 = session.client("s3", endpoint_url=runner.config.s3_endpoint or runner.config.sqs_endpoint)
        self._invoke = runner.invoker(source.name)
        self._id = notification_id(runner.app_name, source)
        self._queue_url = ""

    def prepare(self) -> None:
        """What ``chalice deploy`` does for the function: point the bucket's notifications at it."""
        self._queue_url = self._sqs.create_queue(QueueName=f"s3-notifications-{self._id}")["QueueUrl"]
        arn = self._sqs.get_queue_attributes(QueueUrl=self._queue_url, AttributeNames=["QueueArn"])
        wanted: dict[str, Any] = {
            "Id": self._id,
            "QueueArn": arn["Attributes"]["QueueArn"],
            "Events": list(self._source.events),
        }
        if rules := _filter_rules(self._source):
            wanted["Filter"] = {"Key": {"FilterRules": rules}}
        with _notification_lock:
            current = self._s3.get_bucket_notification_configuration(Bucket=self._source.bucket)
            current.pop("ResponseMetadata", None)
            queues = [q for q in current.get("QueueConfigurations", []) if q.get("Id") != self._id]
            current["QueueConfigurations"] = [*queues, wanted]
            self._s3.put_bucket_notification_configuration(
                Bucket=self._source.bucket, NotificationConfiguration=current
            )

    def run(self) -> None:
        stop = self._runner.stopping
        while not stop.is_set():
            try:
                self._receive_and_invoke()
            except Exception:
                log.exception("S3 notification poller %s failed; retrying", self.name)
                stop.wait(1.0)

    def _receive_and_invoke(self) -> None:
        messages = self._sqs.receive_message(
            QueueUrl=self._queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=LONG_POLL_SECONDS
        ).get("Messages", [])
        for message in messages:
            for record in json.loads(message["Body"]).get("Records", []):  # s3:TestEvent has none
                self._invoke_with_retries(s3_record_as_lambda_gets_it(record))
            self._sqs.delete_message(QueueUrl=self._queue_url, ReceiptHandle=message["ReceiptHandle"])

    def _invoke_with_retries(self, record: dict[str, Any]) -> None:
        policy = self._runner.config.retry
        retries = min(ASYNC_INVOKE_RETRIES, policy.max_retries)
        for attempt in range(retries + 1):
            if attempt and self._runner.stopping.wait(policy.delay(attempt)):
                return
            try:
                self._invoke({"Records": [record]})
                return
            except Exception as error:
                log.exception("S3 event handler %s raised (attempt %d)", self.name, attempt + 1)
                reason = f"handler raised {error!r}"
        self._runner.dead_letters.add(DeadLetter(self.name, reason, [record]))
