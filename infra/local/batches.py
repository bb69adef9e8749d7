"""How Lambda's event source mappings deliver a batch: partial batch failure, bounded retries
with backoff, then a dead letter."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("pulsedesk.local")

Record = dict[str, Any]
Invoke = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    base_delay_seconds: float = 0.2
    max_delay_seconds: float = 5.0

    def delay(self, attempt: int) -> float:
        return float(min(self.base_delay_seconds * 2 ** (attempt - 1), self.max_delay_seconds))


@dataclass(frozen=True)
class DeadLetter:
    source: str
    reason: str
    records: list[Record]
    attempts: int = 0  # invocations that saw the first of ``records``
    raised: bool = False  # the last one raised (Lambda's ``functionError``) rather than reporting failures


@dataclass
class DeadLetters:
    """Batches given up on, kept for inspection (as an on-failure destination would)."""

    items: list[DeadLetter] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, letter: DeadLetter) -> None:
        log.error(
            "event source %s: giving up after retries (%s); dead letter: %s",
            letter.source,
            letter.reason,
            json.dumps(letter.records, default=str),
        )
        with self._lock:
            self.items.append(letter)

    def snapshot(self) -> list[DeadLetter]:
        with self._lock:
            return list(self.items)


def first_failed_index(result: Any, batch: Sequence[Record], identifier: Callable[[Record], str]) -> int | None:
    """Where to resume after a handler answered: ``None`` when every record succeeded.

    An ``itemIdentifier`` that is empty or names no record of the batch fails the whole batch,
    as Lambda does.
    """
    failures = result.get("batchItemFailures") if isinstance(result, dict) else None
    if not failures:
        return None
    positions = {identifier(record): index for index, record in enumerate(batch)}
    indexes = [positions.get(str(failure.get("itemIdentifier") or "")) for failure in failures]
    return 0 if None in indexes else min(index for index in indexes if index is not None)


def failed_identifiers(result: Any, batch: Sequence[Record], identifier: Callable[[Record], str]) -> set[str]:
    """The records to leave for a retry (unordered sources such as SQS)."""
    first = first_failed_index(result, batch, identifier)
    if first is None:
        return set()
    known = {identifier(record) for record in batch}
    reported = {str(failure.get("itemIdentifier") or "") for failure in result["batchItemFailures"]}
    return reported if reported <= known else known


class OrderedDelivery:
    """Stream semantics: records after a failure are retried with it, in order, never skipped
    ahead of it; retries are bounded and spaced by the policy; then the rest is a dead letter."""

    def __init__(
        self,
        source_name: str,
        invoke: Invoke,
        identifier: Callable[[Record], str],
        retry: RetryPolicy,
        dead_letters: DeadLetters,
        stop: threading.Event,
    ) -> None:
        self._source_name = source_name
        self._invoke = invoke
        self._identifier = identifier
        self._retry = retry
        self._dead_letters = dead_letters
        self._stop = stop

    def deliver(self, records: list[Record]) -> DeadLetter | None:
        """Delivers ``records``; returns what was given up on after the retries, if anything."""
        pending, attempt = records, 0
        while pending and not self._stop.is_set():
            resume_at, reason = self._attempt(pending)
            if resume_at is None:
                return None
            attempt = 1 if resume_at > 0 else attempt + 1  # progress starts a fresh count
            pending = pending[resume_at:]
            if attempt > self._retry.max_retries:
                letter = DeadLetter(self._source_name, reason, pending, attempt, reason.startswith("handler raised"))
                self._dead_letters.add(letter)
                return letter
            self._stop.wait(self._retry.delay(attempt))
        return None

    def _attempt(self, batch: list[Record]) -> tuple[int | None, str]:
        try:
            result = self._invoke({"Records": batch})
        except Exception as error:  # the handler's failure is the batch's failure, as in Lambda
            log.exception("event source %s: handler raised", self._source_name)
            return 0, f"handler raised {error!r}"
        return first_failed_index(result, batch, self._identifier), "batchItemFailures reported"
