"""SQS queues: every queue the app names in its settings or consumes, each with a dead-letter queue.

A setting ``<thing>_queue_name`` (and its ``<thing>_queue_url``) declares a queue the app sends to; an
``@app.on_sqs_message`` handler declares one it consumes. Both are found, so a new one needs no edit here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from infra.aws import encryption
from infra.aws.stage import Stage, pascal

Json = dict[str, Any]

MAX_RECEIVE_COUNT = 5
DLQ_RETENTION_SECONDS = 14 * 24 * 3600
VISIBILITY_TIMEOUT_FACTOR = 6  # AWS's advice for a queue that triggers Lambda: 6 x the function timeout


@dataclass(frozen=True)
class AppQueue:
    name: str
    logical_id: str
    url_variable: str | None = None
    name_variable: str | None = None

    @property
    def dlq_logical_id(self) -> str:
        return self.logical_id.removesuffix("Queue") + "DeadLetterQueue"

    @property
    def arn(self) -> Json:
        return {"Fn::GetAtt": [self.logical_id, "Arn"]}

    def environment(self) -> Json:
        variables: Json = {}
        if self.url_variable:
            variables[self.url_variable] = {"Ref": self.logical_id}
        if self.name_variable:
            variables[self.name_variable] = self.name
        return variables


def stream_failures_queue(stage: Stage) -> AppQueue:
    """On-failure destination of every stream mapping: Lambda sends it the batch's shard and sequence range,
    and its consumer saves the records (a queue of the settings, ``stream_failures_queue_name``)."""
    name = _settings(stage).stream_failures_queue_name
    return next(queue for queue in _settings_queues(stage) if queue.name == name)


def app_queues(stage: Stage, consumed_queue_names: list[str]) -> list[AppQueue]:
    queues = {queue.name: queue for queue in _settings_queues(stage)}
    for name in consumed_queue_names:
        queues.setdefault(name, AppQueue(name=name, logical_id=_logical_id(stage, name)))
    return list(queues.values())


def _settings_queues(stage: Stage) -> list[AppQueue]:
    settings = _settings(stage)
    fields = {field.name for field in dataclasses.fields(settings)}
    queues = []
    for field in sorted(fields):
        if not field.endswith("_queue_name"):
            continue
        url_field = field.removesuffix("_name") + "_url"
        queues.append(
            AppQueue(
                name=getattr(settings, field),
                logical_id=_logical_id(stage, getattr(settings, field)),
                url_variable=_variable(url_field) if url_field in fields else None,
                name_variable=_variable(field),
            )
        )
    return queues


def _settings(stage: Stage) -> Any:
    stage.app  # noqa: B018 - importing the app applies the stage environment first
    from chalicelib.settings import get_settings

    return get_settings()


def _variable(field: str) -> str:
    """The settings module's convention: field ``foo_bar`` is read from ``PULSEDESK_FOO_BAR``."""
    return "PULSEDESK_" + field.upper()


def _logical_id(stage: Stage, name: str) -> str:
    short = name.removeprefix(stage.table_prefix).removeprefix(stage.resource_prefix + "-")
    return pascal(short) + "Queue"


def queue_resources(queues: list[AppQueue], consumer_timeout_seconds: int) -> dict[str, Json]:
    resources: dict[str, Json] = {}
    for queue in queues:
        resources[queue.dlq_logical_id] = _queue(f"{queue.name}-dlq", {"MessageRetentionPeriod": DLQ_RETENTION_SECONDS})
        resources[queue.logical_id] = _queue(
            queue.name,
            {
                "VisibilityTimeout": VISIBILITY_TIMEOUT_FACTOR * consumer_timeout_seconds,
                "RedrivePolicy": {
                    "deadLetterTargetArn": {"Fn::GetAtt": [queue.dlq_logical_id, "Arn"]},
                    "maxReceiveCount": MAX_RECEIVE_COUNT,
                },
            },
        )
    return resources


def _queue(name: str, properties: Json) -> Json:
    return {
        "Type": "AWS::SQS::Queue",
        "Properties": {"QueueName": name, "KmsMasterKeyId": encryption.key_arn(), **properties},
    }
