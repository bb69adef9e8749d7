"""Logging, metrics and tracing in one place (Powertools), plus the per-request context.

Log lines are JSON and carry request id, tenant and user. Secrets never reach a log: handlers log
ids and outcomes, not bodies or headers.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="pulsedesk")
metrics = Metrics(namespace="Pulsedesk", service="pulsedesk")


@dataclass(frozen=True)
class RequestInfo:
    request_id: str | None = None
    source_ip: str | None = None
    source: str = "api"


_request_info: ContextVar[RequestInfo | None] = ContextVar("request_info", default=None)


def set_request_info(info: RequestInfo) -> None:
    _request_info.set(info)


def current_request_info() -> RequestInfo:
    return _request_info.get() or RequestInfo()
