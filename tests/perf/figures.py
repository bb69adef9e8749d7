"""Latency figures and the markdown tables `make bench` prints."""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from botocore.client import BaseClient


def summary_ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = statistics.quantiles(ordered, n=20, method="inclusive")[-1] if len(ordered) > 1 else ordered[0]
    return {"p50": statistics.median(ordered) * 1000, "p95": p95 * 1000, "max": ordered[-1] * 1000}


def reference_loop_seconds(additions: int = 10_000_000) -> float:
    """CPU seconds this machine takes for a fixed pure-Python loop, best of three: a rough gauge of its speed,
    printed before and after each load step. The same VM, idle, ran it in 0.38 s and in 1.3-1.8 s within one hour
    of 2026-12-01, and that day's figures were 2-3 times those of two days before; but a fan-out's CPU per post
    (sockets, system calls) was 2.5 times its earlier figure while the loop read 0.45 s. A slow loop says the
    figures are not comparable; a fast one does not prove that they are."""
    best = float("inf")
    for _ in range(3):
        started, total = time.process_time(), 0
        for n in range(additions):
            total += n
        best = min(best, time.process_time() - started)
    return best


def timed(action: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def table(title: str, header: list[str], rows: list[list[Any]]) -> str:
    lines = [f"\n### {title}", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    text = "\n".join(lines)
    print(text, flush=True)
    return text


def _cell(value: Any) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


_original_call = BaseClient._make_api_call


@contextmanager
def dynamo_calls(thread_prefix: str) -> Iterator[list[str]]:
    """DynamoDB operations made by threads whose name starts with ``thread_prefix``."""
    calls: list[str] = []

    def recording(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if self.meta.service_model.service_name == "dynamodb" and threading.current_thread().name.startswith(
            thread_prefix
        ):
            calls.append(operation)
        return _original_call(self, operation, params)

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield calls


@contextmanager
def dynamo_items(thread_prefix: str, table_part: str) -> Iterator[list[int]]:
    """How many items each DynamoDB read of a table (name containing ``table_part``) returned, for
    threads whose name starts with ``thread_prefix`` (a request's reader threads carry its name)."""
    counts: list[int] = []
    underneath = BaseClient._make_api_call  # another recorder may be installed: keep it recording

    def recording(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        answer = underneath(self, operation, params)
        if self.meta.service_model.service_name == "dynamodb" and threading.current_thread().name.startswith(
            thread_prefix
        ):
            if operation == "Query" and table_part in params.get("TableName", ""):
                counts.append(len(answer.get("Items", [])))
            if operation == "BatchGetItem":
                counts.append(sum(len(v) for k, v in answer.get("Responses", {}).items() if table_part in k))
            if operation == "GetItem" and table_part in params.get("TableName", ""):
                counts.append(1 if answer.get("Item") else 0)
        return answer

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield counts


def list_ready_probe(selector: str, setup: str = "") -> str:
    """A browser init script: runs ``setup`` before the app starts, then keeps in ``window.__listReadyAt``
    the moment an element matching ``selector`` first exists (rendered by the app, so it works)."""
    return f"""
(() => {{
  {setup}
  window.__listReadyAt = null;
  const ready = () => {{
    if (window.__listReadyAt === null && document.querySelector({json.dumps(selector)})) {{
      window.__listReadyAt = performance.now();
      observer.disconnect();
    }}
  }};
  const observer = new MutationObserver(ready);
  document.addEventListener('DOMContentLoaded', () => {{
    observer.observe(document.body, {{ childList: true, subtree: true }});
    ready();
  }});
}})();
"""
