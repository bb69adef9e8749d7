"""What a stream mapping sets beyond Chalice's batch size, for AWS (``infra/aws/merge.py``) and the local runner
(``infra/local/events.py``) alike.

``PARALLELIZATION_FACTOR`` is Lambda's setting of that name: a shard's records are shared among that many
concurrent batches by partition key, so the records of one item (one ticket: its partition key) stay in order,
while different tickets are handled side by side. A consumer is listed only when its handler is safe for that:
the workflows handler is (its writes are conditional or commutative, and a lost race is retried); the realtime
and metrics consumers keep one batch at a time (pushes in write order; rollup transactions that would conflict).

``BATCHING_WINDOW_SECONDS`` is Lambda's ``MaximumBatchingWindowInSeconds``: while records trickle in, the
mapping gathers them this long before it invokes, instead of invoking for every few. Only the metrics consumer
has one: its cost is per batch (one rollup transaction merges a batch's changes per rollup item, and each
invocation reads the stream), and a lead's figures a second later are still live (the dashboard refetches them
2.5 s after a ticket event). Routing and live events keep none: they are what an agent waits for.
"""

from __future__ import annotations

PARALLELIZATION_FACTOR: dict[str, int] = {"workflows": 4}
BATCHING_WINDOW_SECONDS: dict[str, int] = {"metrics": 1}


def parallelization_factor(handler_name: str) -> int:
    return PARALLELIZATION_FACTOR.get(handler_name, 1)


def batching_window_seconds(handler_name: str) -> int:
    return BATCHING_WINDOW_SECONDS.get(handler_name, 0)
