"""The delivery queue (SQS): each job waits there until its ``not_before``, one hop of at most
15 minutes at a time."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from chalicelib.domain.delivery import Job, queue_hop
from chalicelib.observability import metrics
from chalicelib.settings import get_settings

SQS_BATCH = 10


@lru_cache(maxsize=4)
def _sqs_client(endpoint: str | None, region: str | None) -> Any:
    import boto3  # loaded with the first client: most requests never make one

    return boto3.client("sqs", region_name=region)


def _sqs() -> Any:
    """Built on first use and again whenever the endpoint changes (moto, the local stack)."""
    return _sqs_client(os.environ.get("AWS_ENDPOINT_URL_SQS"), os.environ.get("AWS_DEFAULT_REGION"))


@lru_cache(maxsize=4)
def _resolved_queue_url(endpoint: str | None, name: str) -> str:
    return str(_sqs().get_queue_url(QueueName=name)["QueueUrl"])


def send_to_queue(url: str, name: str, body: str) -> None:
    """One message to an app queue named by its URL setting, or found by name (locally)."""
    target = url or _resolved_queue_url(os.environ.get("AWS_ENDPOINT_URL_SQS"), name)
    _sqs().send_message(QueueUrl=target, MessageBody=body)


def queue_url() -> str:
    settings = get_settings()
    if settings.notifications_queue_url:
        return settings.notifications_queue_url
    return _resolved_queue_url(os.environ.get("AWS_ENDPOINT_URL_SQS"), settings.notifications_queue_name)


def enqueue(jobs: Iterable[Job], now: float | None = None) -> int:
    """Sends each job, delayed until its ``not_before`` (one hop of at most 15 minutes; the consumer
    sends it on again if it arrives early). Raises if any message was not accepted."""
    moment = time.time() if now is None else now
    entries = [
        {"Id": str(i), "MessageBody": json.dumps(job.to_dict()), "DelaySeconds": queue_hop(job.not_before, moment)}
        for i, job in enumerate(jobs)
    ]
    for start in range(0, len(entries), SQS_BATCH):
        answer = _sqs().send_message_batch(QueueUrl=queue_url(), Entries=entries[start : start + SQS_BATCH])
        if answer.get("Failed"):
            raise RuntimeError(f"the notification queue refused {len(answer['Failed'])} message(s)")
    if entries:
        metrics.add_metric(name="NotificationsEnqueued", unit="Count", value=len(entries))
    return len(entries)
