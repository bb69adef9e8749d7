"""Logging, metrics and tracing in one place (Powertools), plus the per-request context.

Log lines are JSON and carry request id, tenant and user. Secrets never reach a log: handlers log
ids and outcomes, not bodies or headers.

``observed`` wraps every Lambda entry point (app.py registers it once, as Chalice middleware, for
REST views, WebSocket, stream, queue and schedule handlers alike): each invocation's log lines carry
the Lambda context, it runs in an X-Ray segment, and the metrics it added leave as one EMF line when
it ends. Outside Lambda (tests, the local stack) or with ``POWERTOOLS_TRACE_DISABLED=true`` the
tracer does nothing, so no X-Ray daemon is needed. The tracer is made at the first invocation
(``get_tracer``), so importing the app loads no X-Ray code.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer


class _TakingTurns(AmazonCloudWatchEMFProvider):
    """Powertools' metric set with adding and flushing taking turns. Lambda runs one invocation per
    environment at a time; the local event runner runs handlers side by side on threads of one process,
    where one handler's flush read the set while another added to it, or found it emptied between its
    check and its read, and raised: the batch failed and was retried (seen while seeding 10,000 tickets)."""

    _turn = threading.RLock()  # a flush clears the set: the same turn

    def add_metric(self, *args: Any, **kwargs: Any) -> None:
        with self._turn:
            super().add_metric(*args, **kwargs)

    def flush_metrics(self, raise_on_empty_metrics: bool = False) -> None:
        with self._turn:
            super().flush_metrics(raise_on_empty_metrics=raise_on_empty_metrics)

    def clear_metrics(self) -> None:
        with self._turn:
            super().clear_metrics()


logger = Logger(service="pulsedesk")
metrics = Metrics(provider=_TakingTurns(namespace="Pulsedesk", service="pulsedesk"))


@cache
def get_tracer() -> Tracer:
    """The process's tracer, made at the first invocation rather than at import: making one loads the
    X-Ray SDK and builds two botocore clients for its sampler, a third of a cold import's CPU."""
    from aws_lambda_powertools import Tracer

    return Tracer(service="pulsedesk")


# Most invocations add no metric; Powertools warns on each empty flush, which says nothing here.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)

T = TypeVar("T")


class BusinessEvent(StrEnum):
    """Counted once per event: by the stream and queue consumers where the event is a stored change
    (so a request's write retries never count twice), by request code only where nothing is stored."""

    TICKET_CREATED = "TicketsCreated"
    TICKET_SOLVED = "TicketsSolved"
    ASSIGNMENT_MADE = "AssignmentsMade"
    DELIVERY_FAILED = "DeliveriesFailed"
    RATE_LIMITED = "RequestsRateLimited"
    LOGIN_FAILED = "LoginsFailed"


def count(event: BusinessEvent, value: int = 1) -> None:
    metrics.add_metric(name=event.value, unit=MetricUnit.Count, value=value)


def observed(handler: Callable[[Any, Any], T]) -> Callable[[Any, Any], T]:
    """A Lambda handler ``(event, context)`` with the context on its log lines, an X-Ray segment
    (its response is not recorded: it may hold personal data) and its metrics flushed at the end."""
    traced = get_tracer().capture_lambda_handler(handler, capture_response=False)
    flushed = metrics.log_metrics(traced)
    return logger.inject_lambda_context(flushed, clear_state=True)


@dataclass(frozen=True)
class RequestInfo:
    request_id: str | None = None
    source_ip: str | None = None
    source: str = "api"
    user_agent: str | None = None  # shown in "my sessions" so a person recognises their devices


_request_info: ContextVar[RequestInfo | None] = ContextVar("request_info", default=None)


def set_request_info(info: RequestInfo) -> None:
    _request_info.set(info)


def current_request_info() -> RequestInfo:
    return _request_info.get() or RequestInfo()
