"""The notification queue on moto server, and the notification settings ``make run`` uses.

In AWS the queue is infrastructure (the template creates it, with a redrive policy); locally it is
created here. Retries are compressed to seconds so a developer sees them happen, and webhook
receivers on loopback are allowed (the production default refuses them).
"""

from __future__ import annotations

import os

import boto3

LOCAL_RETRY_DELAYS = "1,2,4,8,16"
LOCAL_DISABLE_AFTER_SECONDS = "120"


def notification_queue_settings(sqs_endpoint: str, region: str) -> dict[str, str]:
    """Creates the queue (idempotent) and returns the settings that point the app at it."""
    prefix = os.environ.get("PULSEDESK_TABLE_PREFIX", "pulsedesk-dev-")
    name = os.environ.get("PULSEDESK_NOTIFICATIONS_QUEUE_NAME", f"{prefix}notifications")
    sqs = boto3.client("sqs", endpoint_url=sqs_endpoint, region_name=region)
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return {
        "PULSEDESK_NOTIFICATIONS_QUEUE_NAME": name,
        "PULSEDESK_NOTIFICATIONS_QUEUE_URL": url,
        "PULSEDESK_WEBHOOK_ALLOW_PRIVATE": "true",
        "PULSEDESK_WEBHOOK_RETRY_DELAYS": os.environ.get("PULSEDESK_WEBHOOK_RETRY_DELAYS", LOCAL_RETRY_DELAYS),
        "PULSEDESK_WEBHOOK_DISABLE_AFTER_SECONDS": os.environ.get(
            "PULSEDESK_WEBHOOK_DISABLE_AFTER_SECONDS", LOCAL_DISABLE_AFTER_SECONDS
        ),
    }


def stream_failures_queue_name() -> str:
    """The queue the app's ``stream_failures`` handler reads: every stream mapping's on-failure
    destination in AWS (infra/aws/merge.py), and the local event runner's."""
    prefix = os.environ.get("PULSEDESK_TABLE_PREFIX", "pulsedesk-dev-")
    return os.environ.get("PULSEDESK_STREAM_FAILURES_QUEUE_NAME", f"{prefix}stream-failures")
