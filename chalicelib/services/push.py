"""Posting events to WebSocket connections through API Gateway's management API.

Connections are served in parallel (bounded), each in order, so one slow or dead socket never
delays the others. A connection API Gateway reports gone is forgotten on the spot.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.data import connections
from chalicelib.data.models import ConnectionItem
from chalicelib.observability import logger
from chalicelib.settings import get_settings

MAX_PARALLEL_POSTS = 32


@dataclass
class PushReport:
    delivered: int = 0
    gone: int = 0
    failed: int = 0


@lru_cache(maxsize=1)
def _client() -> Any:
    endpoint = get_settings().ws_management_endpoint or None
    config = Config(
        connect_timeout=1,
        read_timeout=2,
        retries={"max_attempts": 2, "mode": "standard"},
        max_pool_connections=MAX_PARALLEL_POSTS,
    )
    return boto3.client("apigatewaymanagementapi", endpoint_url=endpoint, config=config)


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=MAX_PARALLEL_POSTS, thread_name_prefix="push")


def push(deliveries: list[tuple[ConnectionItem, list[dict[str, Any]]]]) -> PushReport:
    report = PushReport()
    for outcome, count in _pool().map(lambda d: _post_all(*d), deliveries):
        if outcome == "gone":
            report.gone += 1
        elif outcome == "failed":
            report.failed += 1
        report.delivered += count
    return report


def _post_all(connection: ConnectionItem, events: list[dict[str, Any]]) -> tuple[str, int]:
    sent = 0
    for event in events:
        try:
            _client().post_to_connection(
                ConnectionId=connection.connection_id, Data=json.dumps(event, separators=(",", ":")).encode()
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "GoneException":
                connections.remove_connection(connection.tenant_id, connection.connection_id)
                return "gone", sent
            logger.warning("push failed", extra={"connection_id": connection.connection_id, "error": str(error)})
            return "failed", sent
        except BotoCoreError as error:
            logger.warning("push failed", extra={"connection_id": connection.connection_id, "error": str(error)})
            return "failed", sent
        sent += 1
    return "ok", sent
